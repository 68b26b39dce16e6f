"""Compile the demo app's Java sources into a cache folder and build its java command line.

Each build lives in ``<cache>/<digest>/classes``, where the digest covers every shipped
``.java`` file and the javac flags. A build is compiled in a temporary folder and renamed into
place, so a folder under its final name is always complete and is reused as is.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from monitor.paths import cache_root

logger = logging.getLogger(__name__)

MAIN_CLASS = "com.example.demoapp.Main"
APP_PACKAGE = "com.example.demoapp"
JDK_PACKAGE = "openjdk-17-jdk-headless"

# Class files for Java 11 run on any newer JVM, even when javac and java differ in version.
JAVAC_FLAGS = ("--release", "11", "-encoding", "UTF-8")
# Bump when the cache layout changes, so that old cache folders are not reused.
CACHE_FORMAT = "1"
DIGEST_LENGTH = 16
JAVAC_TIMEOUT_S = 300

ConsentMode = Literal["agree", "refuse", "wait"]


class JavaNotFoundError(RuntimeError):
    """Raised when ``java`` or ``javac`` is not on PATH."""


class DemoBuildError(RuntimeError):
    """Raised when javac fails on the demo sources."""


@dataclass(frozen=True)
class DemoOptions:
    """Command-line options of the demo app, with the app's own defaults."""

    interval_ms: int = 800
    """Pause between the maps SDK's location polls, in milliseconds."""
    consent: ConsentMode = "wait"
    """``agree`` or ``refuse`` to decide automatically, or ``wait`` for a stdin command."""
    consent_delay_ms: int = 3000
    """With ``agree`` or ``refuse``, time from showing the dialog to the decision, in ms."""

    def __post_init__(self) -> None:
        if self.interval_ms < 0:
            raise ValueError(f"interval_ms must be 0 or more, got {self.interval_ms}")
        if self.consent_delay_ms < 0:
            raise ValueError(f"consent_delay_ms must be 0 or more, got {self.consent_delay_ms}")
        if self.consent not in ("agree", "refuse", "wait"):
            raise ValueError(f"consent must be agree, refuse or wait, got {self.consent!r}")

    def to_args(self) -> list[str]:
        """Return the options as arguments for the app's main class."""
        return [
            "--interval-ms",
            str(self.interval_ms),
            "--consent",
            self.consent,
            "--consent-delay-ms",
            str(self.consent_delay_ms),
        ]


@dataclass(frozen=True)
class DemoBuild:
    """A compiled demo app and the JVM that runs it."""

    java: Path
    """Absolute path of the java executable, with symlinks resolved."""
    classes_dir: Path
    """Folder of compiled classes, which is the whole classpath."""
    source_digest: str
    """Digest of the sources and javac flags that name the cache folder."""
    main_class: str = MAIN_CLASS
    app_package: str = APP_PACKAGE

    @property
    def classpath(self) -> str:
        return str(self.classes_dir)

    def java_command(
        self, options: DemoOptions | Sequence[str] | None = None, jvm_args: Sequence[str] = ()
    ) -> list[str]:
        """Return the argv that runs the app.

        ``options`` is a DemoOptions or the app's own arguments as strings, and None means
        the defaults. ``jvm_args`` go before the main class.
        """
        if options is None:
            app_args = DemoOptions().to_args()
        elif isinstance(options, DemoOptions):
            app_args = options.to_args()
        else:
            app_args = list(options)
        return [str(self.java), *jvm_args, "-cp", self.classpath, self.main_class, *app_args]


def demo_source_dir() -> Path:
    """Return the folder of the Java sources shipped inside this package."""
    return Path(__file__).resolve().parent / "java"


def default_cache_dir() -> Path:
    """Return the folder that contains the demo builds (see monitor.paths.cache_root)."""
    return cache_root() / "demo"


def find_java_tool(name: Literal["java", "javac"]) -> Path:
    """Return the absolute, symlink-free path of ``name`` found on PATH.

    Frida spawns by absolute path, and Debian's /usr/bin/java is a chain of symlinks.
    """
    found = shutil.which(name)
    if found is None:
        raise JavaNotFoundError(
            f"{name} not found on PATH. The demo app needs a JDK 11 or newer."
            f" On Debian or Ubuntu, install it with: apt-get install {JDK_PACKAGE}"
        )
    return Path(found).resolve()


def source_digest(source_dir: Path) -> str:
    """Return a digest of every ``.java`` file under ``source_dir`` and of the javac flags."""
    digest = hashlib.sha256()
    digest.update(f"format {CACHE_FORMAT}\0flags {' '.join(JAVAC_FLAGS)}\0".encode())
    for path in _java_sources(source_dir):
        relative = path.relative_to(source_dir).as_posix()
        digest.update(f"{relative}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:DIGEST_LENGTH]


def build_demo(cache_dir: Path | None = None, *, source_dir: Path | None = None) -> DemoBuild:
    """Compile the demo app, or reuse the cached build of the same sources.

    ``cache_dir`` contains one subfolder per source digest and defaults to
    ``default_cache_dir()``. ``source_dir`` defaults to the shipped sources. Reusing a
    build needs only ``java``, while compiling also needs ``javac``.

    Raises JavaNotFoundError when a needed JDK tool is missing and DemoBuildError when
    javac fails.
    """
    sources = source_dir or demo_source_dir()
    cache = cache_dir or default_cache_dir()
    java = find_java_tool("java")
    digest = source_digest(sources)
    build_dir = cache / digest
    classes_dir = build_dir / "classes"

    if _is_complete(classes_dir):
        logger.debug("Reusing demo app build %s", build_dir)
    else:
        _compile_into(build_dir, sources)
    return DemoBuild(java=java, classes_dir=classes_dir, source_digest=digest)


def _java_sources(source_dir: Path) -> list[Path]:
    sources = sorted(source_dir.rglob("*.java"))
    if not sources:
        raise DemoBuildError(f"no .java files found under {source_dir}")
    return sources


def _is_complete(classes_dir: Path) -> bool:
    main_class_file = classes_dir / (MAIN_CLASS.replace(".", "/") + ".class")
    return main_class_file.is_file()


def _compile_into(build_dir: Path, source_dir: Path) -> None:
    """Compile into a temporary sibling of ``build_dir`` and rename it into place."""
    javac = find_java_tool("javac")
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    if build_dir.exists():
        # Only a folder damaged after its rename gets here, since renames are atomic.
        logger.warning("Replacing incomplete demo app build %s", build_dir)
        shutil.rmtree(build_dir)

    staging = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-", dir=build_dir.parent))
    try:
        logger.info("Compiling the demo app into %s", build_dir)
        _run_javac(javac, source_dir, staging / "classes")
        _write_build_info(staging, javac, source_dir)
        _rename_into_place(staging, build_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_javac(javac: Path, source_dir: Path, classes_dir: Path) -> None:
    classes_dir.mkdir(parents=True)
    # An argument file keeps the command line short whatever the number of sources.
    argfile = classes_dir.parent / "sources.txt"
    argfile.write_text(
        "".join(_quote_for_argfile(path) + "\n" for path in _java_sources(source_dir)),
        encoding="utf-8",
    )
    command = [str(javac), *JAVAC_FLAGS, "-d", str(classes_dir), f"@{argfile}"]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=JAVAC_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise DemoBuildError(f"javac timed out after {JAVAC_TIMEOUT_S} s") from error
    finally:
        argfile.unlink()
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise DemoBuildError(f"javac failed with exit code {result.returncode}:\n{output}")


def _quote_for_argfile(path: Path) -> str:
    # javac argument files treat backslash as an escape inside double quotes.
    escaped = str(path).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _write_build_info(staging: Path, javac: Path, source_dir: Path) -> None:
    info = {"javac": str(javac), "flags": list(JAVAC_FLAGS), "source_dir": str(source_dir)}
    (staging / "build.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


def _rename_into_place(staging: Path, build_dir: Path) -> None:
    try:
        staging.rename(build_dir)
    except OSError:
        # Another process finished the same build first, and its copy is equally good.
        if not _is_complete(build_dir / "classes"):
            raise
        logger.debug("Demo app build %s appeared while compiling; using it", build_dir)
