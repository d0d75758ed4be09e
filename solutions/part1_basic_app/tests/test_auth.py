"""Tests of signing in and out, kept in the session (step 4)."""

# SOLUTION step 5
import pytest
from flask import session


def test_login(client, auth):
    response = auth.login()
    assert response.headers["Location"] == "/"

    with client:  # the request stays open after it is answered: session and g can be read
        response = client.get("/")
        assert session["name"] == "Ada"
    assert b"Signed in as <strong>Ada</strong>" in response.data


@pytest.mark.parametrize("name", ("", "   ", "x" * 51))
def test_login_validate_input(auth, name):
    response = auth.login(name)
    assert response.status_code == 400
    assert b"Please give a name of 1 to 50 characters." in response.data


def test_logout(client, auth):
    auth.login()

    with client:
        auth.logout()
        assert "name" not in session
    assert b"Signed in as" not in client.get("/").data


def test_a_name_in_the_session_is_shown(client):
    with client.session_transaction() as stored:  # write the session cookie before a request
        stored["name"] = "Grace"
    assert b"Signed in as <strong>Grace</strong>" in client.get("/").data
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test signing in and out, for
# example that after POST /login every page says "Signed in as ...", and
# after POST /logout none does.
# END SOLUTION
