"""Tests of the database connection and the init-db command (db.py)."""

# TODO step 5 (notebooks/05_testing.ipynb): test the database, for example that
# the init-db command (the runner fixture) empties it.
