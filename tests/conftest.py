import shutil

import pytest

from monitor.demo.command import run_demo
from monitor.store import Store

needs_java = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("javac") is None,
    reason="java and javac are needed (Debian: openjdk-17-jdk-headless)",
)

# Fast timings for the demo: polls every 20 ms, the dialog answered after 0.3 s.
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
