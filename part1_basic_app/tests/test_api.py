"""Tests of the JSON notes API (step 2)."""

# TODO step 5 (notebooks/05_testing.ipynb): test the JSON API, for example that
#   - POST /api/notes answers 201 and the note is then listed by GET /api/notes;
#   - an invalid note is refused with 400;
#   - an unknown note is 404.
