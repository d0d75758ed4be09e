"""Shards: a class graded as three shards (as three jobs of a batch system would) and merged
gives the same gradebook as one run; a missing, duplicated or unfinished shard is refused by name."""

import json
import shutil
import subprocess
import sys

import pytest
from helpers.grading_submissions import app
from helpers.grading_submissions import FINISHED
from helpers.grading_submissions import prepended
from helpers.grading_submissions import write_app

from workshop import ROOT
from workshop.grading import shards

TIMEOUT = 20
# learner: the app it submits (None: a folder without an app). Sorted, every third learner is in the
# same shard: the twins learner-2 and learner-3 land in different shards.
CLASS = {
    "learner-1": app(1), "learner-2": app(2), "learner-3": app(2), "learner-4": app(3), "learner-5": app(4),
    "learner-6": app(FINISHED), "learner-7": None, "learner-8": prepended(app(FINISHED), "pages.py", "def broken(:"),
    "learner-9": app(3),
}


def grade(*arguments):
    command = [sys.executable, "-m", "workshop.grading", *map(str, arguments)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process):
    stdout, stderr = process.communicate(timeout=300)
    return process.returncode, stdout, stderr


@pytest.fixture(scope="module")
def sharded_class(tmp_path_factory):
    """(the folder with one run's output in one/, the shards' in shard-1/ … and the merge's in merged/)."""
    base = tmp_path_factory.mktemp("shards")
    for learner, tree in CLASS.items():
        if tree is None:
            (base / "submissions" / learner).mkdir(parents=True)
            (base / "submissions" / learner / "README.md").write_text("no app here\n")
        else:
            write_app(base / "submissions" / learner, tree)
    options = ["--timeout", TIMEOUT, "-j", "1"]
    jobs = [grade(base / "submissions", "--out", base / "one", "-j", "2", "--timeout", TIMEOUT)]
    jobs += [grade(base / "submissions", "--out", base / f"shard-{k}", "--shard", f"{k}/3", *options)
             for k in (1, 2, 3)]
    for job in jobs:
        code, _, stderr = finished(job)
        assert code == 0, stderr
    code, _, stderr = finished(grade("merge", *(base / f"shard-{k}" for k in (1, 2, 3)), "--out", base / "merged"))
    assert code == 0, stderr
    return base


def verdicts(out):
    """{learner: (status, [passed per check])} from a results.jsonl."""
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["learner"]: (r["status"], [c["passed"] for c in r["results"]]) for r in records}


def test_each_learner_is_graded_in_exactly_one_shard(sharded_class):
    slices = [json.loads((sharded_class / f"shard-{k}" / shards.MANIFEST).read_text())["learners"] for k in (1, 2, 3)]
    assert sorted(sum(slices, [])) == sorted(CLASS)
    assert slices[0] == ["learner-1", "learner-4", "learner-7"]


def test_three_shards_merged_give_the_rows_of_one_run(sharded_class):
    one, merged = sharded_class / "one", sharded_class / "merged"
    assert (merged / "grades.csv").read_text(encoding="utf-8") == (one / "grades.csv").read_text(encoding="utf-8")
    assert verdicts(merged) == verdicts(one)
    assert sorted(p.name for p in (merged / "feedback").iterdir()) == sorted(p.name
                                                                             for p in (one / "feedback").iterdir())
    assert (merged / "report.html").is_file()


def test_twins_in_different_shards_are_flagged_after_the_merge(sharded_class):
    text = (sharded_class / "merged" / "grades.csv").read_text(encoding="utf-8")
    assert "identical to the submission of learner-3" in text and "identical to the submission of learner-2" in text


def merge(tmp_path, *outs):
    return finished(grade("merge", *outs, "--out", tmp_path / "merged"))


def test_a_missing_shard_is_refused_by_name(sharded_class, tmp_path):
    code, _, stderr = merge(tmp_path, sharded_class / "shard-1", sharded_class / "shard-3")
    assert code == 2 and "shard 2/3 is missing" in stderr


def test_a_shard_given_twice_is_refused_by_name(sharded_class, tmp_path):
    shutil.copytree(sharded_class / "shard-2", tmp_path / "copy-of-2")
    code, _, stderr = merge(tmp_path, *(sharded_class / f"shard-{k}" for k in (1, 2, 3)), tmp_path / "copy-of-2")
    assert code == 2 and "shard 2/3 is given twice" in stderr and "copy-of-2" in stderr


def test_the_same_folder_given_twice_is_refused(sharded_class, tmp_path):
    code, _, stderr = merge(tmp_path, *(sharded_class / f"shard-{k}" for k in (1, 1, 2, 3)))
    assert code == 2 and "shard 1/3 is given twice" in stderr


def test_an_unfinished_shard_is_refused_by_name(sharded_class, tmp_path):
    shutil.copytree(sharded_class / "shard-3", tmp_path / "shard-3")
    journal = tmp_path / "shard-3" / "results.jsonl"
    journal.write_text("".join(journal.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    code, _, stderr = merge(tmp_path, sharded_class / "shard-1", sharded_class / "shard-2", tmp_path / "shard-3")
    assert code == 2 and "shard 3/3" in stderr and "incomplete" in stderr and "--resume" in stderr


def test_a_folder_that_is_no_shard_is_refused_by_name(sharded_class, tmp_path):
    code, _, stderr = merge(tmp_path, sharded_class / "shard-1", sharded_class / "one")
    assert code == 2 and f"{sharded_class / 'one'} holds no sound shard.json" in stderr


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0"])
def test_a_shard_is_k_of_n(text):
    with pytest.raises(Exception, match="K/N"):
        shards.parse(text)


def test_slices_are_every_nth_from_the_kth():
    learners = list(range(10))
    assert [shards.slice_of(learners, (k, 3)) for k in (1, 2, 3)] == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert shards.slice_of(learners, (5, 12)) == [4]
    assert shards.slice_of(learners, (12, 12)) == []


def test_a_shards_output_must_be_outside_the_submissions(sharded_class):
    submissions = sharded_class / "submissions"
    code, _, stderr = finished(grade(submissions, "--out", submissions / "out", "--shard", "1/2"))
    assert code == 2 and "outside SUBMISSIONS" in stderr
