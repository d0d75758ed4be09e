"""An app's fingerprints are worked out in its row (grader.py) and stored in its record; the supervisor only compares
them, and refuses forged ones when it reads the journal back. Also: the whitespace normalisation of integrity.py."""

import base64
import json
import random
import time
import tracemalloc
from types import SimpleNamespace

import pytest
from helpers.grading_submissions import write_app
from helpers.similarity_apps import copied
from helpers.similarity_apps import HONEST
from helpers.similarity_apps import honest_tree
from helpers.similarity_apps import reference_source
from helpers.similarity_apps import renamed

from workshop.grading import grader
from workshop.grading import integrity
from workshop.grading import records
from workshop.grading import similarity
from workshop.grading import store
from workshop.grading.submissions import Submission

RECORD = {"learner": "ada", "message": "", "key": "k", "config": "c", "results": [], "status": "ok", "seconds": 1.0}


@pytest.fixture
def no_parsing(monkeypatch):
    """Learner code may no longer be tokenized: only the trusted apps were, before."""
    similarity.solution_apps()
    similarity.starter_fingerprints()

    def refused(relative, text):
        raise AssertionError(f"{relative} was tokenized outside its row")

    monkeypatch.setattr(similarity, "tokens", refused)


def test_a_record_made_by_grade_carries_the_fingerprints_of_what_the_learner_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(grader, "judge", lambda *args, **kwargs: SimpleNamespace(
        status="ok", message="", results=[], flags=[]))
    write_app(tmp_path / "ada", honest_tree(HONEST[0]))
    record = grader.grade(Submission("ada", tmp_path / "ada"), grader.Options())
    assert records.problem({**RECORD, **record}) is None
    assert similarity.loaded(record["fingerprints"]) == similarity.app_fingerprints(record["source"])
    assert len(similarity.loaded(record["fingerprints"])) >= similarity.MIN_FINGERPRINTS


@pytest.fixture(scope="module")
def copy_records():
    """The records of a copy of the solution (without its source) and of a renamed copy of it, as rows make
    them."""
    mine, copy = reference_source(), copied(reference_source(), renamed)
    return [{"learner": "ada", "fingerprints": similarity.stored(mine), "flags": []},
            {"learner": "bob", "fingerprints": similarity.stored(copy), "source": copy, "flags": []}]


def test_copies_are_flagged_from_stored_fingerprints_alone(copy_records, no_parsing):
    copy = copy_records[1]["source"]
    ada, bob = similarity.flagged(copy_records)
    assert [c["other"] for c in ada["copies"]] == ["the submission of bob", "the reference solution"]
    [region, *_] = [r for c in bob["copies"] if c["learner"] == "ada" for r in c["regions"]]
    assert region["text"] in copy[region["file"]] and region["other_text"] == ""  # ada's source is not kept
    assert region["other_lines"][0] >= 1


def test_a_record_read_back_without_fingerprints_is_not_fingerprinted_from_its_source(tmp_path, no_parsing):
    journal = tmp_path / "results.jsonl"
    journal.write_text(json.dumps({**RECORD, "source": reference_source()}) + "\n", encoding="utf-8")
    read, refused = store.read(journal)
    assert refused == [] and integrity.flagged(list(read.values()))[0]["flags"] == []


def packed(*entries):
    return base64.b64encode(b"".join(similarity.ENTRY.pack(*entry) for entry in entries)).decode()


TOO_MANY = {f"f{n}.py": packed((n, 1, 1)) for n in range(similarity.MAX_FINGERPRINTS + 1)}
FORGED = {
    "a list of numbers": [1, 2, 3],
    "a number": 7,
    "numbers for texts": {"api.py": 12345},
    "an empty name": {"": packed((1, 1, 2))},
    "a long name": {"x" * (similarity.MAX_NAME + 1): packed((1, 1, 2))},
    "not base64": {"api.py": "not base64!"},
    "not ASCII": {"api.py": "é" * 16},
    "a cut entry": {"api.py": packed((1, 1, 2))[:-4]},
    "nothing": {"api.py": ""},
    "line 0": {"api.py": packed((1, 0, 2))},
    "lines backwards": {"api.py": packed((1, 5, 2))},
    "too many files": TOO_MANY,
    "too many in one file": {"api.py": packed(*[(n, 1, 1) for n in range(similarity.MAX_FINGERPRINTS + 1)])},
    "a huge text": {"api.py": "A" * 10_000_000},
}


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED)
def test_a_journal_record_with_forged_fingerprints_is_refused_quickly(tmp_path, forged):
    assert records.problem({**RECORD, "fingerprints": similarity.stored(reference_source())}) is None
    journal = tmp_path / "results.jsonl"
    journal.write_text(json.dumps({**RECORD, "fingerprints": forged}) + "\n", encoding="utf-8")
    started = time.perf_counter()
    read, [refused] = store.read(journal)
    assert time.perf_counter() - started < 2
    assert read == {} and '"fingerprints" are not what grading stores' in refused


def test_a_journal_record_with_a_huge_source_is_refused():
    source = {"api.py": "x" * similarity.TOTAL_BYTES, "pages.py": "y"}
    said = records.problem({**RECORD, "source": source})
    assert said == f'"source" holds more than {similarity.TOTAL_BYTES} characters'


def test_the_most_fingerprints_a_row_stores_are_sound_and_compact():
    source = {"api.py": "\n".join(f"def f{n}(a, b):\n    return [a * {n} + b for b in a if b]" for n in range(9000))}
    source = {"api.py": source["api.py"][:similarity.FILE_BYTES]}
    assert records.problem({**RECORD, "fingerprints": similarity.stored(source)}) is None
    kept = similarity.stored(reference_source())
    count = sum(len(places) for places in similarity.loaded(kept).values())
    assert len(json.dumps(kept)) < 18 * count  # a 64-bit hash and two line numbers in 16 characters


def old_normalised(content):
    return b" ".join(content.split())


TRICKY = [b"", b" ", b"\t\n\r\x0b\x0c", b"a", b" a ", b"\r\na\r\n\r\nb\t", b"a" + b" " * 1000 + b"b",
          b"a" + b" " * 63 + b"b" + b" " * 64 + b"c" + b" " * 65 + b"d" + b" " * 9 + b"e",
          b"\x1c\x1d\x1e\x1f\x85\xa0a\xc2\xa0b\xe3\x80\x80c", bytes(range(256)), bytes(range(256)) * 3 + b"  "]


def test_normalised_is_what_splitting_on_whitespace_gave_byte_for_byte():
    rng = random.Random(25)
    alphabet = b" \t\n\r\x0b\x0c\x1c\x85\xa0ab"
    fuzz = [bytes(rng.choice(alphabet) for _ in range(rng.randrange(200))) for _ in range(2000)]
    for content in TRICKY + fuzz:
        assert integrity.normalised(content) == old_normalised(content), content


def test_normalised_takes_memory_in_proportion_to_the_file():
    content = b'"ab", ' * 1_000_000  # a file of string literals: splitting it made an object of each
    tracemalloc.start()
    try:
        integrity.normalised(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(content)
