"""Static checks of the emulator CI scripts: bash syntax, and ShellCheck when installed."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

EMULATOR = Path(__file__).resolve().parent.parent / "emulator"
SCRIPTS = ["create-avd.sh", "boot.sh", "install.sh", "run-scenario.sh"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_syntax(name):
    result = subprocess.run(["bash", "-n", EMULATOR / name], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_strict_mode(name):
    assert "set -euo pipefail" in (EMULATOR / name).read_text()


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
@pytest.mark.parametrize("name", SCRIPTS)
def test_script_shellcheck(name):
    result = subprocess.run(["shellcheck", EMULATOR / name], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("name", "args"), [("install.sh", []), ("run-scenario.sh", ["pkg"])])
def test_script_usage_error(name, args):
    result = subprocess.run(
        ["bash", EMULATOR / name, *args], capture_output=True, text=True, timeout=10
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_workflow_calls_scripts():
    workflow = yaml.safe_load((EMULATOR / "github-actions.yml").read_text())
    commands = "\n".join(step.get("run", "") for step in workflow["jobs"]["privacy"]["steps"])
    for name in SCRIPTS:
        assert f"emulator/{name}" in commands
