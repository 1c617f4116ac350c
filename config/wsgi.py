import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# The loaded application (Django, the URL patterns, the templates' compiled nodes…) lives as long as the worker:
# move it to the collector's permanent generation, so a full collection walks only what requests made. Without
# this, one request in about twenty paid 50–70 ms for a full collection over the whole application
# (docs/benchmarks.md); ``manage.py bench`` does the same before it measures.
gc.freeze()
