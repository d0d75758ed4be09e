"""Tests of signing in and out, kept in the session (step 4)."""

# TODO step 5 (notebooks/05_testing.ipynb): test signing in and out, for
# example that after POST /login every page says "Signed in as ...", and
# after POST /logout none does.
