"""What the quality app shows on the home page (registered in ``QualityConfig.ready``): each function takes the
request and returns a panel dict (``template`` + context) or None when the user should not see it."""

from __future__ import annotations

DASHBOARD_PANELS: list = []
