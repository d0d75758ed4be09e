"""The kind of a failure: a check's message with the learner's own values taken out.

Two learners whose checks fail for the same reason get the same kind, whatever their app said,
their notes held, or where their files are: quoted texts, lists and objects, file paths, numbers
and long tokens (a cookie, say) each become "…". Taking values out twice changes nothing more,
so the board applies it again to what a learner sends.
"""

import re

MAX_KIND = 200
MAX_READ = 2 * MAX_KIND  # of a message, the start is enough: the rest would be cut off anyway
GAP = "…"
LOOK_AT = re.compile(r"\s*\(look at [^)]*\)?")  # the learner's files, named by the check
VALUES = [
    re.compile(r"\"[^\"]*\"?|“[^”]*”?|(?<!\w)'[^'\n]*'(?!\w)|‘[^’]*’"),  # quoted texts, even cut off at the end
    re.compile(r"[^\s\"'(),;]*[/\\][^\s\"'(),;:/\\]*\.[A-Za-z]\w{0,5}\b"),  # file paths with an extension
    re.compile(r"(?:[A-Za-z]:\\|~/|/(?:home|Users|tmp|var|private)/)[^\s,;)]*"),  # paths of a home or temporary folder
    re.compile(r"\b(?=[\w.-]*\d)(?=[\w.-]*[A-Za-z])[\w.-]{16,}"),  # long tokens: a cookie, a hash
    re.compile(r"\b\d+(?:\.\d+)?\b"),  # numbers
]
NESTED = re.compile(r"\[[^\[\]]*\]|\{[^{}]*\}")  # a list or an object, innermost first
CUT_OFF = re.compile(r"[\[{][^\]}]*$")  # a list or an object cut off at the end of the message
GAPS = re.compile(rf"{GAP}(?:[\s,:=.]*{GAP})+")


def kind_of(message):
    """``message`` with the learner's values taken out, on one line of at most MAX_KIND characters."""
    kind = LOOK_AT.sub("", " ".join(str(message)[:MAX_READ].split()))
    for pattern in VALUES:
        kind = pattern.sub(GAP, kind)
    while NESTED.search(kind):
        kind = NESTED.sub(GAP, kind)
    kind = CUT_OFF.sub(GAP, kind)
    kind = GAPS.sub(GAP, kind)
    return kind.strip()[:MAX_KIND]
