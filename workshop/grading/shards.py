"""One class graded as shards by any batch system (a Slurm job array, a CI matrix), then merged.

``grade SUBMISSIONS --out OUT_K --shard K/N`` grades the K-th of N slices of the submissions: in the
order of the learners' names, every N-th one from the K-th on, the same slices in every job that sees
the same folder. It writes OUT_K/shard.json first: which shard, the learners of its slice, a digest
of the whole class's names and the grading configuration. ``grade merge OUT_1 … OUT_N --out OUT``
checks that every shard is there once, complete and graded the same way, then writes the gradebook,
the platforms' files, the feedback and the report of the whole class from the shards' journals.
"""

import argparse
import hashlib
import json

from . import integrity
from .outputs import atomic
from .store import Journal
from .store import read

MANIFEST = "shard.json"


class Refused(Exception):
    """The shards cannot be merged; the message names the shard or the folder at fault."""


def parse(text):
    """(K, N) from ``K/N``, 1 ≤ K ≤ N (for argparse)."""
    k, slash, n = text.partition("/")
    if not (slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N with 1 <= K <= N, such as 2/8")
    return int(k), int(n)


def slice_of(submissions, shard):
    """The submissions of shard (K, N): every N-th in the given order, from the K-th on."""
    k, n = shard
    return submissions[k - 1::n]


def class_digest(learners):
    return hashlib.sha256(json.dumps(sorted(learners)).encode("utf-8")).hexdigest()


def write_manifest(out, shard, all_learners, learners, config):
    """Record in ``out`` which shard it holds, before grading starts."""
    manifest = {"shard": shard[0], "of": shard[1], "learners": learners, "class": class_digest(all_learners),
                "config": config}
    atomic.write_text(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))


def manifest_of(out):
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not {"shard", "of", "learners", "class", "config"} <= manifest.keys():
            raise ValueError("not a shard's manifest")
    except (OSError, ValueError) as exc:
        raise Refused(f"{out} holds no sound {MANIFEST} ({exc}): is it the --out of a `grade --shard K/N`?") from None
    return manifest


def gather(outs):
    """The records of all shards; Refused naming a shard that is missing, given twice, incomplete or different."""
    manifests = [(out, manifest_of(out)) for out in outs]
    first_out, first = manifests[0]
    total = first["of"]
    seen = {}
    for out, manifest in manifests:
        for field, what in (("of", "another number of shards"), ("class", "another submissions folder"),
                            ("config", "other checks or options")):
            if manifest[field] != first[field]:
                raise Refused(f"{out} was graded with {what} than {first_out}: grade every shard the same way.")
        if manifest["shard"] in seen:
            raise Refused(f"shard {manifest['shard']}/{total} is given twice: {seen[manifest['shard']]} and {out}.")
        seen[manifest["shard"]] = out
    missing = [f"{k}/{total}" for k in range(1, total + 1) if k not in seen]
    if missing:
        raise Refused(f"shard {', '.join(missing)} is missing: give the --out folder of every shard.")
    records = []
    for out, manifest in manifests:
        journal, _ = read(out / atomic.JOURNAL)
        unfinished = [learner for learner in manifest["learners"] if learner not in journal]
        if unfinished:
            raise Refused(f"shard {manifest['shard']}/{total} in {out} is incomplete: no result for"
                          f" {', '.join(unfinished)}; run that shard again with --resume.")
        records += [journal[learner] for learner in manifest["learners"]]
    return records


def merge(records, out):
    """Write the shards' ``records`` to the journal in ``out``; return them with the flags of integrity.py."""
    out.mkdir(parents=True, exist_ok=True)
    journal = Journal(out / atomic.JOURNAL, resume=False)
    for record in records:
        journal.add(record)
    journal.close()
    return integrity.flagged(records)
