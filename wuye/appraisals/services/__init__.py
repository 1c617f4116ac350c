"""Workflow writes of the appraisals app, one module per subject: ``<entity>_<action>(*, actor, …)``, atomic,
``full_clean()``, audited, ``ValidationError`` in the user's language."""

from .appraisals import *  # noqa: F403
from .forms import *  # noqa: F403
