"""Step 2 checks."""
