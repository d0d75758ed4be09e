"""``python3 -m workshop grade SUBMISSIONS --out DIR``: grade a folder of submissions.

Writes DIR/results.jsonl as it goes (the journal that --resume reads), then
DIR/grades.csv (and the learning platforms' import files), DIR/feedback/<learner>.md and .txt,
and DIR/report.html, with the flags of workshop/grading/integrity.py added to each record.
--shard K/N and grade merge spread a class over a batch system's jobs (see workshop/grading/shards.py).
"""

import os
import sys
import zipfile
from pathlib import Path

from ..grading import integrity
from ..grading import leftovers
from ..grading import selection
from ..grading import shards
from ..grading.batch import configuration
from ..grading.batch import summary
from ..grading.batch import with_upload
from ..grading.batch import WORST_CASE
from ..grading.grader import Options
from ..grading.lanes import Lanes
from ..grading.outputs import atomic
from ..grading.outputs import bundle
from ..grading.outputs import overrides
from ..grading.platforms.downloads import unpack_download
from ..grading.progress import Progress
from ..grading.safezip import UnsafeArchive
from ..grading.store import Journal
from ..grading.submissions import discover
from ..grading.submissions import fingerprint
from ..jail import cgroups
from ..jail.isolation import PACKAGE
from ..jail.isolation import resolve
from ..jail.sandbox import Limits
from ..jail.sandbox import UNSUPPORTED
from . import command_parser

DOWNLOAD = ".download"  # in --out: the platform's download, unpacked
MERGE = """sub-command:
  grade merge OUT_1 ... OUT_N --out OUT
                        one gradebook, feedback and report from the --out folders of a class's shards
                        (python3 -m workshop grade merge --help tells more)"""


def parse(argv):
    parser = command_parser("grade", __doc__, epilog=MERGE)
    parser.add_argument("submissions", type=Path,
                        help="folder with one folder or .zip per learner, or Moodle's or Canvas's download of an"
                             " assignment's submissions (its zip, or the folder it was unpacked into)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the gradebook, feedback and report")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of CPUs)")
    parser.add_argument("--timeout", type=float, default=WORST_CASE,
                        help=f"seconds allowed to each submission's checks (default {WORST_CASE:g}: every check"
                             " stopped at its own limit)")
    parser.add_argument("--memory", type=int, default=1024, help="memory limit in MB (default 1024)")
    parser.add_argument("--isolation", choices=["auto", "bwrap", "none"], default="auto",
                        help="run each submission in a bubblewrap jail (bwrap: required; auto: when bwrap works here,"
                             " the default) or with resource limits only (none)")
    parser.add_argument("--resume", action="store_true", help="reuse what an interrupted run in DIR finished")
    parser.add_argument("--notebooks", action="store_true", help="also execute each learner's notebooks/*.ipynb")
    bundle.add_arguments(parser)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="regrade these learners only; keep every other row")
    parser.add_argument("--shard", type=shards.parse, metavar="K/N",
                        help="grade only the K-th of N slices (then: grade merge OUT1 ... --out OUT)")
    args = parser.parse_args(argv)
    if not (args.submissions.is_dir() or zipfile.is_zipfile(args.submissions)):
        parser.error(f"{args.submissions} is not a folder nor a zip file")
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 64:
        parser.error("-j must be at least 1, --timeout positive and --memory at least 64 (MB)")
    try:
        args.settings = bundle.Settings.from_args(args)
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




def main(argv):
    if argv[:1] == ["merge"]:
        return merge(argv[1:])
    args = parse(argv)
    options = Options(Limits(seconds=args.timeout, memory_mb=args.memory), notebooks=args.notebooks,
                      isolation=args.isolation, spare_core=args.jobs < (os.cpu_count() or 1))
    if UNSUPPORTED:
        print(f"warning: {UNSUPPORTED}", file=sys.stderr)
    if sys.platform.startswith("linux") and cgroups.missing():
        print(f"warning: {cgroups.missing()}", file=sys.stderr)
    if args.isolation == "none":
        print(f"warning: submissions are not isolated (no bubblewrap): only resource limits apply. {PACKAGE}.",
              file=sys.stderr)
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
    submissions = discover(folder, exclude=[args.out, *atomic.paths(args.out)], people=args.settings.people)
    if args.shard:
        everyone, submissions = submissions, shards.slice_of(submissions, args.shard)
    try:
        only = selection.chosen(args.only, [s.learner for s in submissions],
                                args.settings.people) if args.only else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with Lanes(args.jobs, options) as lanes:
        if not (args.resume or only):  # every submission is graded: the lanes warm up while the configuration is read
            lanes.start(len(submissions))
        try:
            config = configuration(options)
            if args.shard:
                shards.write_manifest(args.out, args.shard, [s.learner for s in everyone],
                                      [s.learner for s in submissions], config)
            records = graded(args, lanes, submissions, only, config)
        except KeyboardInterrupt:
            print("\nInterrupted: finished results are kept; run again with --resume to go on.", file=sys.stderr)
            return 130
    records = integrity.flagged(records)
    if overrides.fingerprint(args.out) != overrides_seen:
        print(f"warning: {overrides.FILE} changed while the submissions were graded: the version read before grading"
              " was used.", file=sys.stderr)
    for note in bundle.write(args.out, records, args.settings, read_overrides):
        print(f"note: {note}", file=sys.stderr)
    print(summary(records, args.out))
    return 0


def graded(args, lanes, submissions, only, config):
    """The record of each submission: the journal's in --out where it holds one for the same code and configuration
    (--resume, --only), else graded by ``lanes``, each added to the journal as it comes with the key of the files
    graded (read as its row starts, in its lane's thread, where no earlier record is looked for)."""
    resumed = args.resume or only is not None
    journal = Journal(args.out / atomic.JOURNAL, resume=resumed)
    try:
        for warning in journal.refused:
            print(f"warning: {warning}", file=sys.stderr)
        keys, records = {}, {}
        if resumed:  # the keys first, to find the records that can be kept
            keys = {s.learner: fingerprint(s) for s in submissions}
            for s in submissions:
                if (record := selection.earlier_record(journal, s.learner, keys[s.learner], config, only)) is not None:
                    records[s.learner] = record
        todo = [s for s in submissions if s.learner not in records]
        if records:
            print(f"Reusing {len(records)} finished result(s); grading {len(todo)}.", file=sys.stderr)
        progress = Progress(len(submissions), list(records.values()), sys.stderr)
        for submission, record, key in lanes.graded(todo, lambda s: keys.get(s.learner) or fingerprint(s)):
            record = {**with_upload(record, submission), "key": key, "config": config}
            journal.add(record)
            records[record["learner"]] = record
            progress.update(record)
    finally:
        journal.close()
    progress.finish()
    return list(records.values())


def merge(argv):
    """grade merge OUT_1 ... OUT_N --out OUT: one gradebook from the shards' outputs."""
    parser = command_parser("grade merge", merge.__doc__)
    parser.add_argument("shards", type=Path, nargs="+", help="the --out folder of each shard")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder for the whole class's gradebook, feedback and report")
    bundle.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.out.resolve() in {s.resolve() for s in args.shards}:
        parser.error("--out must be a folder of its own, not one of the shards'")
    try:
        records = shards.gather(args.shards)
        args.notebooks = any(r.get("notebooks") is not None for r in records)
        settings = bundle.Settings.from_args(args)
    except (shards.Refused, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    records = shards.merge(records, args.out)
    for note in bundle.write(args.out, records, settings):
        print(f"note: {note}", file=sys.stderr)
    print(summary(records, args.out))
    return 0
