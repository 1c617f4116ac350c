"""Quality records in the full-text index (filled in by each subject's module)."""
