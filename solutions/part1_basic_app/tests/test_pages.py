"""Tests of the home page and the greeting (step 1)."""

# SOLUTION step 5
import pytest


def test_index(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Hello, Flask!" in response.data


@pytest.mark.parametrize(
    ("name", "greeting"),
    (
        ("Ada", b"Hello, Ada!"),
        ("<em>Ada", b"Hello, &lt;em&gt;Ada!"),
        ("<script>alert(1)", b"Hello, &lt;script&gt;alert(1)!"),
    ),
)
def test_hello_escapes_the_name(client, name, greeting):
    response = client.get(f"/hello/{name}")
    assert response.status_code == 200
    assert greeting in response.data
# STARTER
# TODO step 5 (notebooks/05_testing.ipynb): test the pages with the client
# fixture, for example that /hello/<name> escapes HTML in the name.
# END SOLUTION
