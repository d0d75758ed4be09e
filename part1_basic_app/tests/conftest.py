"""Fixtures for the app's tests, as the Flask tutorial's tests have them."""

import pytest

from part1_basic_app import create_app


# TODO step 5 (notebooks/05_testing.ipynb): write two fixtures.
#   app:    create_app({...}) with TESTING=True, a DATABASE file in tmp_path
#           a SECRET_KEY and WTF_CSRF_ENABLED=False (the tests post forms
#           without the CSRF token), so that every test starts from an empty database;
#   client: app.test_client().
# The notebook shows two more that the Flask tutorial has, runner and auth.
