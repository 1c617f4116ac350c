"""Production: PostgreSQL, gunicorn behind a reverse proxy (nginx), static files by WhiteNoise.

Required environment: DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS, DJANGO_FIELD_ENCRYPTION_KEYS,
DJANGO_FIELD_DIGEST_KEY.
See README.md ("配置 / Configuration") and .env.example for every variable.

The process refuses to start (ImproperlyConfigured) with a missing value or with the insecure development
defaults of base.py, so a forgotten variable cannot silently put a well-known key in production.
"""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import STORAGES, env

# The development defaults of base.py; production must never run with them.
_INSECURE_SECRET_KEYS = {"insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"}
_INSECURE_FIELD_KEYS = {"aW5zZWN1cmUtZGV2LWtleS1mb3Itd3V5ZS1vbmx5ISE=", "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0="}


def _secret_key() -> str:
    key = env("DJANGO_SECRET_KEY")
    if key in _INSECURE_SECRET_KEYS or key.startswith(("insecure", "django-insecure", "test-secret")):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is the insecure development key; generate a new one.")
    return key


def _field_encryption_keys() -> list[str]:
    keys = env.list("DJANGO_FIELD_ENCRYPTION_KEYS")
    if not keys:
        raise ImproperlyConfigured("DJANGO_FIELD_ENCRYPTION_KEYS is empty; generate a key (see README.md).")
    for key in keys:
        if key in _INSECURE_FIELD_KEYS:
            raise ImproperlyConfigured(
                "DJANGO_FIELD_ENCRYPTION_KEYS contains the insecure development key; generate a new one.")
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                "Every DJANGO_FIELD_ENCRYPTION_KEYS entry must be a Fernet key (32 bytes, url-safe base64).")
    return keys


def _digest_key() -> str:
    key = env("DJANGO_FIELD_DIGEST_KEY")
    if key.startswith(("insecure", "test-digest")) or len(key) < 32:
        raise ImproperlyConfigured("DJANGO_FIELD_DIGEST_KEY must be a random string of at least 32 characters "
                                   "(manage.py generate_field_key prints one).")
    return key


DEBUG = False
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is empty.")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
WUYE_FIELD_ENCRYPTION_KEYS = _field_encryption_keys()
WUYE_FIELD_DIGEST_KEY = _digest_key()
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS
                                                                         if h and not h.startswith(("*", "."))])

# Security: HTTPS terminates at the reverse proxy, which sets X-Forwarded-Proto (docs/deploy/nginx.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 10)
# nginx in front of gunicorn appends the client address to X-Forwarded-For (docs/deploy/nginx.conf); the login
# lockout counts per address (wuye.core.security.client_ip). Behind a load balancer and nginx: 2.
WUYE_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Source maps (35 MB of echarts' and Bootstrap's) are for developers' tools only: served as they are, not
# compressed, which takes collectstatic from nearly four minutes of CPU to about one and a half.
from whitenoise.compress import Compressor  # noqa: E402

WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
