"""``python3 -m workshop grade SUBMISSIONS --out DIR``: grade a folder of submissions.

Writes DIR/results.jsonl as it goes (the journal that --resume reads), then
DIR/grades.csv (and the learning platforms' import files), DIR/feedback/<learner>.md and .txt,
and DIR/report.html, with the flags of workshop/grading/integrity.py added to each record.
``--shard K/N`` and ``grade merge`` spread a class over a batch system's jobs (see shards.py).
"""

import argparse
import ast
import hashlib
import json
import os
import sys
import zipfile
from pathlib import Path

from .. import ROOT
from .. import STEPS
from ..jail import cgroups
from ..jail.isolation import PACKAGE, resolve
from ..jail.sandbox import UNSUPPORTED, Interrupted, Limits
from ..judge import worst_case_seconds
from . import exports, integrity, leftovers, outputs, overrides, selection, shards
from .downloads import unpack_download
from .grader import Options, grade, isolation
from .lanes import Lanes
from .progress import Progress
from .records import printable
from .safezip import UnsafeArchive
from .store import Journal
from .submissions import discover, fingerprint

WORST_CASE = worst_case_seconds(STEPS)
DOWNLOAD = ".download"  # in --out: the platform's download, unpacked


def parse(argv):
    parser = argparse.ArgumentParser(prog="python3 -m workshop grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path,
                        help="folder with one folder or .zip per learner, or Moodle's or Canvas's download of an"
                             " assignment's submissions (its zip, or the folder it was unpacked into)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the gradebook, feedback and report")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once (default: the number of CPUs)")
    parser.add_argument("--timeout", type=float, default=WORST_CASE,
                        help=f"seconds allowed to each submission's checks (default {WORST_CASE:g}: every check stopped at its own limit)")
    parser.add_argument("--memory", type=int, default=1024, help="memory limit in MB (default 1024)")
    parser.add_argument("--isolation", choices=["auto", "bwrap", "none"], default="auto",
                        help="run each submission in a bubblewrap jail (bwrap: required; auto: when bwrap works here, the default) or with resource limits only (none)")
    parser.add_argument("--resume", action="store_true", help="reuse what an interrupted run in DIR finished")
    parser.add_argument("--notebooks", action="store_true", help="also execute each learner's notebooks/*.ipynb")
    exports.add_arguments(parser)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="regrade these learners only; keep every other row")
    parser.add_argument("--shard", type=shards.parse, metavar="K/N", help="grade only the K-th of N slices (then: grade merge OUT1 ... --out OUT)")
    args = parser.parse_args(argv)
    if not (args.submissions.is_dir() or zipfile.is_zipfile(args.submissions)):
        parser.error(f"{args.submissions} is not a folder nor a zip file")
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 64:
        parser.error("-j must be at least 1, --timeout positive and --memory at least 64 (MB)")
    try:
        args.settings = exports.Settings.from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        args.isolation = resolve(args.isolation)
    except ValueError as exc:
        parser.error(str(exc))
    out, folder = args.out.resolve(), args.submissions.resolve()
    if out.is_relative_to(folder) and folder not in (out, out.parent):
        parser.error("--out would land inside a learner's submission: choose a folder outside SUBMISSIONS")
    if args.shard and out.is_relative_to(folder):
        parser.error("with --shard, --out must be outside SUBMISSIONS: the other shards would take it for a submission")
    return args


def configuration(options, top=ROOT):
    """A fingerprint of everything that decides a grade: the checks, the grader, every module of the package
    they import, the options."""
    digest = hashlib.sha256(json.dumps([options.limits.seconds, options.limits.memory_mb, options.notebooks, options.isolation]).encode())
    roots = [path for folder in ("judge", "jail", "grading") for path in (top / "workshop" / folder).glob("*.py")]
    for path in imported_files(roots, top):
        digest.update(path.relative_to(top).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def imported_files(roots, top=ROOT):
    """``roots`` and every file of the workshop package under ``top`` that they import, at any depth, in order."""
    seen, todo = set(), list(roots)
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        package = path.relative_to(top).parent.parts
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [a.name.split(".") for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = [*package[:len(package) + 1 - node.level]] if node.level else []
                module = base + (node.module.split(".") if node.module else [])
                modules = [module, *(module + [a.name] for a in node.names)]  # `from . import expect` names a module
            else:
                continue
            for parts in (m for m in modules if m[:1] == ["workshop"]):
                for end in range(1, len(parts) + 1):  # the module, and each package on its way: its __init__.py
                    todo += [top.joinpath(*parts[:end], "__init__.py"), top.joinpath(*parts[:end]).with_suffix(".py")]
    return sorted(seen)


def grade_or_explain(submission, options, stop, more_time=None, lane=None):
    """grade(), turning a failure of the grader itself into a row that says so; every text printable."""
    try:
        return printable(grade(submission, options, stop, more_time, lane))
    except Interrupted:
        raise
    except Exception as exc:
        return printable({
            "learner": submission.learner, "status": "error", "results": [], "notebooks": None, "seconds": 0,
            "message": f"The grader itself failed on this submission ({type(exc).__name__}: {exc}); please report it.",
        })


def with_upload(record, submission):
    """The record with what a platform's download says of it: flags, and the names to send the feedback back under."""
    upload = submission.upload
    if upload is None:
        return record
    return {**record, "flags": [*upload.flags, *record.get("flags", [])], "upload": upload.record()}


def main(argv):
    if argv[:1] == ["merge"]:
        return shards.merge(argv[1:])
    args = parse(argv)
    options = Options(Limits(seconds=args.timeout, memory_mb=args.memory), notebooks=args.notebooks, isolation=args.isolation)
    if UNSUPPORTED:
        print(f"warning: {UNSUPPORTED}", file=sys.stderr)
    if sys.platform.startswith("linux") and cgroups.missing():
        print(f"warning: {cgroups.missing()}", file=sys.stderr)
    if args.isolation == "none":
        print(f"warning: submissions are not isolated (no bubblewrap): only resource limits apply. {PACKAGE}.", file=sys.stderr)
    leftovers.clear()
    args.out.mkdir(mode=0o700, parents=True, exist_ok=True)  # the gradebook is for the instructor only
    read_overrides, overrides_seen = overrides.load(args.out), overrides.fingerprint(args.out)
    try:
        folder = args.submissions
        if folder.is_file():
            folder = unpack_download(folder, args.out / DOWNLOAD)
    except (UnsafeArchive, zipfile.BadZipFile, OSError) as exc:
        print(f"error: the download {args.submissions} cannot be unpacked: {exc}", file=sys.stderr)
        return 2
    submissions = discover(folder, exclude=[args.out, *outputs.paths(args.out)], people=args.settings.people)
    config = configuration(options)
    if args.shard:
        everyone, submissions = submissions, shards.slice_of(submissions, args.shard)
        shards.write_manifest(args.out, args.shard, [s.learner for s in everyone], [s.learner for s in submissions], config)
    try:
        only = selection.chosen(args.only, [s.learner for s in submissions], args.settings.people) if args.only else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    journal = Journal(args.out / outputs.JOURNAL, resume=args.resume or only is not None)
    for warning in journal.refused:
        print(f"warning: {warning}", file=sys.stderr)
    keys = {s.learner: fingerprint(s) for s in submissions}
    records = {}
    for s in submissions:
        if (record := selection.earlier_record(journal, s.learner, keys[s.learner], config, only)) is not None:
            records[s.learner] = record
    todo = [s for s in submissions if s.learner not in records]
    if records:
        print(f"Reusing {len(records)} finished result(s); grading {len(todo)}.", file=sys.stderr)
    progress = Progress(len(submissions), list(records.values()), sys.stderr)
    try:
        with Lanes(args.jobs, options, todo) as lanes:
            for submission, graded in lanes:
                record = {**with_upload(graded, submission), "key": keys[submission.learner], "config": config}
                journal.add(record)
                records[record["learner"]] = record
                progress.update(record)
    except KeyboardInterrupt:
        print("\nInterrupted: finished results are kept; run again with --resume to go on.", file=sys.stderr)
        return 130
    finally:
        journal.close()
    progress.finish()
    records = integrity.flagged(list(records.values()))
    if overrides.fingerprint(args.out) != overrides_seen:
        print(f"warning: {overrides.FILE} changed while the submissions were graded: the version read before grading was used.", file=sys.stderr)
    for note in exports.write(args.out, records, args.settings, read_overrides):
        print(f"note: {note}", file=sys.stderr)
    print(summary(records, args.out))
    return 0


def summary(records, out):
    statuses = {}
    for record in records:
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    flagged = [f"  {r['learner']}: {'; '.join(r['flags'])}" for r in records if r["flags"]]
    return "\n".join([
        f"Graded {sum(statuses.values())} submission(s): {counts or 'none'}.",
        *filter(None, [isolation(records)]),
        *([f"Flagged for a look ({len(flagged)}):", *flagged] if flagged else []),
        f"Wrote {out / outputs.GRADEBOOK}, {out / outputs.FEEDBACK}/, {out / outputs.REPORT}",
    ])
