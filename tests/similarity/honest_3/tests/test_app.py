def test_index(client):
    assert b"Hello, Flask!" in client.get("/").data


def test_api_round_trip(client):
    r = client.post("/api/notes", json={"title": "a", "body": "b"})
    assert r.status_code == 201
    url = r.headers["Location"]
    assert client.put(url, json={"title": "c"}).json["title"] == "c"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_bad_json(client):
    assert client.post("/api/notes", data="{", content_type="application/json").status_code == 400


def test_form_error_keeps_input(client):
    r = client.post("/notes", data={"title": "", "body": "kept"})
    assert r.status_code == 400 and b"kept" in r.data
