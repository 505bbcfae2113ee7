"""Typed parameters an assistant declares; the UI and the CLI build their controls from them."""

from __future__ import annotations

from dataclasses import dataclass


class ParameterError(ValueError):
    """A value that a parameter does not accept; the message says what it does accept."""


@dataclass(frozen=True)
class Choice:
    name: str
    choices: tuple[str, ...]
    default: str
    help: str = ""
    kind = "choice"

    def check(self, value) -> str:
        if value not in self.choices:
            raise ParameterError(f"{self.name} {value!r} is not one of: {', '.join(self.choices)}")
        return value

    def parse(self, text: str) -> str:
        return self.check(text.strip())


@dataclass(frozen=True)
class IntRange:
    name: str
    low: int
    high: int
    default: int
    help: str = ""
    kind = "int"

    def check(self, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise ParameterError(f"{self.name} {value!r} is not a whole number in {self.low}..{self.high}")
        return value

    def parse(self, text: str) -> int:
        try:
            return self.check(int(text))
        except ValueError:
            raise ParameterError(f"{self.name} {text!r} is not a whole number in {self.low}..{self.high}") from None


@dataclass(frozen=True)
class FloatRange:
    name: str
    low: float
    high: float
    default: float
    help: str = ""
    kind = "float"

    def check(self, value) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not self.low <= value <= self.high:
            raise ParameterError(f"{self.name} {value!r} is not a number in {self.low:g}..{self.high:g}")
        return float(value)

    def parse(self, text: str) -> float:
        try:
            return self.check(float(text))
        except ValueError:
            raise ParameterError(f"{self.name} {text!r} is not a number in {self.low:g}..{self.high:g}") from None


@dataclass(frozen=True)
class Boolean:
    name: str
    default: bool
    help: str = ""
    kind = "bool"

    def check(self, value) -> bool:
        if not isinstance(value, bool):
            raise ParameterError(f"{self.name} {value!r} is not on or off")
        return value

    def parse(self, text: str) -> bool:
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ParameterError(f"{self.name} {text!r} is not on or off (use on/off, true/false, 1/0)")


Parameter = Choice | IntRange | FloatRange | Boolean


def describe(parameter: Parameter) -> dict:
    """The parameter as data, for `cowrite assistants --json` and the UI."""
    data = {"name": parameter.name, "kind": parameter.kind, "default": parameter.default, "help": parameter.help}
    if isinstance(parameter, Choice):
        data["choices"] = list(parameter.choices)
    elif isinstance(parameter, (IntRange, FloatRange)):
        data["low"], data["high"] = parameter.low, parameter.high
    return data


def resolve(parameters: tuple[Parameter, ...], given: dict) -> dict:
    """Defaults overlaid with `given` (already typed or text from the command line), each checked."""
    by_name = {p.name: p for p in parameters}
    unknown = set(given) - set(by_name)
    if unknown:
        raise ParameterError(f"unknown parameter {sorted(unknown)[0]!r}; this assistant takes: "
                             f"{', '.join(by_name) or 'none'}")
    values = {}
    for name, parameter in by_name.items():
        if name not in given:
            values[name] = parameter.default
        elif isinstance(given[name], str) and not isinstance(parameter, Choice):
            values[name] = parameter.parse(given[name])
        else:
            values[name] = parameter.check(given[name])
    return values
