"""The quality app's filtersets, one module per subject (import the module you need)."""
