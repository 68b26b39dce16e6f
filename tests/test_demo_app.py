"""Run the JVM demo app on plain java, without Frida, through DemoDriver."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from monitor.demo import (
    DemoBuild,
    DemoCommandError,
    DemoDriver,
    DemoOptions,
    JavaNotFoundError,
    build_demo,
    default_cache_dir,
    demo_source_dir,
    source_digest,
)
from monitor.demo.build import ConsentMode

AGREE_ID = "com.example.demoapp:id/agree"
REFUSE_ID = "com.example.demoapp:id/refuse"
POLICY_ID = "com.example.demoapp:id/policy"
AGREE_TEXT = "同意并继续 Agree"
REFUSE_TEXT = "不同意 Disagree"
ALL_CHECKS_OK = {"settings-nonid": True, "location-identity": True, "imei-throws": True}
FAST = DemoOptions(interval_ms=20)
RUN_TIMEOUT_S = 20.0


class DemoProcess:
    """The demo app in a plain subprocess, with its stdout fed to a DemoDriver."""

    def __init__(self, build: DemoBuild, options: DemoOptions, *, with_stdin: bool) -> None:
        self.process = subprocess.Popen(
            build.java_command(options),
            stdin=subprocess.PIPE if with_stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.driver = DemoDriver(self.write, timeout=RUN_TIMEOUT_S)
        self.raw_stdout = bytearray()
        self._stderr = b""
        self._threads = [
            threading.Thread(target=self._pump_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def wait(self) -> int:
        code = self.process.wait(timeout=RUN_TIMEOUT_S)
        for thread in self._threads:
            thread.join(timeout=RUN_TIMEOUT_S)
        return code

    @property
    def stderr(self) -> str:
        return self._stderr.decode("utf-8", errors="replace")

    def poll_count(self) -> int:
        """Count the maps SDK's log lines, one per getLastKnownLocation call."""
        return sum(line.startswith("D/GeoMaps: poll ") for line in self.driver.text_lines)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _pump_stdout(self) -> None:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while chunk := os.read(fd, 4096):
            self.raw_stdout += chunk
            self.driver.feed(chunk)
        self.driver.close()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self._stderr = self.process.stderr.read()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    try:
        return build_demo(tmp_path_factory.mktemp("demo-cache"))
    except JavaNotFoundError as error:
        pytest.skip(str(error))


@contextmanager
def run_demo(
    build: DemoBuild, options: DemoOptions = FAST, *, with_stdin: bool = True
) -> Iterator[DemoProcess]:
    demo = DemoProcess(build, options, with_stdin=with_stdin)
    try:
        yield demo
    finally:
        demo.kill()


def now_ms() -> int:
    return int(time.time() * 1000)


# Runs of the app.


def test_dialog_screen_elements(demo_build: DemoBuild) -> None:
    with run_demo(demo_build) as demo:
        dialog_shown = demo.driver.wait_for_screen("privacy_dialog")
        dumped = demo.driver.dump()
        demo.driver.tap_id(AGREE_ID)
        assert demo.wait() == 0

    assert dumped.name == "privacy_dialog"
    assert dumped.elements == dialog_shown.elements
    assert [element.id for element in dumped.elements] == [AGREE_ID, REFUSE_ID, POLICY_ID]
    agree = dumped.find_id(AGREE_ID)
    refuse = dumped.find_id(REFUSE_ID)
    assert agree is not None and agree.text == AGREE_TEXT
    assert refuse is not None and refuse.text == REFUSE_TEXT
    for element in dumped.elements:
        left, top, right, bottom = element.bounds
        assert 0 <= left < right <= dumped.width
        assert 0 <= top < bottom <= dumped.height
        assert element.clickable


def test_agree_path(demo_build: DemoBuild) -> None:
    with run_demo(demo_build) as demo:
        demo.driver.wait_for_screen("privacy_dialog")
        before = now_ms()
        tap = demo.driver.tap_text("Agree")
        after = now_ms()
        code = demo.wait()

    driver = demo.driver
    assert code == 0
    assert tap.id == AGREE_ID
    assert tap.text == AGREE_TEXT
    assert before <= tap.time_ms <= after
    decision = driver.wait_for_event("decision")
    assert decision.data["choice"] == "agree"
    assert decision.data["source"] == "tap"
    assert decision.data["time_ms"] >= tap.time_ms
    assert driver.checks() == ALL_CHECKS_OK
    assert driver.exit_code == 0
    assert demo.poll_count() == 4 + 8
    for name in ALL_CHECKS_OK:
        assert f"CHECK {name} ok" in driver.text_lines
    assert driver.screen is not None and driver.screen.name == "home"
    assert demo.stderr == ""


def test_refuse_path_by_point(demo_build: DemoBuild) -> None:
    with run_demo(demo_build) as demo:
        dialog = demo.driver.wait_for_screen("privacy_dialog")
        refuse = dialog.find_id(REFUSE_ID)
        assert refuse is not None
        tap = demo.driver.tap_point(*refuse.center())
        code = demo.wait()

    driver = demo.driver
    assert code == 0
    assert tap.id == REFUSE_ID
    assert (tap.x, tap.y) == refuse.center()
    decision = driver.wait_for_event("decision")
    assert decision.data["choice"] == "refuse"
    assert decision.data["time_ms"] >= tap.time_ms
    assert driver.checks() == ALL_CHECKS_OK
    assert driver.events_named("exit") == [driver.wait_for_event("exit").data]
    assert demo.poll_count() == 4
    assert any("consent refused" in line for line in driver.text_lines)
    assert demo.stderr == ""


@pytest.mark.parametrize("choice", ["agree", "refuse"])
def test_auto_consent_without_stdin(demo_build: DemoBuild, choice: ConsentMode) -> None:
    options = DemoOptions(interval_ms=20, consent=choice, consent_delay_ms=100)
    with run_demo(demo_build, options, with_stdin=False) as demo:
        code = demo.wait()

    driver = demo.driver
    assert code == 0
    dialog = driver.wait_for_event("screen")
    decision = driver.wait_for_event("decision")
    assert decision.data["choice"] == choice
    assert decision.data["source"] == "auto"
    assert decision.data["time_ms"] - dialog.data["time_ms"] >= 100
    assert not [event for event in driver.events if event.name == "tap"]
    assert driver.checks() == ALL_CHECKS_OK
    assert demo.poll_count() == (12 if choice == "agree" else 4)
    assert demo.stderr == ""


def test_back_and_failed_commands(demo_build: DemoBuild) -> None:
    with run_demo(demo_build) as demo:
        driver = demo.driver
        driver.wait_for_screen("privacy_dialog")
        back_time = driver.back()
        still_shown = driver.dump()
        with pytest.raises(DemoCommandError, match="no element with text"):
            driver.tap_text("Maybe later")
        with pytest.raises(DemoCommandError, match="no element at"):
            driver.tap_point(5, 5)
        with pytest.raises(DemoCommandError, match="no element with id"):
            driver.tap_id("com.example.demoapp:id/missing")
        demo.write(b"frobnicate now\n")
        error = driver.wait_for_event("error")
        exit_code = driver.wait_exit()
        code = demo.wait()

    assert back_time > 0
    assert still_shown.name == "privacy_dialog"
    assert error.data["command"] == "frobnicate"
    assert "unknown command" in error.data["message"]
    assert exit_code == 0
    assert code == 0
    decision = driver.wait_for_event("decision")
    assert decision.data["choice"] == "none"
    assert decision.data["source"] == "wait-exit"
    assert driver.checks() == ALL_CHECKS_OK


def test_closed_stdin_leaves_undecided(demo_build: DemoBuild) -> None:
    with run_demo(demo_build, with_stdin=False) as demo:
        code = demo.wait()

    assert code == 0
    decision = demo.driver.wait_for_event("decision")
    assert decision.data["choice"] == "none"
    assert decision.data["source"] == "stdin-closed"
    assert demo.driver.checks() == ALL_CHECKS_OK


def test_tap_sent_before_dialog_applies(demo_build: DemoBuild) -> None:
    with run_demo(demo_build, DemoOptions(interval_ms=100)) as demo:
        early_screen = demo.driver.dump()
        tap = demo.driver.tap_id(REFUSE_ID)
        code = demo.wait()

    assert early_screen.name == "launch"
    assert code == 0
    dialog = demo.driver.wait_for_screen("privacy_dialog")
    assert tap.time_ms >= dialog.time_ms
    assert demo.driver.wait_for_event("decision").data["choice"] == "refuse"


def test_invalid_option_exits_2(demo_build: DemoBuild) -> None:
    command = [*demo_build.java_command(FAST), "--consent", "maybe"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)

    assert result.returncode == 2
    assert 'invalid value for --consent: "maybe"' in result.stderr
    assert "usage:" in result.stderr


def test_driver_handles_any_chunking(demo_build: DemoBuild) -> None:
    options = DemoOptions(interval_ms=5, consent="agree", consent_delay_ms=0)
    with run_demo(demo_build, options, with_stdin=False) as demo:
        assert demo.wait() == 0
    output = bytes(demo.raw_stdout)

    for size in (1, 7, len(output)):
        driver = DemoDriver(lambda data: None)
        for start in range(0, len(output), size):
            driver.feed(output[start : start + size])
        driver.close()
        assert [event.data for event in driver.events] == [e.data for e in demo.driver.events]
        assert driver.text_lines == demo.driver.text_lines
        assert driver.screen == demo.driver.screen


# The build and its cache.


def test_java_command_uses_resolved_java(demo_build: DemoBuild) -> None:
    command = demo_build.java_command(DemoOptions(interval_ms=5), jvm_args=["-Xint"])

    java = Path(command[0])
    assert java.is_absolute()
    assert not java.is_symlink()
    assert java.name == "java"
    assert command[1:4] == ["-Xint", "-cp", demo_build.classpath]
    assert command[4] == "com.example.demoapp.Main"
    assert command[5:7] == ["--interval-ms", "5"]
    raw = demo_build.java_command(["--consent", "refuse"])
    assert raw[-3:] == ["com.example.demoapp.Main", "--consent", "refuse"]


def test_cached_build_needs_no_javac(
    demo_build: DemoBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    java_only = tmp_path / "bin"
    java_only.mkdir()
    (java_only / "java").symlink_to(demo_build.java)
    monkeypatch.setenv("PATH", str(java_only))
    assert shutil.which("javac") is None

    again = build_demo(demo_build.classes_dir.parent.parent)

    assert again == demo_build


def test_changed_source_builds_elsewhere(demo_build: DemoBuild, tmp_path: Path) -> None:
    sources = tmp_path / "java"
    shutil.copytree(demo_source_dir(), sources)
    assert source_digest(sources) == demo_build.source_digest
    main = sources / "com" / "example" / "demoapp" / "Main.java"
    main.write_text(main.read_text(encoding="utf-8") + "// changed\n", encoding="utf-8")

    changed = build_demo(tmp_path / "cache", source_dir=sources)

    assert changed.source_digest != demo_build.source_digest
    assert changed.classes_dir == tmp_path / "cache" / changed.source_digest / "classes"
    assert (changed.classes_dir / "com" / "example" / "demoapp" / "Main.class").is_file()
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]


def test_incomplete_build_is_replaced(tmp_path: Path) -> None:
    digest = source_digest(demo_source_dir())
    broken = tmp_path / digest / "classes"
    broken.mkdir(parents=True)
    (broken / "leftover.txt").write_text("partial", encoding="utf-8")

    try:
        build = build_demo(tmp_path)
    except JavaNotFoundError as error:
        pytest.skip(str(error))

    assert build.classes_dir == broken
    assert (broken / "com" / "example" / "demoapp" / "Main.class").is_file()
    assert not (broken / "leftover.txt").exists()


def test_missing_java_names_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(JavaNotFoundError, match="openjdk-17-jdk-headless"):
        build_demo(tmp_path / "cache")


def test_default_cache_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PRIVMON_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "privmon" / "demo"

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "privmon" / "demo"

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "privmon" / "demo"

    monkeypatch.setenv("PRIVMON_CACHE_DIR", str(tmp_path / "privmon"))
    assert default_cache_dir() == tmp_path / "privmon" / "demo"


def test_demo_options_validation() -> None:
    with pytest.raises(ValueError, match="interval_ms"):
        DemoOptions(interval_ms=-1)
    with pytest.raises(ValueError, match="consent_delay_ms"):
        DemoOptions(consent_delay_ms=-5)
    with pytest.raises(ValueError, match="consent"):
        DemoOptions(consent="maybe")  # type: ignore[arg-type]
