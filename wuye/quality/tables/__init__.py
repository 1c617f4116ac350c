"""The quality app's tables, one module per subject (import the module you need)."""
