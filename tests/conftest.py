import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import adbutils
import pytest

from monitor.demo.command import run_demo
from monitor.store import Store

needs_java = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("javac") is None,
    reason="java and javac are needed (Debian: openjdk-17-jdk-headless)",
)

# Fast timings for the demo: polls every 20 ms, and the dialog is tapped after 0.3 s.
FAST = {"consent_delay_s": 0.3, "interval_ms": 20}


def _demo_run(tmp_path_factory, consent):
    path = tmp_path_factory.mktemp(f"demo-{consent}") / "run.db"
    store = Store(path)
    result, driver, config = run_demo(store, consent=consent, **FAST)
    return store, result, driver, config


@pytest.fixture(scope="session")
def demo_agree(tmp_path_factory):
    return _demo_run(tmp_path_factory, "agree")


@pytest.fixture(scope="session")
def demo_refuse(tmp_path_factory):
    return _demo_run(tmp_path_factory, "refuse")


# A real adb server on a loopback port, for the device-layer tests. ----------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_adb() -> str | None:
    """Return the adb that adbutils would run (ADBUTILS_ADB_PATH, PATH, then its own copy)."""
    try:
        path = adbutils.adb_path()
    except adbutils.AdbError:
        return None
    # adb_path returns ADBUTILS_ADB_PATH unchecked.
    return path if os.access(path, os.X_OK) else None


@contextlib.contextmanager
def running_adb_server(home: Path) -> Iterator[int]:
    """Start `adb -P PORT start-server` on a free loopback port, and kill it on exit."""
    adb = find_adb()
    if adb is None:
        pytest.skip("adb not found: install Debian's adb package (apt-get install adb)")
    port = free_port()
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("ANDROID_", "ADB_"))
    }
    # HOME keeps the server's adbkey out of the real home. ADB_MDNS, ADB_EMU and ADB_USB turn
    # off mDNS, the emulator port scan and USB, so the server talks to nothing else.
    env.update(HOME=str(home), ADB_MDNS="0", ADB_EMU="0", ADB_USB="0")
    subprocess.run(
        [adb, "-P", str(port), "start-server"], env=env, check=True, timeout=60, capture_output=True
    )
    try:
        yield port
    finally:
        subprocess.run(
            [adb, "-P", str(port), "kill-server"], env=env, timeout=60, capture_output=True
        )


@pytest.fixture(scope="module")
def adb_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with running_adb_server(tmp_path_factory.mktemp("adb-home")) as port:
        yield port


@pytest.fixture
def adb_env(adb_port: int, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("ANDROID_ADB_SERVER_HOST", "127.0.0.1")
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_port))
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    return adb_port
