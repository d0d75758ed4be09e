"""Copies that survive renaming: the learner-written code of each app compared with the class's and the solution's.

Winnowing, the method of MOSS (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
document fingerprinting", SIGMOD 2003): each file becomes a sequence of normalised tokens (every
name one token, every string one, every number one; comments, docstrings' words and layout
gone), every run of ``K`` tokens is hashed, and the smallest hash of every ``WINDOW`` consecutive
ones is kept. An app's fingerprints are the set of those hashes over its files, minus the
starter's: what the learner wrote. Renaming, reformatting, new comments and strings change no
token kind; reordered functions or files leave the set as it was.

The share of an app's fingerprints found in another app (or in the reference solution, or in a
catch-up checkpoint) is their similarity. Source is read as text (regular files, no links, capped),
never run. A flag never changes points.

An app's fingerprints are worked out in its row, under the row's deadline (grader.py), and stored in its record
with the file and lines each covers (``stored``): the supervisor only compares those numbers and cuts the
lines they name out of the record's source to show them. Only the trusted apps (the starter, the solution and
its checkpoints) are fingerprinted in the supervisor.
"""

import base64
import bisect
import collections
import functools
import hashlib
import io
import itertools
import keyword
import os
import re
import stat
import struct
import tokenize
from typing import NamedTuple

from .. import STEPS
from ..release import render_tree
from .submissions import IGNORED

K = 10  # tokens per hashed run: shorter runs are noise (a call, an import line)
WINDOW = 5  # any common run of K + WINDOW - 1 tokens is certain to be found
THRESHOLD = 75  # percent of an app's own fingerprints found elsewhere: calibrated in tests/grading/test_similarity.py
MIN_FINGERPRINTS = 20  # an app that adds less than this to the starter is too small to call a copy
SUFFIXES = (".py", ".html")
FILE_BYTES = 64 * 1024
TOTAL_BYTES = 512 * 1024
REGIONS_SHOWN = 6
COPIES_NAMED = 5  # the most alike apps named in an app's flags and shown in the report
REGION_LINES = 40
REGION_CHARS = 4000
ENTRY = struct.Struct(">QHH")  # a stored fingerprint: its hash, the first and last line it covers
LAST_LINE = 2**16 - 1  # lines beyond it (a capped file of blank lines) are stored as this one
MAX_FINGERPRINTS = 2048  # stored for an app: more than six times the reference solution's 305
MAX_NAME = 4096  # characters of a stored file name (PATH_MAX)

TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{%-?|-?%\}|</?[A-Za-z][\w-]*|'[^'\n]*'|\"[^\"\n]*\"|[A-Za-z_]\w*|\d+|\S")
# each bounded, so that a hostile template cannot make a search go back and forth over the whole file
TEMPLATE_PIECE = re.compile(r"\{\{.{0,500}?\}\}|\{%.{0,500}?%\}|<[^<>]{0,500}>", re.DOTALL)
TEMPLATE_COMMENT = re.compile(r"\{#.{0,2000}?#\}|<!--.{0,2000}?-->", re.DOTALL)
TEMPLATE_WORDS = {"block", "endblock", "extends", "for", "endfor", "if", "elif", "else", "endif", "in", "not", "and",
                  "or", "is", "with", "endwith", "set", "include", "macro", "endmacro", "url_for", "loop"}
SPLIT = "|"  # no hashed run crosses it: reordered functions keep every run
FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+: f-strings are token runs
FSTRING_END = getattr(tokenize, "FSTRING_END", None)
DROPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
           tokenize.ENDMARKER}


def read_source(app_folder):
    """{relative path: text} of the app's Python files and templates that differ from the starter's.

    Regular files only, opened without following links, each and all of them capped.
    """
    starter, found, total = starter_tree(), {}, 0
    for here, dirs, names in os.walk(app_folder):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED)
        for name in sorted(names):
            if not name.endswith(SUFFIXES) or total >= TOTAL_BYTES:
                continue
            path = os.path.join(here, name)
            text = read_capped(path, min(FILE_BYTES, TOTAL_BYTES - total))
            relative = os.path.relpath(path, app_folder).replace(os.sep, "/")
            if text is not None and text != starter.get(relative):
                found[relative] = text
                total += len(text)
    return found


def read_capped(path, limit):
    """The text of a regular file, at most ``limit`` bytes of it, or None (a link, a FIFO, unreadable)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return file.read(limit).decode("utf-8", "replace").replace("\r\n", "\n")


def tokens(relative, text):
    """(kind, line) of each normalised token of a file."""
    return python_tokens(text) if relative.endswith(".py") else template_tokens(text)


def python_tokens(text):
    """(kind, line) of each token; a top-level statement (with its decorators) starts with a SPLIT."""
    found, depth, line_start, decorated = [], 0, True, False
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NEWLINE:
                line_start = True
            if token.type == FSTRING_START:
                depth += 1
            elif token.type == FSTRING_END:
                depth -= 1
                if not depth:
                    found.append(("S", token.start[0]))
            elif depth or token.type in DROPPED:
                continue
            if line_start and token.start[1] == 0:
                if not decorated:
                    found.append((SPLIT, token.start[0]))
                decorated = token.string == "@"
            line_start = False
            if token.type == tokenize.NAME:
                found.append((token.string if keyword.iskeyword(token.string) else "N", token.start[0]))
            elif token.type == tokenize.STRING:
                found.append(("S", token.start[0]))
            elif token.type == tokenize.NUMBER:
                found.append(("0", token.start[0]))
            elif token.type != FSTRING_END:
                found.append((token.string, token.start[0]))
    except (tokenize.TokenError, SyntaxError):  # what came before the broken part still counts
        pass
    return normalised(found)


def normalised(found):
    """Tokens without what layout tools add or take away: brackets around tuples, trailing commas, split strings."""
    out = []
    for kind, line in found:
        if kind in ")]}" and out and out[-1][0] == ",":
            out.pop()
        if kind in ("(", ")") or kind == "S" and out and out[-1][0] == "S":
            continue
        out.append((kind, line))
    return out


def template_tokens(text):
    """(kind, line) of a template's tokens: HTML tags and words kept, Jinja names one kind, each run of text one."""
    text = TEMPLATE_COMMENT.sub(lambda match: "\n" * match[0].count("\n"), text)
    newlines = [match.start() for match in re.finditer("\n", text)]
    found, end = [], 0
    for piece in TEMPLATE_PIECE.finditer(text):
        if text[end:piece.start()].strip():
            found.append(("T", bisect.bisect(newlines, end) + 1))
        end = piece.end()
        jinja = piece[0].startswith("{")
        for match in TEMPLATE_TOKEN.finditer(piece[0]):
            word = match[0]
            named = (word[0].isalpha() or word[0] == "_") and word not in TEMPLATE_WORDS
            kind = "S" if word[0] in "'\"" else "N" if jinja and named else word
            found.append((kind, bisect.bisect(newlines, piece.start() + match.start()) + 1))
    if text[end:].strip():
        found.append(("T", bisect.bisect(newlines, end) + 1))
    return found


def fingerprints(relative, text):
    """{hash: (first line, last line)} of the winnowed runs of K tokens of one file."""
    found, hashes = tokens(relative, text), []
    kinds = [kind for kind, _ in found]
    for at in range(len(found) - K + 1):
        run = kinds[at:at + K]
        if SPLIT not in run:
            digest = hashlib.blake2b("\0".join(run).encode(), digest_size=8).digest()
            hashes.append((int.from_bytes(digest, "big"), found[at][1], found[at + K - 1][1]))
    values = [value for value, _, _ in hashes]
    chosen = {}
    for start in range(max(len(hashes) - WINDOW + 1, 1 if hashes else 0)):
        window = values[start:start + WINDOW]
        value, first, last = hashes[start + len(window) - 1 - window[::-1].index(min(window))]  # the rightmost smallest
        chosen.setdefault(value, (first, last))
    return chosen


def app_fingerprints(source):
    """{hash: [(file, first line, last line), …]} of an app's files, the starter's taken away."""
    boilerplate = starter_fingerprints()
    found = {}
    for relative, text in sorted(source.items()):
        for value, lines in fingerprints(relative, text).items():
            if value not in boilerplate:
                found.setdefault(value, []).append((relative, *lines))
    return found


def stored(source):
    """An app's fingerprints as its record keeps them: {file: base64 of ENTRY for each}, at most MAX_FINGERPRINTS."""
    places = ((value, *place) for value, places in app_fingerprints(source).items() for place in places)
    entries = {}
    for value, relative, first, last in itertools.islice(places, MAX_FINGERPRINTS):
        entries.setdefault(relative, []).append(ENTRY.pack(value, min(first, LAST_LINE), min(last, LAST_LINE)))
    return {relative: base64.b64encode(b"".join(packed)).decode() for relative, packed in entries.items()}


def loaded(fingerprints):
    """{hash: [(file, first line, last line), …]} of stored fingerprints; ValueError if they are not sound."""
    if not isinstance(fingerprints, dict) or len(fingerprints) > MAX_FINGERPRINTS:
        raise ValueError(f"not a map of at most {MAX_FINGERPRINTS} files")
    if not all(isinstance(k, str) and isinstance(v, str) and 0 < len(k) <= MAX_NAME for k, v in fingerprints.items()):
        raise ValueError("not a map of file names to texts")
    if sum(map(len, fingerprints.values())) > ENTRY.size * 4 // 3 * MAX_FINGERPRINTS:  # base64: 4/3 of the bytes
        raise ValueError(f"more than {MAX_FINGERPRINTS} fingerprints")
    found = {}
    for relative, text in sorted(fingerprints.items()):  # each hash's files in order, as app_fingerprints has them
        packed = base64.b64decode(text, validate=True)
        if not packed or len(packed) % ENTRY.size:
            raise ValueError(f"{relative}: not whole fingerprints")
        for value, first, last in ENTRY.iter_unpack(packed):
            if not 1 <= first <= last:
                raise ValueError(f"{relative}: lines {first}–{last}")
            found.setdefault(value, []).append((relative, first, last))
    return found


@functools.cache
def starter_tree():
    return {path: text for path, text in render_tree(0).items() if isinstance(text, str)}


@functools.cache
def starter_fingerprints():
    return {value for relative, text in starter_tree().items() for value in fingerprints(relative, text)}


@functools.cache
def solution_apps():
    """(name, source, fingerprints) of the reference solution and of each earlier catch-up checkpoint."""
    apps = []
    for step in reversed(STEPS):
        source = {path: text for path, text in render_tree(step).items()
                  if isinstance(text, str) and path.endswith(SUFFIXES)}
        name = "the reference solution" if step == max(STEPS) else f"the catch-up checkpoint of step {step}"
        apps.append((name, source, app_fingerprints(source)))
    return apps


def share(mine, theirs):
    """The percentage of ``mine``'s fingerprints found in ``theirs``."""
    return round(100 * len(mine.keys() & theirs.keys()) / len(mine)) if mine else 0


class App(NamedTuple):
    learner: str
    digest: str | None
    source: dict
    fingerprints: dict


def flagged(records, checkpoint_digests=()):
    """The records, each with a flag and a ``copies`` entry for every app or solution its code is alike.

    Each record's stored fingerprints are compared (its source, if any, only shows the matching lines); a record
    that has none (made by hand, not by grade()) is fingerprinted from its source here, as its row would have been.
    An app identical to a checkpoint or to another app (``digest``) is flagged as such already: not again here.
    """
    apps = [App(r["learner"], r.get("digest"), r.get("source") or {}, fingerprints_of(r))
            for r in records if "fingerprints" in r or isinstance(r.get("source"), dict)]
    copies = {app.learner: alike(app, apps, app.digest in checkpoint_digests) for app in apps}
    return [with_copies(record, *copies.get(record["learner"], ([], 0))) for record in records]


def fingerprints_of(record):
    """{hash: [(file, first line, last line), …]} of the app a record holds."""
    if "fingerprints" in record:
        return loaded(record["fingerprints"])
    return loaded(stored(record["source"]))


def alike(app, apps, identical_to_a_checkpoint):
    """(the ``copies`` entries of ``app``, most alike first and at most COPIES_NAMED, how many there are in all)."""
    if len(app.fingerprints) < MIN_FINGERPRINTS:
        return [], 0
    candidates = [(other.learner, f"the submission of {other.learner}", other.source, other.fingerprints)
                  for other in apps if other.learner != app.learner and not (app.digest and other.digest == app.digest)]
    if not identical_to_a_checkpoint:
        candidates.append(max(((None, name, source, theirs) for name, source, theirs in solution_apps()),
                              key=lambda c: (share(app.fingerprints, c[3]), share(c[3], app.fingerprints))))
    # most alike first, learners before the solution, then by name: the same class gives the same flags,
    # in one run or merged from shards
    found = sorted(((share(app.fingerprints, c[3]), c) for c in candidates),
                   key=lambda f: (-f[0], f[1][0] is None, f[1][1]))
    found = [(percent, candidate) for percent, candidate in found if percent >= THRESHOLD]
    return [
        {"other": name, "learner": learner, "percent": percent,
         "regions": matching_regions(app.source, app.fingerprints, source, theirs)}
        for percent, (learner, name, source, theirs) in found[:COPIES_NAMED]
    ], len(found)


def with_copies(record, copies, count):
    if not copies:
        return record
    flags = [f"{c['percent']}% of the code it adds to the starter matches {c['other']}" for c in copies]
    if count > len(copies):
        flags.append(f"{count - len(copies)} more submissions match it beyond {THRESHOLD}%")
    return {**record, "flags": [*record.get("flags", []), *flags], "copies": copies}


def matching_regions(source, mine, other_source, theirs):
    """The largest runs of lines that match, each beside the lines of the other app that it matches."""
    shared = mine.keys() & theirs.keys()
    spans = {}
    for value in shared:
        relative, first, last = mine[value][0]
        spans.setdefault(relative, []).append((first, last, value))
    regions = []
    for relative, found in spans.items():
        for first, last, values in merged(found):
            where = [place for value in values for place in theirs[value]]
            other = collections.Counter(p[0] for p in where).most_common(1)[0][0]  # the file most of them are in
            other_first, other_last = densest([p for p in where if p[0] == other])
            regions.append({
                "file": relative, "lines": [first, last], "text": lines(source.get(relative), first, last),
                "other_file": other, "other_lines": [other_first, other_last],
                "other_text": lines(other_source.get(other), other_first, other_last), "size": len(values),
            })
    return sorted(regions, key=lambda r: -r["size"])[:REGIONS_SHOWN]


def merged(spans):
    """(first, last, hashes) of overlapping or adjacent line spans joined."""
    runs = []
    for first, last, value in sorted(spans, key=lambda span: span[:2]):
        if runs and first <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], last)
            runs[-1][2].append(value)
        else:
            runs.append([first, last, [value]])
    return runs


def densest(places):
    """The line span of the largest joined run among ``places`` (file, first, last) of one file."""
    first, last, _ = max(merged([(a, b, None) for _, a, b in places]), key=lambda run: len(run[2]))
    return first, last


def lines(text, first, last):
    """Lines ``first``…``last`` of ``text`` (at most REGION_LINES and REGION_CHARS of them; "" without a text)."""
    if not isinstance(text, str):
        return ""
    last = min(last, first + REGION_LINES - 1)
    return "\n".join(text.split("\n", last)[first - 1:last])[:REGION_CHARS]  # lines as the tokens count them
