"""Tests of the notes page: its form, the redirect and the flash message (step 3), its CSRF token (step 4)."""

# TODO step 5 (notebooks/05_testing.ipynb): test the notes page, for example
# that the form redirects and shows a flash message once.
