"""Build the BusyApp study program against the demo app's android.* stand-ins."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from monitor.demo.build import build_demo
from monitor.paths import cache_dir

SOURCE = Path(__file__).with_name("java") / "BusyApp.java"


def busy_app_command(*args: str) -> list[str]:
    """Return the java argv that runs BusyApp with `args`, compiling it when it changed."""
    return study_command(SOURCE, "busy-app", "BusyApp", *args)


def study_command(source: Path, cache: str, main_class: str, *args: str) -> list[str]:
    """Return the java argv that runs `main_class` from `source`, compiled against the
    demo's android.* stand-ins into cache_dir(`cache`) when the source or demo changed."""
    demo = build_demo()
    digest = hashlib.sha256(source.read_bytes() + demo.classpath.encode()).hexdigest()[:16]
    classes = cache_dir(cache) / digest
    if not classes.exists():
        tmp = classes.with_name(f"{digest}.{os.getpid()}.tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["javac", "--release", "11", "-cp", demo.classpath, "-d", str(tmp), str(source)],
            check=True,
            capture_output=True,
        )
        tmp.replace(classes)
    classpath = f"{classes}{os.pathsep}{demo.classpath}"
    return [str(demo.java), "-cp", classpath, main_class, *args]
