"""UI drivers for scenarios: the bundled demo app, and Android devices over adb."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from adbutils import AdbDevice, AdbError

from monitor.android import parse_ui_dump, validate_package_name
from monitor.collector import Collector
from monitor.demo.driver import DemoDriver, Screen
from monitor.device import run_checked
from monitor.errors import ConfigError, DeviceError
from monitor.scenarios.engine import (
    DEFAULT_AGREE_PATTERNS,
    DEFAULT_REFUSE_PATTERNS,
    Element,
    ScenarioEngine,
    UiDriver,
)
from monitor.scenarios.model import Scenario
from monitor.session import Session

log = logging.getLogger(__name__)

UI_DUMP_PATH = "/sdcard/privmon-ui.xml"
SCREENSHOT_PATH = "/sdcard/privmon-screen.png"

# Maestro's pressKey names, lower-cased, to Android key codes.
KEY_CODES = {
    "home": "KEYCODE_HOME",
    "back": "KEYCODE_BACK",
    "enter": "KEYCODE_ENTER",
    "backspace": "KEYCODE_DEL",
    "tab": "KEYCODE_TAB",
    "volume up": "KEYCODE_VOLUME_UP",
    "volume down": "KEYCODE_VOLUME_DOWN",
    "power": "KEYCODE_POWER",
    "lock": "KEYCODE_SLEEP",
}


class UnsupportedActionError(RuntimeError):
    """The driver cannot perform this action on its target."""


class DemoUiDriver:
    """UiDriver for the bundled JVM demo app, through its stdin/stdout protocol.

    The demo protocol has dump, tap and back only. The app is spawned by the monitor, so
    launch_app, stop_app and clear_state only log, and cannot restart it. Key presses,
    text input and swipes raise UnsupportedActionError. takeScreenshot writes the screen
    as JSON next to the requested path, because the demo has no pixels.
    """

    def __init__(self, demo: DemoDriver) -> None:
        self.demo = demo
        self._screen: Screen | None = None

    def dump(self) -> list[Element]:
        self._screen = self.demo.dump()
        return [Element(e.text, e.id, e.bounds) for e in self._screen.elements]

    def screen_size(self) -> tuple[int, int]:
        screen = self._screen or self.demo.dump()
        return screen.width, screen.height

    def tap(self, x: int, y: int) -> int:
        return self.demo.tap_point(x, y).time_ms

    def back(self) -> None:
        self.demo.back()

    def launch_app(self, app_id: str) -> None:
        log.info("demo: launchApp %s does nothing, the monitor already spawned the app", app_id)

    def stop_app(self, app_id: str) -> None:
        log.info("demo: stopApp %s does nothing, the demo app cannot be restarted", app_id)

    def clear_state(self, app_id: str) -> None:
        log.info("demo: clearState %s does nothing, the demo app keeps no state", app_id)

    def screenshot(self, path: Path) -> Path:
        target = path.with_suffix(".json")
        screen = self.demo.dump()
        target.write_text(json.dumps(screen.model_dump(), ensure_ascii=False, indent=2))
        return target

    def device_time_ms(self) -> int:
        # The demo runs on this host, so host time is its device time.
        return int(time.time() * 1000)

    def input_text(self, text: str) -> None:
        raise UnsupportedActionError("the demo app has no text fields")

    def erase_text(self, characters: int) -> None:
        raise UnsupportedActionError("the demo app has no text fields")

    def press_key(self, key: str) -> None:
        raise UnsupportedActionError(f"the demo app supports only back, not key {key!r}")

    def swipe(self, start: tuple[int, int], end: tuple[int, int], duration_ms: int) -> None:
        raise UnsupportedActionError("the demo app does not support swipes")


class DemoSession:
    """Connect a DemoDriver to the Session that monitor_run creates later.

    Pass `on_output` to monitor_run and `ui_driver` to make_scenario_driver.
    """

    def __init__(self) -> None:
        self._session: Session | None = None
        self.demo = DemoDriver(self._write)

    def _write(self, data: bytes) -> None:
        if self._session is None:
            raise RuntimeError("the demo app is not running yet")
        self._session.write_stdin(data)

    def ui_driver(self, session: Session) -> DemoUiDriver:
        self._session = session
        return DemoUiDriver(self.demo)

    def on_output(self, fd: int, data: bytes) -> None:
        if fd == 1:
            self.demo.feed(data)
        else:
            log.debug("demo stderr: %s", data.decode("utf-8", "replace").rstrip())


def _elements_from_xml(xml_text: str) -> list[Element]:
    """Return the elements with bounds of a uiautomator hierarchy dump."""
    elements = []
    for node in parse_ui_dump(xml_text[xml_text.find("<") :]):
        if node.bounds is None:
            continue
        bounds = node.bounds
        text = node.text or node.content_desc
        box = (bounds.left, bounds.top, bounds.right, bounds.bottom)
        elements.append(Element(text, node.resource_id, box))
    return elements


_WM_SIZE = re.compile(r"(Physical|Override) size:\s*(\d+)x(\d+)")


class AdbUiDriver:
    """UiDriver for an Android device over adb: uiautomator dumps and `input` commands.

    Every shell command is an argument list, and every package passes
    validate_package_name first, so no value is interpreted by the device shell.
    """

    def __init__(self, device: AdbDevice, package: str) -> None:
        self.device = device
        self.package = validate_package_name(package)

    def dump(self) -> list[Element]:
        run_checked(self.device, ["uiautomator", "dump", UI_DUMP_PATH], timeout=30)
        return _elements_from_xml(run_checked(self.device, ["cat", UI_DUMP_PATH]))

    def screen_size(self) -> tuple[int, int]:
        sizes = {m[0]: (int(m[1]), int(m[2])) for m in _WM_SIZE.findall(self._run(["wm", "size"]))}
        size = sizes.get("Override") or sizes.get("Physical")
        if size is None:
            raise DeviceError(f"`wm size` printed no screen size on {self.device.serial}")
        return size

    def tap(self, x: int, y: int) -> int:
        # NOTE: the time is read just before `input` starts, which injects the tap some
        # 100-500 ms later, so calls in that gap count as after consent.
        time_ms = self.device_time_ms()
        self._run(["input", "tap", str(int(x)), str(int(y))])
        return time_ms

    def input_text(self, text: str) -> None:
        if not text.isascii():
            raise UnsupportedActionError("`adb shell input text` types ASCII only")
        # `input text` reads %s as a space, and a literal space would split the argument.
        self._run(["input", "text", text.replace(" ", "%s")])

    def erase_text(self, characters: int) -> None:
        self._run(["input", "keyevent", *(["KEYCODE_DEL"] * characters)])

    def press_key(self, key: str) -> None:
        code = KEY_CODES.get(key.lower())
        if code is None:
            raise UnsupportedActionError(
                f"unknown key {key!r}: use one of {', '.join(sorted(KEY_CODES))}"
            )
        self._run(["input", "keyevent", code])

    def back(self) -> None:
        self._run(["input", "keyevent", "KEYCODE_BACK"])

    def swipe(self, start: tuple[int, int], end: tuple[int, int], duration_ms: int) -> None:
        points = [str(int(v)) for v in (*start, *end)]
        self._run(["input", "swipe", *points, str(int(duration_ms))])

    def launch_app(self, app_id: str) -> None:
        package = validate_package_name(app_id)
        argv = ["monkey", "-p", package, "-c", "android.intent.category.LAUNCHER", "1"]
        self._run(argv)

    def stop_app(self, app_id: str) -> None:
        self._run(["am", "force-stop", validate_package_name(app_id)])

    def clear_state(self, app_id: str) -> None:
        self._run(["pm", "clear", validate_package_name(app_id)])

    def screenshot(self, path: Path) -> Path:
        self._run(["screencap", "-p", SCREENSHOT_PATH])
        try:
            self.device.sync.pull(SCREENSHOT_PATH, path)
        except (AdbError, OSError) as error:
            raise DeviceError(f"pulling {SCREENSHOT_PATH} to {path} failed: {error}") from error
        return path

    def device_time_ms(self) -> int:
        output = self._run(["date", "+%s%3N"]).strip()
        if not output.isdigit():
            # Toolbox date on Android 7 and older has no %N, so fall back to whole seconds.
            return int(self._run(["date", "+%s"]).strip()) * 1000
        return int(output)

    def _run(self, argv: list[str]) -> str:
        return run_checked(self.device, argv)


def make_scenario_driver(
    scenario: Scenario,
    ui_driver_factory: Callable[[Session], UiDriver],
    agree_patterns: tuple[str, ...] = DEFAULT_AGREE_PATTERNS,
    refuse_patterns: tuple[str, ...] = DEFAULT_REFUSE_PATTERNS,
    screenshot_dir: Path = Path("."),
) -> Callable[[Session, Collector], None]:
    """Return a monitor_run driver that runs `scenario` and records consent taps.

    A failed step raises ScenarioError, which monitor_run reports as "scenario failed".
    The scenario stops waiting when the app ends.
    """

    def drive(session: Session, collector: Collector) -> None:
        engine = ScenarioEngine(
            scenario,
            ui_driver_factory(session),
            collector.add_consent,
            agree_patterns,
            refuse_patterns,
            screenshot_dir=screenshot_dir,
            stop=session.ended,
        )
        engine.run()

    return drive


class Uiautomator2Driver(AdbUiDriver):
    """UiDriver through uiautomator2 (optional): faster dumps and Unicode text input.

    Keys, app start/stop and the device clock still go through adb. uiautomator2 installs its
    own server on the device at first use.
    """

    # NOTE: written against uiautomator2 3.x's documented API (connect, dump_hierarchy,
    # click, send_keys, swipe, screenshot); not run against a device here.

    def __init__(self, device: AdbDevice, package: str) -> None:
        super().__init__(device, package)
        import uiautomator2

        self.u2 = uiautomator2.connect(device.serial)

    def dump(self) -> list[Element]:
        return _elements_from_xml(self.u2.dump_hierarchy())

    def tap(self, x: int, y: int) -> int:
        time_ms = self.device_time_ms()
        self.u2.click(int(x), int(y))
        return time_ms

    def input_text(self, text: str) -> None:
        self.u2.send_keys(text)

    def swipe(self, start: tuple[int, int], end: tuple[int, int], duration_ms: int) -> None:
        self.u2.swipe(*start, *end, duration=duration_ms / 1000)

    def screenshot(self, path: Path) -> Path:
        self.u2.screenshot(str(path))
        return path


UI_BACKENDS = ("auto", "adb", "uiautomator2")


def make_ui_driver(device: AdbDevice, package: str, backend: str = "auto") -> UiDriver:
    """Return the adb driver, or the uiautomator2 one when requested or (auto) installed."""
    if backend not in UI_BACKENDS:
        raise ConfigError(f"unknown UI backend {backend!r}: use one of {', '.join(UI_BACKENDS)}")
    available = importlib.util.find_spec("uiautomator2") is not None
    if backend == "uiautomator2" and not available:
        raise ConfigError(
            "the uiautomator2 backend needs the uiautomator2 package: pip install uiautomator2"
        )
    if backend == "uiautomator2" or (backend == "auto" and available):
        return Uiautomator2Driver(device, package)
    return AdbUiDriver(device, package)
