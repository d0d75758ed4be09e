"""Step 5 checks."""
