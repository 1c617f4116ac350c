"""The quality app's forms, one module per subject (import the module you need)."""
