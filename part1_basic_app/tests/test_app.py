"""Tests for the notes app, run with: python -m pytest part1_basic_app/tests"""

# TODO step 5 (notebooks/05_testing.ipynb): write test functions that use the
# client fixture, for example:
#   - /hello/<name> escapes HTML in the name;
#   - POST /api/notes answers 201 and the note is then listed by GET /api/notes;
#   - an invalid note is refused with 400;
#   - the notes form redirects and shows a flash message once.
