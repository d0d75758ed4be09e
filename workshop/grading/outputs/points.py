"""Points per check: one each by default, or as ``points.toml`` says.

    [steps]          # every check of the step is worth this much
    6 = 2
    [checks]         # one check (wins over its step)
    serves_under_waitress = 3
"""

import sys

from ...judge import CHECKS

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def default():
    """{check name: points}: one point per check."""
    return {check.name: 1 for check in CHECKS}


def load(path):
    """{check name: points} from a points.toml; ValueError saying what is wrong with it."""
    try:
        with open(path, "rb") as file:
            table = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read the points file {path}: {exc}") from None
    unknown = set(table) - {"steps", "checks"}
    if unknown:
        raise ValueError(f"the points file has unknown tables {sorted(unknown)}: use [steps] and [checks]")
    steps, checks = table.get("steps", {}), table.get("checks", {})
    names = {check.name for check in CHECKS}
    numbers = {str(check.step) for check in CHECKS}
    if set(steps) - numbers:
        raise ValueError(f"the points file names steps that do not exist: {sorted(set(steps) - numbers)}")
    if set(checks) - names:
        raise ValueError(f"the points file names checks that do not exist: {sorted(set(checks) - names)}")
    for key, value in [*steps.items(), *checks.items()]:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"the points of {key!r} must be a number of at least 0, not {value!r}")
    return {check.name: checks.get(check.name, steps.get(str(check.step), 1)) for check in CHECKS}


def number(value):
    """A number of points as people write it: 3, 2.5 (never 3.0 or 2.5000001)."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"
