"""Load Maestro flow files into a Scenario, with the file and line of every error.

A flow is a header document (``appId``, optional ``name`` and ``tags``), ``---``, then a
list of commands. The YAML is composed rather than loaded so that every command and field
keeps its node's line number for error messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from monitor.android import validate_package_name
from monitor.errors import ConfigError
from monitor.paths import read_input_text
from monitor.scenarios import model
from monitor.scenarios.model import Scenario, Step

log = logging.getLogger(__name__)

# Expanding nested repeats multiplies steps, so a typo such as `times: 100000` fails early.
MAX_STEPS = 10_000
MAX_INCLUDE_DEPTH = 16

# Command name -> (model, field that a scalar shorthand fills, or None if it takes none).
_COMMANDS: dict[str, tuple[type[BaseModel], str | None]] = {
    "launchApp": (model.LaunchApp, "appId"),
    "stopApp": (model.AppCommand, "appId"),
    "clearState": (model.AppCommand, "appId"),
    "tapOn": (model.TapOn, "text"),
    "inputText": (model.InputText, "text"),
    "eraseText": (model.EraseText, "charactersToErase"),
    "assertVisible": (model.Selector, "text"),
    "assertNotVisible": (model.Selector, "text"),
    "extendedWaitUntil": (model.ExtendedWaitUntil, None),
    "waitForAnimationToEnd": (model.WaitForAnimationToEnd, "timeout"),
    "back": (model.NoArguments, None),
    "pressKey": (model.PressKey, "key"),
    "swipe": (model.Swipe, None),
    "scroll": (model.NoArguments, None),
    "scrollUntilVisible": (model.ScrollUntilVisible, None),
    "takeScreenshot": (model.TakeScreenshot, "path"),
    "privmon.consent": (model.PrivmonConsent, "decision"),
    "privmon.background": (model.PrivmonSeconds, "seconds"),
    "privmon.wait": (model.PrivmonSeconds, "seconds"),
}
_CONTROL = ("repeat", "runFlow", "privmon.expectNoFindings")
SUPPORTED_COMMANDS = (*_COMMANDS, *_CONTROL)

# Fields whose scalar shorthand is itself a selector: `visible: "Agree"`.
_SELECTOR_FIELDS = {"visible", "notVisible", "element"}


def load_scenario(path: Path | str) -> Scenario:
    """Load and validate a flow file, raising ConfigError with the file, line and field."""
    path = Path(path)
    header, commands = _read_flow(path, require_header=True)
    app_id = _header_app_id(header, path)
    scenario = Scenario(
        app_id=app_id,
        path=str(path),
        name=_header_str(header, "name", path),
        tags=_header_tags(header, path),
    )
    _check_supported(commands, path)
    _Expander(scenario).expand(commands, path, context="", depth=0)
    log.info("loaded scenario %s: %d steps", path, len(scenario.steps))
    return scenario


def _read_flow(path: Path, require_header: bool) -> tuple[yaml.MappingNode | None, yaml.Node]:
    text = read_input_text(path, "scenario")
    try:
        documents = [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]
    except yaml.YAMLError as error:
        raise ConfigError(f"Invalid YAML in {path}{_yaml_error_line(error)}: {error}") from error
    if len(documents) == 2 and isinstance(documents[0], yaml.MappingNode):
        return documents[0], documents[1]
    if len(documents) == 1 and not require_header:
        return None, documents[0]
    raise ConfigError(
        f"Invalid scenario {path}: expected a header with appId, a '---' line, then a list "
        f"of commands, but found {len(documents)} YAML document(s)"
    )


def _yaml_error_line(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" line {mark.line + 1}" if mark is not None else ""


def _construct(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _header_app_id(header: yaml.MappingNode | None, path: Path) -> str:
    value = _header_value(header, "appId")
    if value is None:
        raise ConfigError(f"Invalid scenario {path} line 1: appId is missing from the header")
    node, app_id = value
    try:
        return validate_package_name(app_id)
    except ValueError as error:
        raise ConfigError(f"Invalid appId at {path} line {_line(node)}: {error}") from error


def _header_str(header: yaml.MappingNode | None, key: str, path: Path) -> str | None:
    value = _header_value(header, key)
    if value is None:
        return None
    node, text = value
    if not isinstance(text, str):
        raise ConfigError(f"Invalid {key} at {path} line {_line(node)}: expected a string")
    return text


def _header_tags(header: yaml.MappingNode | None, path: Path) -> list[str]:
    value = _header_value(header, "tags")
    if value is None:
        return []
    node, tags = value
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"Invalid tags at {path} line {_line(node)}: expected a list of strings")
    return tags


def _header_value(header: yaml.MappingNode | None, key: str) -> tuple[yaml.Node, Any] | None:
    if header is None:
        return None
    for key_node, value_node in header.value:
        if key_node.value == key:
            return value_node, _construct(value_node)
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _split_command(node: yaml.Node, path: Path) -> tuple[str, yaml.Node | None]:
    """Return a list item's command name and its argument node (None for a bare name)."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value:
        return node.value, None
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        key_node, value_node = node.value[0]
        if isinstance(key_node, yaml.ScalarNode):
            return str(key_node.value), value_node
    raise ConfigError(
        f"Invalid command at {path} line {_line(node)}: each list item must be a command name "
        'or a mapping with exactly one command, such as `- tapOn: "Agree"`'
    )


def _command_list(node: yaml.Node, path: Path, description: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(f"Invalid {description} at {path} line {_line(node)}: expected a list")
    return list(node.value)


def _check_supported(commands: yaml.Node, path: Path) -> None:
    """Raise one ConfigError naming every unsupported command in this file's top level and
    in inline repeat/runFlow lists. Included files are checked when they are read."""
    unsupported = [
        f"'{name}' at {path} line {line}"
        for name, line in _walk_names(commands, path)
        if name not in SUPPORTED_COMMANDS
    ]
    if unsupported:
        raise ConfigError(
            f"Unsupported command {', '.join(unsupported)}: privmon runs "
            f"{', '.join(SUPPORTED_COMMANDS)}"
        )


def _walk_names(commands: yaml.Node, path: Path) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for item in _command_list(commands, path, "command list"):
        name, argument = _split_command(item, path)
        found.append((name, _line(item)))
        nested = _nested_commands(name, argument)
        if nested is not None:
            found.extend(_walk_names(nested, path))
    return found


def _nested_commands(name: str, argument: yaml.Node | None) -> yaml.Node | None:
    if name not in ("repeat", "runFlow") or not isinstance(argument, yaml.MappingNode):
        return None
    for key_node, value_node in argument.value:
        if key_node.value == "commands":
            return value_node
    return None


class _Expander:
    """Validate commands and append them to the scenario, expanding repeat and runFlow."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._handlers: dict[str, Callable[[yaml.Node | None, Path, int, str, int], None]] = {
            "repeat": self._repeat,
            "runFlow": self._run_flow,
            "privmon.expectNoFindings": self._expect_no_findings,
        }

    def expand(self, commands: yaml.Node, path: Path, context: str, depth: int) -> None:
        for item in _command_list(commands, path, "command list"):
            name, argument = _split_command(item, path)
            handler = self._handlers.get(name)
            if handler is not None:
                handler(argument, path, _line(item), context, depth)
            else:
                self._add(name, argument, path, _line(item), context)

    def _add(
        self, name: str, argument: yaml.Node | None, path: Path, line: int, context: str
    ) -> None:
        if len(self.scenario.steps) >= MAX_STEPS:
            raise ConfigError(
                f"Scenario {self.scenario.path} expands to more than {MAX_STEPS} steps at "
                f"{path} line {line}: lower the repeat counts"
            )
        command = _validate(name, argument, path, line)
        self.scenario.steps.append(Step(name, command, str(path), line, context))

    def _repeat(
        self, argument: yaml.Node | None, path: Path, line: int, context: str, depth: int
    ) -> None:
        fields = _mapping_fields(argument, path, line, "repeat", {"times", "commands"})
        times_node = fields.get("times")
        times = _construct(times_node) if times_node is not None else None
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise ConfigError(
                f"Invalid repeat at {path} line {_line(times_node or argument)}: field 'times' "
                "must be a whole number of at least 1"
            )
        if "commands" not in fields:
            raise ConfigError(f"Invalid repeat at {path} line {line}: field 'commands' is missing")
        for round_number in range(1, times + 1):
            label = f"repeat {round_number}/{times}"
            inner = f"{context} > {label}" if context else label
            self.expand(fields["commands"], path, inner, depth)

    def _run_flow(
        self, argument: yaml.Node | None, path: Path, line: int, context: str, depth: int
    ) -> None:
        if depth >= MAX_INCLUDE_DEPTH:
            raise ConfigError(
                f"runFlow at {path} line {line} nests more than {MAX_INCLUDE_DEPTH} flows deep: "
                "check for a flow that includes itself"
            )
        if isinstance(argument, yaml.ScalarNode):
            self._include(str(argument.value), path, line, context, depth)
            return
        fields = _mapping_fields(argument, path, line, "runFlow", {"file", "commands"})
        if ("file" in fields) == ("commands" in fields):
            raise ConfigError(
                f"Invalid runFlow at {path} line {line}: give either 'file' or 'commands'"
            )
        if "commands" in fields:
            self.expand(fields["commands"], path, context, depth + 1)
        else:
            self._include(str(_construct(fields["file"])), path, line, context, depth)

    def _include(self, relative: str, path: Path, line: int, context: str, depth: int) -> None:
        included = (path.parent / relative).resolve()
        if not included.is_file():
            raise ConfigError(
                f"runFlow at {path} line {line}: file {relative!r} not found (looked for "
                f"{included}); paths are relative to the flow that includes them"
            )
        _, commands = _read_flow(included, require_header=False)
        _check_supported(commands, included)
        label = f"runFlow {relative}"
        self.expand(commands, included, f"{context} > {label}" if context else label, depth + 1)

    def _expect_no_findings(
        self, argument: yaml.Node | None, path: Path, line: int, context: str, depth: int
    ) -> None:
        rules = _construct(argument) if argument is not None else None
        if not isinstance(rules, list) or not all(isinstance(r, str) and r for r in rules):
            raise ConfigError(
                f"Invalid privmon.expectNoFindings at {path} line {line}: expected a list of "
                "rule ids, such as [pre_consent, frequency]"
            )
        self.scenario.expect_no_findings.extend(
            r for r in rules if r not in self.scenario.expect_no_findings
        )


def _mapping_fields(
    argument: yaml.Node | None, path: Path, line: int, name: str, allowed: set[str]
) -> dict[str, yaml.Node]:
    if not isinstance(argument, yaml.MappingNode):
        raise ConfigError(f"Invalid {name} at {path} line {line}: expected a mapping")
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in argument.value:
        key = str(key_node.value)
        if key not in allowed:
            raise ConfigError(
                f"Invalid {name} at {path} line {_line(key_node)}: unknown field {key!r}; "
                f"{name} takes {', '.join(sorted(allowed))}"
            )
        fields[key] = value_node
    return fields


def _validate(name: str, argument: yaml.Node | None, path: Path, line: int) -> model.Command:
    model_class, shorthand = _COMMANDS[name]
    data = _arguments(name, argument, shorthand, path, line)
    try:
        return model_class.model_validate(data)
    except ValidationError as error:
        raise _field_error(name, error, argument, path, line) from error


def _arguments(
    name: str, argument: yaml.Node | None, shorthand: str | None, path: Path, line: int
) -> dict[str, Any]:
    value = _construct(argument) if argument is not None else None
    if value is None:
        return {}
    if isinstance(value, dict):
        return {k: _selector_shorthand(k, v) for k, v in value.items()}
    if shorthand is None:
        raise ConfigError(f"Invalid {name} at {path} line {line}: expected a mapping of fields")
    return {shorthand: value}


def _selector_shorthand(key: Any, value: Any) -> Any:
    return {"text": value} if key in _SELECTOR_FIELDS and isinstance(value, str) else value


def _field_error(
    name: str, error: ValidationError, argument: yaml.Node | None, path: Path, line: int
) -> ConfigError:
    first = error.errors()[0]
    location = [part for part in first["loc"] if not str(part).startswith("function-")]
    node = _node_at(argument, location) if argument is not None else None
    field_name = ".".join(str(part) for part in location)
    field_text = f" field '{field_name}'" if field_name else ""
    # An error on the whole command, such as a missing field, points at the command's line.
    where = _line(node) if node is not None and location else line
    detail = first["msg"].removeprefix("Value error, ")
    return ConfigError(f"Invalid {name} at {path} line {where}:{field_text} {detail}")


def _node_at(node: yaml.Node, location: list[Any]) -> yaml.Node:
    """Follow a pydantic error location into the YAML tree, as far as it exists."""
    for part in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            match = node.value[part] if part < len(node.value) else None
        else:
            match = None
        if match is None:
            break
        node = match
    return node
