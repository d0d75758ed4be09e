"""Step 4 checks."""
