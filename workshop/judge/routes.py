"""The route of a request that did not answer, as the app says: the later requests to the same view.

The app process reports the URL rule its request matched ("/hello/<name>"), a hint from the jail. The judge
takes it as a string of bounded length, parses it as a Werkzeug rule for the stuck request's own method, and
keeps it only if the stuck request's path matches it. A false rule can only refuse more of the app's own
requests: a request refused by its route fails the check that makes it (``RuleStuck`` is never skipped).
"""

from werkzeug.routing import Map
from werkzeug.routing import Rule

MAX_RULE = 200  # characters


class Route:
    """One URL rule of the app, for one method: ``"GET /hello/Bob" in route``."""

    def __init__(self, rule, method):
        self.text = f"{method} {rule}"
        self.urls = Map([Rule(rule, methods=[method])]).bind("localhost")

    def __contains__(self, request):
        method, _, path = request.partition(" ")
        try:
            self.urls.match(path, method)
        except Exception:  # no match, or a redirect to another URL
            return False
        return True

    def __str__(self):
        return self.text


def route_of(request, hint):
    """The Route of ``request`` ("METHOD /path") by the rule ``hint``; None unless ``hint`` is a rule it matches."""
    if not isinstance(hint, str) or len(hint) > MAX_RULE:
        return None
    try:
        route = Route(hint, request.partition(" ")[0])
    except Exception:  # not a rule, or one with a converter of the app's own
        return None
    return route if request in route else None
