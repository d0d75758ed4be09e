"""URL rules compiled once per process, not once per app.

Each app the checks and the learner's tests make registers the same URL rules again, and Werkzeug compiles each
(``Rule.compile``): it parses the rule into parts and converters, then compiles two Python functions, its builders
(``Rule._compile_builder``: an AST, then ``compile()``). That is most of the time ``create_app`` takes, and
``install()`` keeps both for the next app:

- A rule's parts depend on its text, its host (where the map matches hosts) or else its subdomain, whether it
  merges slashes, and the map's converters. A rule of Werkzeug's own class on a map with Werkzeug's own
  converters takes the parts parsed for the same rule before, and copies of its converters bound to its own map;
  any other is compiled afresh.
- A builder is made from the rule's parts, the names of its defaults and whether it appends unknown arguments; it
  reaches the rule only through its ``self`` argument (its converters, its query encoding). So the same parts make
  the same function. A rule whose defaults fill one of its variables (folded in with its converter) is compiled
  afresh.
"""

import copy

from werkzeug.routing import Map
from werkzeug.routing import Rule

KEPT = 1024  # rules and builders kept, each at most: a learner's app has a dozen rules
_compile = Rule._compile_builder
_parse = Rule.compile
_built = {}
_parsed = {}


def install():
    """Compile each rule once in this process and the processes it forks."""
    Rule.compile = compile_rule
    Rule._compile_builder = compile_builder


def compile_rule(rule):
    rules = rule.map
    if type(rule) is not Rule or rules.converters != Map.default_converters:
        _parse(rule)
        return
    key = (rule.rule, rule.host if rules.host_matching else rule.subdomain, rule.merge_slashes)
    if key not in _parsed:
        _parse(rule)
        if len(_parsed) >= KEPT:
            _parsed.clear()
        _parsed[key] = (tuple(rule._parts), tuple(rule._trace), {name: bound(converter, None)
                                                                 for name, converter in rule._converters.items()})
        return
    parts, trace, converters = _parsed[key]
    rule._parts, rule._trace = list(parts), list(trace)
    rule._converters = {name: bound(converter, rules) for name, converter in converters.items()}
    rule.arguments.update(converters)
    rule._build = rule._compile_builder(False).__get__(rule, None)
    rule._build_unknown = rule._compile_builder(True).__get__(rule, None)


def bound(converter, rules):
    """A copy of ``converter`` (made from the same arguments) for the map ``rules``."""
    made = copy.copy(converter)
    made.map = rules
    return made


def compile_builder(rule, append_unknown=True):
    defaults = tuple(rule.defaults or ())
    if any(dynamic and name in defaults for dynamic, name in rule._trace):
        return _compile(rule, append_unknown)
    key = (rule.rule, tuple(rule._trace), defaults, append_unknown)
    if key not in _built:
        if len(_built) >= KEPT:
            _built.clear()
        _built[key] = _compile(rule, append_unknown)
    return _built[key]
