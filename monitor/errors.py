"""Errors that end a command, each with the exit code it maps to.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error,
3 instrumentation failed or coverage incomplete.
"""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3


class PrivmonError(Exception):
    exit_code = EXIT_USAGE


class ConfigError(PrivmonError):
    """Invalid configuration, policy, scenario or SDK file."""

    exit_code = EXIT_USAGE


class DeviceError(PrivmonError):
    """The device could not be found or used."""

    exit_code = EXIT_USAGE


class InstrumentationError(PrivmonError):
    """The target could not be spawned, attached or instrumented."""

    exit_code = EXIT_INCOMPLETE


class AgentBuildError(PrivmonError):
    """The agent bundle could not be built (missing node_modules, compile error)."""

    exit_code = EXIT_INCOMPLETE
