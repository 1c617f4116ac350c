"""The surveys app's selectors, one module per subject (questionnaires, campaigns, responses, results)."""
