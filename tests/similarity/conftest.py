"""The honest solutions here are data for tests/grading/test_similarity.py: their own tests are not the repository's."""

collect_ignore_glob = ["honest_*"]
