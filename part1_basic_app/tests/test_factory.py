"""Tests of the application factory, create_app."""

# TODO step 5 (notebooks/05_testing.ipynb): test create_app, for example that
# create_app({"TESTING": True}).testing is true and create_app().testing is not.
