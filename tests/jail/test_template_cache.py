"""Templates compiled once for all the apps of one run (MemoryBytecodeCache in workshop/app_process/tracing.py)."""

from flask import Flask
from flask import render_template
from jinja2 import Environment
from jinja2 import FileSystemLoader

from workshop.app_process.tracing import MemoryBytecodeCache


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
