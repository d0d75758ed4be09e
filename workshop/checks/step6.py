"""Step 6 checks."""
