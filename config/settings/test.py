"""The test suite: fast hashing, in-memory email; database from DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")
WUYE_FIELD_ENCRYPTION_KEYS = ["dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0="]
WUYE_FIELD_DIGEST_KEY = "test-digest-key-test-digest-key-test-digest-key"
# django-axes refuses authenticate() without a request, which Django's test Client.login() does; the suite logs
# in with force_login()/login(), so axes is off here and switched on by the tests of the lockout
# (wuye/core/tests/test_security_auth.py). Production and development run with it.
AXES_ENABLED = False

# --- Celery: without a broker tasks run eagerly in the test process (errors raise in the test). A worker or beat
# started by wuye/core/tests/test_celery.py sets WUYE_CELERY_LIVE=1 and DJANGO_REDIS_URL (its throwaway Redis);
# WUYE_CELERY_BEAT_EVERY_SECOND=<task>,... makes beat queue those tasks every second instead of the real schedule.
import os as _os  # noqa: E402
import tempfile as _tempfile  # noqa: E402

from .base import DATABASES, WUYE_REDIS_URL, env  # noqa: E402

CELERY_TASK_ALWAYS_EAGER = not (WUYE_REDIS_URL and env.bool("WUYE_CELERY_LIVE", default=False))
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
_beat_every_second = env.list("WUYE_CELERY_BEAT_EVERY_SECOND", default=[])
if _beat_every_second:
    CELERY_BEAT_SCHEDULE = {name: {"task": name, "schedule": 1.0} for name in _beat_every_second}
# SQLite: the test database is a file, not pytest-django's in-memory default, so that the worker (another
# process) sees the test's rows; one per test process (pid), so two runs in one checkout do not meet. In /dev/shm
# (memory) where there is one: a file on disk would make every commit of the suite wait for the disk.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _dir = "/dev/shm" if _os.access("/dev/shm", _os.W_OK) else _tempfile.gettempdir()  # nosec B108  # tests only
    DATABASES["default"].setdefault("TEST", {})["NAME"] = _os.path.join(_dir, f"wuye-test-{_os.getpid()}.sqlite3")
