"""The surveys app's tables, one module per subject (questionnaires, campaigns, responses, results)."""
