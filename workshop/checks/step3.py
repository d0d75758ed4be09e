"""Step 3 checks."""
