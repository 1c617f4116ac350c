"""Every write of the surveys app, one module per subject; ``from wuye.surveys import services`` then
``services.campaign_launch(...)``."""

import importlib

SUBJECTS = ("common", "questionnaires", "campaigns", "responses", "actions")

__all__: list[str] = []
for _name in SUBJECTS:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _attr in getattr(_module, "__all__", ()):
        globals()[_attr] = getattr(_module, _attr)
        __all__.append(_attr)
