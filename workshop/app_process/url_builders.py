"""URL rules' builders compiled once per process, not once per app.

Each app the checks and the learner's tests make registers the same URL rules again, and Werkzeug compiles two
Python functions for each (``Rule._compile_builder``: an AST, then ``compile()``), most of the time ``create_app``
takes. A builder is made from the rule's parts, the names of its defaults and whether it appends unknown
arguments; it reaches the rule only through its ``self`` argument (its converters, its query encoding). So the
same parts make the same function, and ``install()`` keeps it for the next app. A rule whose defaults fill one of
its variables (folded in with its converter) is compiled afresh, as before.
"""

from werkzeug.routing import Rule

BUILDERS = 1024  # kept at most: a learner's app has a dozen rules
_compile = Rule._compile_builder
_built = {}


def install():
    """Compile each builder once in this process and the processes it forks."""
    Rule._compile_builder = compile_builder


def compile_builder(rule, append_unknown=True):
    defaults = tuple(rule.defaults or ())
    if any(dynamic and name in defaults for dynamic, name in rule._trace):
        return _compile(rule, append_unknown)
    key = (rule.rule, tuple(rule._trace), defaults, append_unknown)
    if key not in _built:
        if len(_built) >= BUILDERS:
            _built.clear()
        _built[key] = _compile(rule, append_unknown)
    return _built[key]
