"""The surveys app's filtersets, one module per subject (questionnaires, campaigns, responses, results)."""
