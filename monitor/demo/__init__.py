"""The JVM demo app: a small Android-style app that runs on HotSpot with stand-in android.*
classes, so the Frida agent can be tested without a device.

``build_demo()`` compiles the shipped Java sources and returns how to run them;
``DemoDriver`` speaks the app's stdin/stdout protocol.
"""

from monitor.demo.build import (
    APP_PACKAGE,
    MAIN_CLASS,
    DemoBuild,
    DemoBuildError,
    DemoOptions,
    JavaNotFoundError,
    build_demo,
    default_cache_dir,
    demo_source_dir,
    source_digest,
)
from monitor.demo.driver import (
    EVENT_PREFIX,
    DemoCommandError,
    DemoDriver,
    DemoDriverError,
    DemoEvent,
    DemoOutputClosedError,
    Screen,
    ScreenElement,
    Tap,
)

__all__ = [
    "APP_PACKAGE",
    "EVENT_PREFIX",
    "MAIN_CLASS",
    "DemoBuild",
    "DemoBuildError",
    "DemoCommandError",
    "DemoDriver",
    "DemoDriverError",
    "DemoEvent",
    "DemoOptions",
    "DemoOutputClosedError",
    "JavaNotFoundError",
    "Screen",
    "ScreenElement",
    "Tap",
    "build_demo",
    "default_cache_dir",
    "demo_source_dir",
    "source_digest",
]
