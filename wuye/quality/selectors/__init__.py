"""The quality app's selectors, one module per subject (import the module you need)."""
