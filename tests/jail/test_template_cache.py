"""Templates compiled once for all the apps of one run (MemoryBytecodeCache in workshop/app_process/tracing.py),
and for all its processes (SharedBytecodeCache)."""

from flask import Flask
from flask import render_template
from jinja2 import Environment
from jinja2 import FileSystemLoader

from workshop.app_process.tracing import MemoryBytecodeCache
from workshop.app_process.tracing import SharedBytecodeCache


def compiles(monkeypatch):
    made = []
    compile_template = Environment._compile
    monkeypatch.setattr(Environment, "_compile", lambda env, *args: made.append(args) or compile_template(env, *args))
    return made


def rendered(folder, cache, **values):
    env = Environment(loader=FileSystemLoader(folder), bytecode_cache=cache, autoescape=True)
    return env.get_template("page.html").render(**values)


def test_each_template_compiles_once_for_all_the_environments_that_share_the_cache(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    made, cache = compiles(monkeypatch), MemoryBytecodeCache()
    assert [rendered(tmp_path, cache, name=name) for name in ("<Ada>", "Bo")] == ["<p>&lt;Ada&gt;</p>", "<p>Bo</p>"]
    assert len(made) == 1


def test_a_changed_template_compiles_afresh(tmp_path, monkeypatch):
    page, cache = tmp_path / "page.html", MemoryBytecodeCache()
    page.write_text("<p>{{ name }}</p>", encoding="utf-8")
    made = compiles(monkeypatch)
    assert rendered(tmp_path, cache, name="Ada") == "<p>Ada</p>"
    page.write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    assert rendered(tmp_path, cache, name="Ada") == "<h1>Ada</h1>"
    assert len(made) == 2


def test_flasks_apps_share_it_through_their_jinja_options(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    made, cache = compiles(monkeypatch), MemoryBytecodeCache()
    monkeypatch.setattr(Flask, "jinja_options", {**Flask.jinja_options, "bytecode_cache": cache})  # as zygote.py
    for name in ("Ada", "Bo"):
        with Flask(__name__, template_folder=tmp_path).app_context():
            assert render_template("page.html", name=name) == f"<p>{name}</p>"
    assert len(made) == 1


def test_the_processes_of_a_run_share_what_they_compiled_through_a_folder(tmp_path, monkeypatch):
    app, copy, shared = tmp_path / "app", tmp_path / "copy", tmp_path / "compiled"  # each process a copy of its own
    for folder in (app, copy):
        folder.mkdir()
        (folder / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    made = compiles(monkeypatch)
    assert rendered(app, SharedBytecodeCache(shared), name="<Ada>") == "<p>&lt;Ada&gt;</p>"
    assert rendered(copy, SharedBytecodeCache(shared), name="Bo") == "<p>Bo</p>"
    assert len(made) == 1, "the second process loads what the first compiled"
    (copy / "page.html").write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    assert rendered(copy, SharedBytecodeCache(shared), name="Bo") == "<h1>Bo</h1>", "another source: compiled afresh"
    for written in shared.iterdir():
        written.write_bytes(b"not a template")
    assert rendered(app, SharedBytecodeCache(shared), name="Cy") == "<p>Cy</p>", "a file it cannot read: compiled"
    assert len(made) == 3
