"""Workflow writes of the quality app, one module per subject: ``<entity>_<action>(*, actor, …)``, atomic,
``full_clean()``, audited, ``ValidationError`` in the user's language."""

from .actions import *  # noqa: F403
from .audits import *  # noqa: F403
from .communication import *  # noqa: F403
from .files import *  # noqa: F403
from .plans import *  # noqa: F403
from .policy import *  # noqa: F403
from .reviews import *  # noqa: F403
