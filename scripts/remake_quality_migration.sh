#!/bin/sh
# While the quality app has not landed: regenerate its 0001_initial from the models (0002_defaults kept).
set -e
cd "$(dirname "$0")/.."
exec 9>/tmp/quality-migration.lock
flock 9
mv wuye/quality/migrations/0002_defaults.py /tmp/quality-0002_defaults.py
rm -f wuye/quality/migrations/0001_initial.py
.venv/bin/python manage.py makemigrations quality --name initial -v0 || true
mv /tmp/quality-0002_defaults.py wuye/quality/migrations/0002_defaults.py
.venv/bin/python manage.py makemigrations --check --dry-run
