"""Step 5 measured against typical mistakes in a learner's own tests, and valid ways to write them.

Each mistake is an edit of the finished app's tests (part1_basic_app/tests/, one file per part of
the app), or a learner's own tests in one file in their place, and must fail a step-5 check, at most
two; each variant, and each other layout of the finished app's tests, must pass all three.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from workshop import APP_NAME
from workshop.judge import judge
from workshop.release import render_tree
from workshop.release import write_tree

CONFTEST, API_TESTS, PAGE_TESTS = "tests/conftest.py", "tests/test_api.py", "tests/test_pages.py"
TESTS = "tests/test_app.py"  # a learner's tests in one file
PAGE_TESTS_START = "def test_index(client):"
CANNOT_FAIL = '''

def test_anything_goes_1(client):
    response = client.get("/api/notes")
    assert response.status_code in (200, 201, 400, 404, 500)


def test_anything_goes_2(client):
    assert client.post("/api/notes", json={"title": "x"}) is not None


def test_anything_goes_3(client):
    try:
        assert client.get("/").status_code == 200
    except AssertionError:
        pass
'''

# name: (file, old text, new text) — when old is None, the file holds the only tests: the others are removed
MISTAKES = {
    "tests that cannot fail": (TESTS, None, CANNOT_FAIL),
    "only two tests": (TESTS, None,
                       "\n\n".join(CANNOT_FAIL.split("\n\n\n")[:2]).replace("in (200, 201, 400, 404, 500)", "== 200")),
    "a test expects the wrong status": (API_TESTS, "    assert response.status_code == 201\n",
                                        "    assert response.status_code == 200\n"),
    "the fixture forgets DATABASE (tests share the real database)": (CONFTEST,
                                                                     '"DATABASE": str(tmp_path / "notes.sqlite"),', ""),
    "the client fixture is missing": (CONFTEST, '@pytest.fixture\ndef client(app):', 'def client(app):'),
    "one real test, two without an assert": (TESTS, None, '''
def test_created_note_is_listed(client):
    assert client.post("/api/notes", json={"title": "Milk"}).status_code == 201


def test_home_page(client):
    client.get("/")


def test_api_answers(client):
    response = client.get("/api/notes")
    assert response.status_code == 201 or 200
'''),
    "three tests assert a response, which is always true": (TESTS, None, '''
def test_created_note_is_listed(client):
    assert client.post("/api/notes", json={"title": "Milk"}).status_code == 201


def test_notes_page(client):
    assert client.get("/notes")


def test_unknown_note(client):
    response = client.get("/api/notes/99")
    assert response


def test_home_page(client):
    assert client.get("/").status_code
'''),
    "asserts of a tuple, an f-string and a method not called": (TESTS, None, '''
def test_created_note_is_listed(client):
    assert client.post("/api/notes", json={"title": "Milk"}).status_code == 201


def test_home_page(client):
    assert (client.get("/").status_code == 200, "the home page answers")


def test_hello(client):
    assert f"{client.get('/hello/Ada').status_code}"


def test_notes(client):
    assert client.get("/api/notes").get_json
'''),
    "the fixture leaves CSRF protection on": (CONFTEST, '"WTF_CSRF_ENABLED": False,', ""),
    "a test waits forever": (API_TESTS, "def test_delete(client):\n",
                             "def test_delete(client):\n    __import__('time').sleep(3600)\n"),
}

VARIANTS = {
    "an auth helper and with client: to look at the session": (TESTS, None, '''
from flask import session


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, name="Ada"):
        return self._client.post("/login", data={"name": name})

    def logout(self):
        return self._client.post("/logout")


def test_login_keeps_the_name(client):
    with client:
        AuthActions(client).login()
        client.get("/")
        assert session["name"] == "Ada"


def test_logout_forgets(client):
    auth = AuthActions(client)
    auth.login()
    auth.logout()
    with client.session_transaction() as s:
        assert "name" not in s


@pytest.mark.parametrize("body, message", [({"title": ""}, "title"), ({"title": "x", "colour": "red"}, "colour")])
def test_bad_notes_are_refused(client, body, message):
    response = client.post("/api/notes", json=body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_created_note_is_listed(client):
    assert client.post("/api/notes", json={"title": "Milk"}).status_code == 201
    assert client.get("/api/notes").get_json()[0]["title"] == "Milk"
'''.replace("from flask import session", "import pytest\nfrom flask import session")),
    "follow_redirects and response.text": (PAGE_TESTS, PAGE_TESTS_START, '''def test_form_shows_the_note(client):
    response = client.post("/notes", data={"title": "Eggs"}, follow_redirects=True)
    assert response.status_code == 200 and "Eggs" in response.text


''' + PAGE_TESTS_START),
}


def is_test_file(path):
    """Whether pytest collects tests from the app's file at ``path`` (its default python_files)."""
    name = path.rpartition("/")[2]
    return path.startswith("tests/") and (name.startswith("test_") or name.endswith("_test.py"))


def in_one_file(tree):
    """The finished app's tests all in tests/test_app.py, one file after the other."""
    tests = sorted(path for path in tree if is_test_file(path))
    return {**{path: text for path, text in tree.items() if path not in tests},
            TESTS: "\n\n".join(tree[path] for path in tests)}


def api_tests_named_the_other_way(tree):
    """The finished app's API tests in tests/api_test.py, pytest's other default name."""
    tree = dict(tree)
    tree["tests/api_test.py"] = tree.pop(API_TESTS)
    return tree


LAYOUTS = {
    "the tests in one file": in_one_file,
    "a test file named api_test.py": api_tests_named_the_other_way,
}


def apply(tree, edit):
    if callable(edit):
        return edit(tree)
    file, old, new = edit
    if old is None:
        return {**{path: text for path, text in tree.items() if not is_test_file(path)}, file: new}
    assert old in tree[file], f"{file} no longer holds {old!r}"
    return {**tree, file: tree[file].replace(old, new, 1)}


@pytest.fixture(scope="module")
def step5_results(tmp_path_factory):
    """Each edit's step-5 results by check name, two edits checked at once."""
    edits = {**MISTAKES, **VARIANTS, **LAYOUTS}
    parents = [tmp_path_factory.mktemp("step5") for _ in edits]  # here: the first makes the base folder, once

    def check(name, parent):
        write_tree(apply(render_tree(6), edits[name]), parent / APP_NAME)
        return {r["name"]: r for r in judge(parent, [5]).results}

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(edits, pool.map(check, edits, parents), strict=True))


@pytest.mark.parametrize("name", MISTAKES)
def test_a_mistake_in_the_learners_tests_fails_one_or_two_step_5_checks(step5_results, name):
    failed = [r for r in step5_results[name].values() if not r["passed"]]
    assert 1 <= len(failed) <= 2, [(r["name"], r["message"]) for r in failed]
    assert all(len(r["message"]) > 30 for r in failed)


@pytest.mark.parametrize("name", [*VARIANTS, *LAYOUTS])
def test_a_valid_way_to_write_tests_passes_step_5(step5_results, name):
    failed = [(r["name"], r["message"]) for r in step5_results[name].values() if not r["passed"]]
    assert not failed


def test_tests_that_cannot_fail_are_named(step5_results):
    message = step5_results["one real test, two without an assert"]["own_tests_exist"]["message"]
    assert "test_home_page, test_api_answers cannot fail" in message


def test_asserting_a_response_is_named_as_a_test_that_cannot_fail(step5_results):
    message = step5_results["three tests assert a response, which is always true"]["own_tests_exist"]["message"]
    assert "test_notes_page, test_unknown_note, test_home_page cannot fail" in message
    assert "a response is true" in message


def test_a_failing_test_is_quoted_and_a_refused_form_explained(step5_results):
    message = step5_results["the fixture leaves CSRF protection on"]["own_tests_pass"]["message"]
    assert "One of them says: assert 400 == 303." in message and '"WTF_CSRF_ENABLED": False' in message


def test_a_failed_assert_is_quoted_with_the_values_compared(step5_results):
    message = step5_results["a test expects the wrong status"]["own_tests_pass"]["message"]
    assert "test_create_then_list_notes. One of them says: assert 201 == 200." in message
