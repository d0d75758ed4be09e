"""A catalogue of typical learner mistakes, and of valid variants, as small edits of the finished app.

A mistake names the step whose checks must catch it and the file that holds it; a variant is
another correct way to write the app, which every check must accept. ``check_change`` runs the
checks of steps 1-4 and 6 on the finished app with one change applied.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workshop import APP_NAME
from workshop.judge import judge
from workshop.release import render_tree
from workshop.release import write_tree
from workshop.selfcheck import warm_worker

CHECKED_STEPS = [1, 2, 3, 4, 6]
FINISHED = 6
INSTANCE = "../"  # a path that leaves the app folder: instance/ sits beside it


@dataclass(frozen=True)
class Change:
    name: str
    step: int | None  # the step whose checks must catch the mistake; None for a valid variant
    file: str  # the file that holds the change, relative to part1_basic_app/
    old: str
    new: str
    more: tuple = ()  # further (file, old, new) replacements it needs, such as an import

    def edits(self):
        return [(self.file, self.old, self.new), *self.more]


def mistake(step, name, file, old, new, *more):
    return Change(name, step, file, old, new, more)


def variant(name, file, old, new, *more):
    return Change(name, None, file, old, new, more)


def import_markup(file, first_import):
    """The edit that adds ``from markupsafe import Markup`` after a file's first import."""
    return (file, first_import, first_import + "from markupsafe import Markup\n")


PAGES_IMPORT = "from flask import Blueprint, render_template\n"
NOTES_IMPORT = "from flask import Blueprint, flash, redirect, render_template, request, url_for\n"
AUTH_IMPORT = "from flask import Blueprint, abort, flash, redirect, request, session, url_for\n"
API_IMPORT = "from flask import Blueprint, abort, jsonify, request, url_for\n"
WSGI_HEADERS = '''    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
'''
LOGIN_REDIRECT = 'flash(f"Welcome, {name}!")\n    return redirect(url_for("pages.index"), 303)'
LOGOUT_REDIRECT = 'flash("You are signed out.")\n    return redirect(url_for("pages.index"), 303)'
ERROR_PAGE = 'return render_template("error.html", error=error), error.code, headers'
API_TEST = 'if request.path == "/api" or request.path.startswith("/api/"):'
REGISTER = "app.register_error_handler(HTTPException, handle_http_error)"

MISTAKES = [
    # step 1: the raw WSGI application
    mistake(1, "wsgi body is a str", "raw_wsgi.py", "return [body]", "return [body.decode()]"),
    mistake(1, "wsgi body is bare bytes", "raw_wsgi.py", "return [body]", "return body"),
    mistake(1, "wsgi status without reason", "raw_wsgi.py", 'start_response("200 OK", headers)',
            'start_response("200", headers)'),
    mistake(1, "wsgi status not ok", "raw_wsgi.py", 'start_response("200 OK", headers)',
            'start_response("202 Accepted", headers)'),
    mistake(1, "wsgi content type html", "raw_wsgi.py", '"text/plain; charset=utf-8"', '"text/html; charset=utf-8"'),
    mistake(1, "wsgi no content type", "raw_wsgi.py", '        ("Content-Type", "text/plain; charset=utf-8"),\n', ""),
    mistake(1, "wsgi headers as dict", "raw_wsgi.py", WSGI_HEADERS,
            '    headers = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body))}\n'),
    mistake(1, "wsgi content length int", "raw_wsgi.py", '("Content-Length", str(len(body)))',
            '("Content-Length", len(body))'),
    mistake(1, "wsgi content length of the text", "raw_wsgi.py",
            "body = f\"Hello, WSGI! You asked for {environ.get('PATH_INFO', '/')}\\n\".encode(\"utf-8\")",
            "text = f\"Hello, WSGI! ✓ You asked for {environ.get('PATH_INFO', '/')}\\n\"\n    body ="
            " text.encode(\"utf-8\")",
            ("raw_wsgi.py", '("Content-Length", str(len(body)))', '("Content-Length", str(len(text)))')),
    mistake(1, "wsgi ignores the path", "raw_wsgi.py", "You asked for {environ.get('PATH_INFO', '/')}",
            "You asked for a page"),
    # step 1: the first routes
    mistake(1, "hello name marked safe in the view", "pages.py", 'name=name)', 'name=Markup(name))',
            import_markup("pages.py", PAGES_IMPORT)),
    mistake(1, "hello f-string without escape", "pages.py", 'return render_template("hello.html", name=name)',
            'return f"<p>Hello, {name}!</p>"'),
    mistake(1, "hello render_template_string with the name", "pages.py",
            'return render_template("hello.html", name=name)',
            'return render_template_string("{% extends \'base.html\' %}{% block content %}<h1>Hello, " + name +'
            ' "!</h1>{% endblock %}")',
            ("pages.py", PAGES_IMPORT, "from flask import Blueprint, render_template, render_template_string\n")),
    mistake(1, "hello safe filter", "templates/hello.html", "{{ name }}", "{{ name|safe }}"),
    mistake(1, "hello autoescape false", "templates/hello.html", "<h1>Hello, {{ name }}!</h1>",
            "{% autoescape false %}<h1>Hello, {{ name }}!</h1>{% endautoescape %}"),
    mistake(1, "hello without comma", "templates/hello.html", "Hello, {{ name }}!", "Hello {{ name }}!"),
    mistake(1, "home page without comma", "templates/index.html", "<h1>Hello, Flask!</h1>", "<h1>Hello Flask!</h1>"),
    mistake(1, "endless loop in the home page", "pages.py", '    return render_template("index.html")',
            '    while True:\n        pass\n    return render_template("index.html")'),
    mistake(1, "hello capitalises the name", "pages.py", 'name=name)', 'name=name.capitalize())'),
    mistake(1, "wsgi status in lower case", "raw_wsgi.py", 'start_response("200 OK", headers)',
            'start_response("200 ok", headers)'),
    mistake(1, "home page as plain text", "pages.py", 'return render_template("index.html")',
            'return render_template("index.html"), {"Content-Type": "text/plain; charset=utf-8"}'),
    # step 2: the JSON API
    mistake(2, "create answers 200", "api.py", 'return note, 201, {"Location"', 'return note, 200, {"Location"'),
    mistake(2, "create without Location", "api.py",
            'return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}', "return note, 201"),
    mistake(2, "create Location names the list", "api.py", 'url_for("api.get_note", note_id=note["id"])',
            'url_for("api.list_notes")'),
    mistake(2, "create answers the id only", "api.py", 'return note, 201, {', 'return {"id": note["id"]}, 201, {'),
    mistake(2, "create without validation", "api.py", "note = db.create_note(**read_note())",
            "note = db.create_note(**request.get_json())"),
    mistake(2, "create drops the body", "api.py", "note = db.create_note(**read_note())",
            'note = db.create_note(read_note()["title"])'),
    mistake(2, "validation refused with a bare abort(400)", "api.py", "        abort(400, error)\n",
            "        abort(400)\n"),
    mistake(2, "validation refused with Werkzeug's BadRequest", "api.py", "        abort(400, error)\n",
            "        raise BadRequest()\n",
            ("api.py", API_IMPORT, API_IMPORT + "from werkzeug.exceptions import BadRequest\n")),
    mistake(2, "validation refused with 422", "api.py", "        abort(400, error)\n", "        abort(422, error)\n"),
    mistake(2, "create answers the whole list", "api.py", 'return note, 201, {"Location"',
            'return jsonify(db.list_notes()), 201, {"Location"'),
    mistake(2, "create stores the note twice", "api.py", "note = db.create_note(**read_note())",
            "fields = read_note()\n    db.create_note(**fields)\n    note = db.create_note(**fields)"),
    mistake(2, "list answers 201", "api.py", "return jsonify(db.list_notes())", "return jsonify(db.list_notes()), 201"),
    mistake(2, "list as a JSON text", "api.py", "return jsonify(db.list_notes())", "return json.dumps(db.list_notes())",
            ("api.py", API_IMPORT, API_IMPORT + "import json\n")),
    mistake(2, "get answers a list of one", "api.py", "return find_note(note_id)",
            "return jsonify([find_note(note_id)])"),
    mistake(2, "put answers the merge without storing it", "api.py",
            "return found(db.update_note(note_id, **read_note()), note_id)",
            "return {**find_note(note_id), **read_note()}"),
    mistake(2, "put on an unknown note creates it", "api.py",
            "find_note(note_id)\n    # None when another request deleted the note meanwhile\n    return"
            " found(db.update_note(note_id, **read_note()), note_id)",
            "if db.get_note(note_id) is None:\n        return db.create_note(**read_note()), 201\n    return"
            " db.update_note(note_id, **read_note())"),
    mistake(2, "delete answers 200 without a body", "api.py", 'return "", 204', 'return "", 200'),
    mistake(2, "delete answers 202", "api.py", 'return "", 204', 'return "", 202'),
    mistake(2, "get wraps the note in an object", "api.py", "return find_note(note_id)",
            'return {"note": find_note(note_id)}'),
    mistake(2, "put answers the note as it was", "api.py",
            "find_note(note_id)\n    # None when another request deleted the note meanwhile\n    return"
            " found(db.update_note(note_id, **read_note()), note_id)",
            "note = find_note(note_id)\n    db.update_note(note_id, **read_note())\n    return note"),
    mistake(2, "list wrapped in an object", "api.py", "return jsonify(db.list_notes())",
            "return jsonify(notes=db.list_notes())"),
    mistake(2, "list not called", "api.py", "return jsonify(db.list_notes())", "return jsonify(db.list_notes)"),
    mistake(2, "list as a Python repr", "api.py", "return jsonify(db.list_notes())", "return str(db.list_notes())"),
    mistake(2, "get without 404", "api.py", "return find_note(note_id)", "return db.get_note(note_id)"),
    mistake(2, "get 404 as an empty 200", "api.py", "return find_note(note_id)", "return db.get_note(note_id) or {}"),
    mistake(2, "put without 404", "api.py",
            "find_note(note_id)\n    # None when another request deleted the note meanwhile\n    return"
            " found(db.update_note(note_id, **read_note()), note_id)", "return db.update_note(note_id, **read_note())"),
    mistake(2, "put without validation", "api.py", "db.update_note(note_id, **read_note())",
            "db.update_note(note_id, **request.get_json())"),
    mistake(2, "list newest first", "api.py", "return jsonify(db.list_notes())",
            "return jsonify(db.list_notes()[::-1])"),
    mistake(2, "put answers 201", "api.py", "return found(db.update_note(note_id, **read_note()), note_id)",
            "return found(db.update_note(note_id, **read_note()), note_id), 201"),
    mistake(2, "put answers 204", "api.py", "return found(db.update_note(note_id, **read_note()), note_id)",
            'db.update_note(note_id, **read_note())\n    return "", 204'),
    mistake(2, "delete answers 200 with a body", "api.py", 'return "", 204', 'return {"deleted": note_id}'),
    mistake(2, "delete without 404", "api.py", "find_note(note_id)\n    db.delete_note(note_id)",
            "db.delete_note(note_id)"),
    # step 3: templates, the form, POST-redirect-GET, flash
    mistake(3, "hello.html safe filter, step 3's template", "templates/hello.html", "<h1>Hello, {{ name }}!</h1>",
            "<h1>Hello, {{ name|safe }}!</h1>"),
    mistake(3, "notes title safe filter", "templates/notes.html", "{{ note.title }}", "{{ note.title|safe }}"),
    mistake(3, "notes body safe filter", "templates/notes.html", "<p>{{ note.body }}</p>",
            "<p>{{ note.body|safe }}</p>"),
    mistake(3, "notes autoescape false", "templates/notes.html", "{% for note in notes %}",
            "{% autoescape false %}{% for note in notes %}",
            ("templates/notes.html", "{% endfor %}\n  </ul>", "{% endfor %}{% endautoescape %}\n  </ul>")),
    mistake(3, "notes titles marked safe in the view", "notes.py",
            'render_template("notes.html", notes=db.list_notes(), form={})',
            'render_template("notes.html", notes=[{**n, "title": Markup(n["title"])} for n in db.list_notes()],'
            ' form={})',
            import_markup("notes.py", NOTES_IMPORT)),
    mistake(3, "flash message as Markup", "notes.py", "flash(f\"Added the note “{fields['title']}”.\")",
            "flash(Markup(f\"Added the note <em>{fields['title']}</em>.\"))", import_markup("notes.py", NOTES_IMPORT)),
    mistake(3, "title value unquoted", "templates/notes.html", 'value="{{ form.title }}"', "value={{ form.title }}"),
    mistake(3, "title value safe filter", "templates/notes.html", 'value="{{ form.title }}"',
            'value="{{ form.title|safe }}"'),
    mistake(3, "typed body safe filter", "templates/notes.html", "{{ form.body }}</textarea>",
            "{{ form.body|safe }}</textarea>"),
    mistake(3, "form answers a page instead of a redirect", "notes.py", 'return redirect(url_for("notes.index"), 303)',
            'return render_template("notes.html", notes=db.list_notes(), form={})'),
    mistake(3, "form redirects permanently", "notes.py", 'redirect(url_for("notes.index"), 303)',
            'redirect(url_for("notes.index"), 301)'),
    mistake(3, "form redirects home", "notes.py", 'redirect(url_for("notes.index"), 303)',
            'redirect(url_for("pages.index"), 303)'),
    mistake(3, "form without flash", "notes.py", "    flash(f\"Added the note “{fields['title']}”.\")\n", ""),
    mistake(3, "flashed messages shown nowhere", "templates/base.html",
            '    {% for message in get_flashed_messages() %}\n      <p class="flash">{{ message }}</p>\n   '
            ' {% endfor %}\n', ""),
    mistake(3, "form redirects with 307", "notes.py", 'redirect(url_for("notes.index"), 303)',
            'redirect(url_for("notes.index"), 307)'),
    mistake(3, "form redirects to /notes/", "notes.py", 'redirect(url_for("notes.index"), 303)',
            'redirect("/notes/", 303)'),
    mistake(3, "form stores the body as the title", "notes.py", "db.create_note(**fields)",
            'db.create_note(fields["body"] or fields["title"], fields["title"])'),
    mistake(3, "form skips validation", "notes.py", "    fields, error = validate_note(form)\n",
            "    fields, error = form, None\n"),
    mistake(3, "invalid form answers 422", "notes.py", "form=form, error=error), 400", "form=form, error=error), 422"),
    mistake(3, "invalid form flashes and redirects", "notes.py",
            'return render_template("notes.html", notes=db.list_notes(), form=form, error=error), 400',
            'flash(error)\n        return redirect(url_for("notes.index"), 303)'),
    mistake(3, "invalid form keeps the title only", "notes.py", "form=form, error=error), 400",
            'form={"title": form["title"]}, error=error), 400'),
    mistake(3, "notes title striptags filter", "templates/notes.html", "{{ note.title }}",
            "{{ note.title|striptags }}"),
    mistake(3, "flashed messages safe filter", "templates/base.html", '<p class="flash">{{ message }}</p>',
            '<p class="flash">{{ message|safe }}</p>'),
    mistake(3, "notes form title field misnamed", "templates/notes.html", '<input name="title"',
            '<input name="note_title"'),
    mistake(3, "notes form body field misnamed", "templates/notes.html", '<textarea name="body"',
            '<textarea name="content"'),
    mistake(3, "form stores nothing", "notes.py", "    db.create_note(**fields)\n", ""),
    mistake(3, "invalid form answers 200", "notes.py", "form=form, error=error), 400", "form=form, error=error)"),
    mistake(3, "invalid form forgets the input", "notes.py", "form=form, error=error), 400",
            "form={}, error=error), 400"),
    mistake(3, "invalid form hides the error", "templates/notes.html",
            '{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}', ""),
    mistake(3, "textarea forgets the body", "templates/notes.html", "{{ form.body }}</textarea>", "</textarea>"),
    mistake(3, "notes page without the layout", "templates/notes.html", '{% extends "base.html" %}\n', ""),
    mistake(3, "hello page without the layout", "templates/hello.html", '{% extends "base.html" %}\n', ""),
    mistake(3, "home page without a template", "pages.py", 'return render_template("index.html")',
            'return \'<h1>Hello, Flask!</h1><p>See the <a href="/notes">notes</a>.</p>\''),
    mistake(3, "home page without the layout", "templates/index.html", '{% extends "base.html" %}\n', ""),
    mistake(3, "form sent with GET", "templates/notes.html",
            '<form method="post" action="{{ url_for(\'notes.create\') }}">',
            '<form action="{{ url_for(\'notes.create\') }}">'),
    mistake(3, "form sent to the API", "templates/notes.html", "url_for('notes.create')", "url_for('api.create_note')"),
    mistake(3, "notes page without bodies", "templates/notes.html", "<p>{{ note.body }}</p>", ""),
    mistake(3, "notes page left to do", "notes.py",
            'return render_template("notes.html", notes=db.list_notes(), form={})',
            'abort(501, "TODO step 3: show the notes page in part1_basic_app/notes.py.")',
            ("notes.py", NOTES_IMPORT, NOTES_IMPORT + "from flask import abort\n")),
    # step 4: sessions
    mistake(4, "notes form without its CSRF token", "templates/notes.html",
            '    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">\n', ""),
    mistake(4, "sign-out form without its CSRF token", "templates/base.html",
            '{{ url_for(\'auth.logout\') }}">\n        <input type="hidden" name="csrf_token"'
            ' value="{{ csrf_token() }}">', '{{ url_for(\'auth.logout\') }}">'),
    mistake(4, "sign-in form without its CSRF token", "templates/base.html",
            '{{ url_for(\'auth.login\') }}">\n        <input type="hidden" name="csrf_token"'
            ' value="{{ csrf_token() }}">', '{{ url_for(\'auth.login\') }}">'),
    mistake(4, "CSRF protection never initialised", "__init__.py", "    csrf.init_app(app)\n", ""),
    mistake(4, "the JSON API not exempt from CSRF", "__init__.py", "    csrf.exempt(api.bp)\n", ""),
    mistake(4, "login redirects to the notes", "auth.py", LOGIN_REDIRECT,
            LOGIN_REDIRECT.replace("pages.index", "notes.index")),
    mistake(4, "login answers a page", "auth.py", LOGIN_REDIRECT,
            'flash(f"Welcome, {name}!")\n    return "You are signed in."'),
    mistake(4, "login keeps the old session", "auth.py", '    session.clear()\n    session["name"] = name',
            '    session["name"] = name'),
    mistake(4, "login clears after storing", "auth.py", '    session.clear()\n    session["name"] = name',
            '    session["name"] = name\n    session.clear()'),
    mistake(4, "logout redirects to the sign-in URL", "auth.py", LOGOUT_REDIRECT,
            LOGOUT_REDIRECT.replace("pages.index", "auth.login")),
    mistake(4, "login stores another key", "auth.py", 'session["name"] = name', 'session["user"] = name'),
    mistake(4, "login reads the query string", "auth.py", 'request.form.get("name", "")',
            'request.args.get("name", "")'),
    mistake(4, "login without strip", "auth.py", 'request.form.get("name", "").strip()',
            'request.form.get("name", "")'),
    mistake(4, "login without length limit", "auth.py", "if not name or len(name) > NAME_MAX:", "if not name:"),
    mistake(4, "login refuses with a redirect", "auth.py",
            'abort(400, f"Please give a name of 1 to {NAME_MAX} characters.")',
            'flash("Please give a name.")\n        return redirect(url_for("pages.index"), 303)'),
    mistake(4, "welcome flash as Markup", "auth.py", 'flash(f"Welcome, {name}!")',
            'flash(Markup(f"Welcome, <strong>{name}</strong>!"))',
            import_markup("auth.py", AUTH_IMPORT)),
    mistake(4, "logout also as a GET route", "auth.py", '@bp.post("/logout")',
            '@bp.route("/logout", methods=["GET", "POST"])'),
    mistake(4, "login also as a GET route reading request.values", "auth.py", '@bp.post("/login")',
            '@bp.route("/login", methods=["GET", "POST"])',
            ("auth.py", 'request.form.get("name", "")', 'request.values.get("name", "")')),
    mistake(4, "login length limit off by one", "auth.py", "len(name) > NAME_MAX", "len(name) >= NAME_MAX"),
    mistake(4, "login length limit of its own", "auth.py", "len(name) > NAME_MAX", "len(name) > 20"),
    mistake(4, "login redirects to next", "auth.py", LOGIN_REDIRECT,
            LOGIN_REDIRECT.replace('url_for("pages.index")', 'request.args.get("next") or url_for("pages.index")')),
    mistake(4, "login redirects back to the referrer", "auth.py", LOGIN_REDIRECT,
            LOGIN_REDIRECT.replace('url_for("pages.index")', 'request.referrer or url_for("pages.index")')),
    mistake(4, "notes form read whole, csrf_token included", "notes.py",
            '{"title": request.form.get("title", ""), "body": request.form.get("body", "")}', "request.form.to_dict()"),
    mistake(4, "login refuses a bad name with 401", "auth.py", 'abort(400, f"Please give', 'abort(401, f"Please give'),
    mistake(4, "logout pops another key", "auth.py", '    session.clear()\n    flash("You are signed out.")',
            '    session.pop("user", None)\n    flash("You are signed out.")'),
    mistake(4, "sign-in and sign-out exempt from CSRF", "__init__.py", "    csrf.exempt(api.bp)\n",
            "    csrf.exempt(api.bp)\n    csrf.exempt(auth.bp)\n"),
    mistake(4, "secret key from the environment with a literal fallback", "__init__.py",
            'app.config["SECRET_KEY"] = secrets.token_hex()',
            'app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-key-123")'),
    mistake(4, "sign-out form posts to the sign-in URL", "templates/base.html",
            '<form method="post" action="{{ url_for(\'auth.logout\') }}">',
            '<form method="post" action="{{ url_for(\'auth.login\') }}">'),
    mistake(4, "sign-in form shown when signed in too", "templates/base.html", "    {% else %}\n",
            "    {% endif %}{% if true %}\n"),
    mistake(4, "logout keeps the session", "auth.py", '    session.clear()\n    flash("You are signed out.")',
            '    flash("You are signed out.")'),
    mistake(4, "logout as a GET route", "auth.py", '@bp.post("/logout")', '@bp.get("/logout")'),
    mistake(4, "nav name safe filter", "templates/base.html", "{{ session.name }}</strong>",
            "{{ session.name|safe }}</strong>"),
    mistake(4, "home greeting safe filter", "templates/index.html", "<p>Hello, {{ session.name }}!</p>",
            "<p>Hello, {{ session.name|safe }}!</p>"),
    mistake(4, "nav sign-out form sent with GET", "templates/base.html",
            '<form method="post" action="{{ url_for(\'auth.logout\') }}">',
            '<form action="{{ url_for(\'auth.logout\') }}">'),
    mistake(4, "nav sign-in field misnamed", "templates/base.html", '<input name="name" required',
            '<input name="username" required'),
    mistake(4, "nav greets nobody", "templates/base.html", "Signed in as <strong>{{ session.name }}</strong>",
            "Hello, <strong>{{ session.name }}</strong>"),
    mistake(4, "nav tests the whole session", "templates/base.html", "{% if session.name %}", "{% if session %}"),
    mistake(4, "cookie not HttpOnly", "__init__.py", "SESSION_COOKIE_HTTPONLY=True,", "SESSION_COOKIE_HTTPONLY=False,"),
    mistake(4, "cookie without SameSite", "__init__.py", '        SESSION_COOKIE_SAMESITE="Lax",\n', ""),
    mistake(4, "cookie SameSite None", "__init__.py", 'SESSION_COOKIE_SAMESITE="Lax"',
            'SESSION_COOKIE_SAMESITE="None"'),
    mistake(4, "literal secret key", "__init__.py", "MAX_CONTENT_LENGTH=1024 * 1024,\n",
            'MAX_CONTENT_LENGTH=1024 * 1024,\n        SECRET_KEY="dev",\n'),
    mistake(4, "literal secret key fallback", "__init__.py", 'app.config["SECRET_KEY"] = secrets.token_hex()',
            'app.config["SECRET_KEY"] = "change-me"'),
    # step 6: error handlers
    mistake(6, "500 page shows the original exception", "errors.py",
            '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n',
            '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n'
            '    original = getattr(error, "original_exception", None)\n    if original is not None:\n'
            '        error.description = f"{type(original).__name__}: {original}"\n'),
    mistake(6, "500 page shows the exception's repr", "errors.py",
            '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n',
            '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n'
            '    if error.code == 500 and error.original_exception:\n        error.description ='
            ' repr(error.original_exception)\n'),
    mistake(6, "500 JSON shows the original exception", "api.py", "response = jsonify(error=error.description)",
            'response = jsonify(error=str(getattr(error, "original_exception", None) or error.description))'),
    mistake(6, "debug mode on in create_app", "__init__.py", "MAX_CONTENT_LENGTH=1024 * 1024,\n",
            "MAX_CONTENT_LENGTH=1024 * 1024,\n        DEBUG=True,\n"),
    mistake(6, "exceptions propagated", "__init__.py", "MAX_CONTENT_LENGTH=1024 * 1024,\n",
            "MAX_CONTENT_LENGTH=1024 * 1024,\n        PROPAGATE_EXCEPTIONS=True,\n"),
    mistake(6, "api errors for JSON requests only", "errors.py", API_TEST, "if request.is_json:"),
    mistake(6, "api errors when the client accepts JSON", "errors.py", API_TEST,
            'if request.accept_mimetypes.best == "application/json":'),
    mistake(6, "error page always 404", "errors.py", ERROR_PAGE,
            'return render_template("error.html", error=error), 404, headers'),
    mistake(6, "api prefix without its slash", "errors.py", API_TEST, 'if request.path.startswith("/api"):'),
    mistake(6, "html 405 without Allow", "errors.py", ERROR_PAGE,
            'return render_template("error.html", error=error), error.code'),
    mistake(6, "html Allow as a list", "errors.py", '", ".join(error.valid_methods)', "str(error.valid_methods)"),
    mistake(6, "html Allow written out", "errors.py", '", ".join(error.valid_methods)', '"GET, POST"'),
    mistake(6, "error page answers 200", "errors.py", ERROR_PAGE, 'return render_template("error.html", error=error)'),
    mistake(6, "handler for 404 only", "errors.py", REGISTER, "app.register_error_handler(404, handle_http_error)"),
    mistake(6, "HTTP handler for every exception", "errors.py", REGISTER,
            "app.register_error_handler(Exception, handle_http_error)"),
    mistake(6, "error page without the layout", "errors.py", ERROR_PAGE,
            'return f"<h1>{error.code} {error.name}</h1><p>{error.description}</p>", error.code, headers'),
    mistake(6, "api root answers HTML", "errors.py", API_TEST, 'if request.path.startswith("/api/"):'),
    mistake(6, "error page as plain text", "errors.py", ERROR_PAGE, "return error.description, error.code, headers"),
    mistake(6, "api errors by blueprint", "errors.py", API_TEST, 'if request.blueprint == "api":'),
    mistake(6, "errors always HTML", "errors.py", f"    {API_TEST}\n        return error_response(error)\n", ""),
    mistake(6, "errors always JSON", "errors.py", f"    {API_TEST}\n        return error_response(error)\n",
            "    return error_response(error)\n"),
]

NOTES_API = '''@bp.get("/notes")
def list_notes():
    """Every note, oldest first."""
    return jsonify(db.list_notes())


@bp.post("/notes")
def create_note():
    """Create a note: 201 Created, with its URL in the Location header."""
    note = db.create_note(**read_note())
    return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}
'''
NOTES_METHOD_VIEW = '''class NotesAPI(MethodView):
    """The collection of notes: list them, add one."""

    def get(self):
        return jsonify(db.list_notes())

    def post(self):
        note = db.create_note(**read_note())
        return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}


bp.add_url_rule("/notes", view_func=NotesAPI.as_view("notes"))
'''

NOTES_ONE_VIEW = '''@bp.route("/notes", methods=["GET", "POST"])
def notes():
    """Every note, oldest first; or create one: 201 Created, with its URL in the Location header."""
    if request.method == "GET":
        return jsonify(db.list_notes())
    note = db.create_note(**read_note())
    return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}
'''

VARIANTS = [
    variant("CSRFProtect(app) made in create_app", "__init__.py", "    csrf.init_app(app)\n",
            "    csrf = CSRFProtect(app)\n"),
    variant("CSRF token field in single quotes", "templates/notes.html",
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">',
            "<input type='hidden' name='csrf_token' value='{{ csrf_token() }}'>"),
    variant("one view for the collection", "api.py", NOTES_API, NOTES_ONE_VIEW),
    variant("form redirect 302", "notes.py", 'redirect(url_for("notes.index"), 303)',
            'redirect(url_for("notes.index"))'),
    variant("login redirect 302", "auth.py", LOGIN_REDIRECT, LOGIN_REDIRECT.replace(", 303)", ")")),
    variant("logout redirect to a literal /", "auth.py", LOGOUT_REDIRECT,
            'flash("You are signed out.")\n    return redirect("/")'),
    variant("other flash wording", "notes.py", "flash(f\"Added the note “{fields['title']}”.\")",
            'flash("Note saved!", "success")',
            ("auth.py", 'flash(f"Welcome, {name}!")', 'flash(f"Hi {name}, you are signed in.")')),
    variant("list as a plain list", "api.py", "return jsonify(db.list_notes())", "return db.list_notes()"),
    variant("create with make_response", "api.py",
            'return note, 201, {"Location": url_for("api.get_note", note_id=note["id"])}',
            'response = make_response(jsonify(note), 201)\n    response.headers["Location"] = url_for("api.get_note",'
            ' note_id=note["id"])\n    return response',
            ("api.py", API_IMPORT, "from flask import Blueprint, abort, jsonify, make_response, request, url_for\n")),
    variant("get with jsonify", "api.py", "return find_note(note_id)", "return jsonify(find_note(note_id))"),
    variant("delete with a Response", "api.py", 'return "", 204', "return Response(status=204)",
            ("api.py", API_IMPORT, API_IMPORT + "from flask import Response\n")),
    variant("class-based view", "api.py", NOTES_API, NOTES_METHOD_VIEW,
            ("api.py", API_IMPORT, API_IMPORT + "from flask.views import MethodView\n")),
    variant("one error handler per code", "errors.py", REGISTER,
            "for code in (400, 404, 405, 413, 415, 500):\n        app.register_error_handler(code, handle_http_error)"),
    variant("one handler for every exception, a crash made a 500", "errors.py", REGISTER,
            "app.register_error_handler(Exception, handle_http_error)",
            ("errors.py", '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n',
             '    """Any HTTP error (404, 405, 500, ...): JSON under /api, else the error page."""\n'
             "    if not isinstance(error, HTTPException):\n        error ="
             " InternalServerError(original_exception=error)\n"),
            ("errors.py", "import BadRequest, HTTPException\n",
             "import BadRequest, HTTPException, InternalServerError\n")),
    variant("error headers from the exception", "errors.py", ERROR_PAGE,
            'return render_template("error.html", error=error), error.code, error.get_headers()'),
    variant("single-quoted attributes", "templates/notes.html", 'value="{{ form.title }}"', "value='{{ form.title }}'",
            ("templates/notes.html", '<input name="title"', "<input name='title'")),
    variant("absolute Location", "api.py", 'url_for("api.get_note", note_id=note["id"])',
            'url_for("api.get_note", note_id=note["id"], _external=True)',
            ("notes.py", 'redirect(url_for("notes.index"), 303)',
             'redirect(url_for("notes.index", _external=True), 303)')),
    variant("form fields by key", "notes.py",
            '{"title": request.form.get("title", ""), "body": request.form.get("body", "")}',
            '{"title": request.form["title"], "body": request.form["body"]}',
            ("auth.py", 'request.form.get("name", "").strip()', 'request.form["name"].strip()')),
    variant("logout pops the name", "auth.py", '    session.clear()\n    flash("You are signed out.")',
            '    session.pop("name", None)\n    flash("You are signed out.")'),
    variant("literal link to the notes", "templates/index.html", "<a href=\"{{ url_for('notes.index') }}\">",
            '<a href="/notes">'),
    variant("nav reads the name with get", "templates/base.html", "{% if session.name %}",
            "{% if session.get('name') %}"),
    variant("login redirects to a safe next", "auth.py", LOGIN_REDIRECT,
            'flash(f"Welcome, {name}!")\n    target = request.args.get("next", "")\n'
            '    return redirect(target if target.startswith("/") and not target.startswith("//") else'
            ' url_for("pages.index"), 303)'),
    variant("route with methods", "auth.py", '@bp.post("/login")', '@bp.route("/login", methods=["POST"])'),
    variant("api prefix by path segment", "errors.py", API_TEST, 'if request.path.split("/")[1] == "api":'),
    variant("nav tests the key", "templates/base.html", "{% if session.name %}", "{% if 'name' in session %}"),
    variant("cookie settings with config.update", "__init__.py",
            '        SESSION_COOKIE_HTTPONLY=True,\n        SESSION_COOKIE_SAMESITE="Lax",\n', "",
            ("__init__.py", "    if test_config is None:",
             '    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")\n\n    if test_config'
             ' is None:')),
    variant("instance config read for tests too", "__init__.py",
            "    if test_config is None:\n        # instance/config.py, then FLASK_* environment variables"
            " (FLASK_SECRET_KEY=...)\n        app.config.from_pyfile(\"config.py\", silent=True)\n",
            "    app.config.from_pyfile(\"config.py\", silent=True)\n    if test_config is None:\n",
            (INSTANCE + "instance/config.py", "", 'SECRET_KEY = "9f1c3b7e5a2d4c6e8f0a1b3c5d7e9f2a"\n')),
    variant("wsgi header names in lower case", "raw_wsgi.py", '("Content-Type", "text/plain; charset=utf-8")',
            '("content-type", "text/plain; charset=utf-8")'),
    variant("form redirect to the request URL", "notes.py", 'redirect(url_for("notes.index"), 303)',
            "redirect(request.url, 303)"),
    variant("escape filter", "templates/notes.html", "{{ note.title }}", "{{ note.title|e }}"),
    variant("wsgi without Content-Length", "raw_wsgi.py", '        ("Content-Length", str(len(body))),\n', ""),
    variant("wsgi body from a generator", "raw_wsgi.py", "return [body]", "yield body"),
    variant("hello escaped in the view", "pages.py", 'name=name)', "name=escape(name))",
            ("pages.py", PAGES_IMPORT, PAGES_IMPORT + "from markupsafe import escape\n")),
]

CHANGES = MISTAKES + VARIANTS


def apply(change, tree):
    """The app's files (as ``render_tree`` maps them) with ``change`` made; an edit of "" in a file
    that is not there creates it (a path starting with ``INSTANCE`` beside the app folder)."""
    tree = dict(tree)
    for file, old, new in change.edits():
        if old == "" and file not in tree:
            tree[file] = new
        elif tree[file].count(old) != 1:
            raise ValueError(f"{change.name}: {old!r} is not found once in {file}")
        else:
            tree[file] = tree[file].replace(old, new)
    return tree


def write_change(change, parent):
    """Write the finished app with ``change`` made into ``parent``/part1_basic_app (and its instance files)."""
    tree = apply(change, render_tree(FINISHED))
    instance = {f: tree.pop(f) for f in list(tree) if f.startswith(INSTANCE)}
    write_tree(tree, Path(parent) / APP_NAME)
    for file, text in instance.items():
        path = Path(parent) / file.removeprefix(INSTANCE)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check_change(change):
    """The results (as dicts) of the checks of CHECKED_STEPS on the finished app with ``change`` made."""
    with tempfile.TemporaryDirectory(prefix="workshop-change-") as parent:
        write_change(change, parent)
        return judge(parent, CHECKED_STEPS, worker=warm_worker()).results


def use_memory_for_temporary_files():
    """Put temporary files in memory where the system offers it: the checks' SQLite commits are then cheap."""
    if os.access("/dev/shm", os.W_OK):
        tempfile.tempdir = "/dev/shm"
