"""Scenarios: Maestro flow files that drive an app's UI during a monitoring run."""

from monitor.scenarios.drivers import (
    AdbUiDriver,
    DemoSession,
    DemoUiDriver,
    UnsupportedActionError,
    make_scenario_driver,
)
from monitor.scenarios.engine import (
    DEFAULT_AGREE_PATTERNS,
    DEFAULT_REFUSE_PATTERNS,
    ConsentMatcher,
    Element,
    ScenarioEngine,
    ScenarioError,
    UiDriver,
    check_expectations,
)
from monitor.scenarios.loader import SUPPORTED_COMMANDS, load_scenario
from monitor.scenarios.model import Scenario, Step

__all__ = [
    "DEFAULT_AGREE_PATTERNS",
    "DEFAULT_REFUSE_PATTERNS",
    "SUPPORTED_COMMANDS",
    "AdbUiDriver",
    "ConsentMatcher",
    "DemoSession",
    "DemoUiDriver",
    "Element",
    "Scenario",
    "ScenarioEngine",
    "ScenarioError",
    "Step",
    "UiDriver",
    "UnsupportedActionError",
    "check_expectations",
    "load_scenario",
    "make_scenario_driver",
]
