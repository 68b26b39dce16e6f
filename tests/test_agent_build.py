import shutil

import pytest

from monitor.agent import agent_source_hash, build_agent
from monitor.errors import AgentBuildError
from monitor.paths import hooks_dir


def test_missing_node_modules_names_command(tmp_path):
    copy = tmp_path / "hooks"
    shutil.copytree(hooks_dir() / "src", copy / "src")
    with pytest.raises(AgentBuildError) as error:
        build_agent(copy)
    assert f"npm ci --prefix {copy}" in str(error.value)


def test_missing_sources_reported(tmp_path):
    with pytest.raises(AgentBuildError, match="Agent sources not found"):
        build_agent(tmp_path)


def test_bundle_includes_java_bridge(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIVMON_CACHE_DIR", str(tmp_path))
    code = build_agent()
    assert "frida-java-bridge" in code or "ClassFactory" in code
    cached = list((tmp_path / "agent").glob("agent-*.js"))
    assert len(cached) == 1
    assert build_agent() == code


def test_source_hash_follows_sources(tmp_path):
    copy = tmp_path / "hooks"
    shutil.copytree(hooks_dir() / "src", copy / "src")
    before = agent_source_hash(copy)
    (copy / "src" / "index.ts").write_text("// changed\n", "utf-8")
    assert agent_source_hash(copy) != before
