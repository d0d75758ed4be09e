"""The home page and a greeting: the first routes of the app."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)

for rule, endpoint, template in (("/", "index", "index.html"), ("/hello/<name>", "hello", "hello.html")):
    bp.add_url_rule(rule, endpoint, lambda template=template, **values: render_template(template, **values))
