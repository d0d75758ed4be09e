"""Tests of the home page and the greeting (step 1)."""

# TODO step 5 (notebooks/05_testing.ipynb): test the pages with the client
# fixture, for example that /hello/<name> escapes HTML in the name.
