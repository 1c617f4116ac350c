#!/usr/bin/env bash
# The modules of the suite that store files, run again with the files in an S3-compatible bucket: a real Ceph
# RADOS Gateway on 127.0.0.1 started here (scripts/ci_s3.sh, about 2 s) and stopped at the end. `make test-s3`
# calls this; .ci/run calls `make test-s3`. Arguments go to pytest (default: S3_TEST_MODULES below).
#
# Needs Debian's ceph-mon, ceph-osd, radosgw and ceph-common (.ci/run installs them). Settings: DJANGO_STORAGE=s3
# and DJANGO_S3_* (config/settings/base.py), the bucket made by the first test (conftest.py), a folder of the
# bucket for each test.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

S3_TEST_MODULES=(
    wuye/core/tests/test_storage_s3.py          # the storage itself: private bucket, names, settings, an attachment
    wuye/core/tests/test_backup.py              # backup reads the bucket, restore writes it, checksums compared
    wuye/core/tests/test_security_uploads.py    # hostile uploads refused, every upload field, names kept inside
    wuye/documents/tests                        # revisions' files, the 作废 mark, labels, search text, generator
    wuye/tickets/tests/test_services.py wuye/tickets/tests/test_imports.py   # attachments, the historical import
    wuye/portal/tests/test_views.py             # residents' photos
    wuye/contracts/tests/test_views.py          # contract scans
    wuye/estates/tests/test_imports.py          # the customer import's uploaded workbook
)

# shellcheck source=scripts/ci_s3.sh
source scripts/ci_s3.sh
trap 's3_stop' EXIT
S3_MEMSTORE_BYTES=${S3_MEMSTORE_BYTES:-1073741824}   # 1 GiB of RAM at most; each test's folder is emptied after it
s3_start
export DJANGO_STORAGE=s3 DJANGO_S3_BUCKET=wuye-test DJANGO_S3_ENDPOINT_URL="$S3_ENDPOINT_URL" \
    DJANGO_S3_ACCESS_KEY="$S3_ACCESS_KEY" DJANGO_S3_SECRET_KEY="$S3_SECRET_KEY"
export DJANGO_SETTINGS_MODULE=config.settings.test
unset DJANGO_S3_PREFIX DJANGO_S3_REGION DJANGO_S3_ADDRESSING_STYLE DJANGO_S3_CA_BUNDLE
if [ $# -eq 0 ]; then set -- "${S3_TEST_MODULES[@]}"; fi
# browser journeys upload through the same views these modules test: not run twice
WUYE_SKIP_BROWSER=1 .venv/bin/pytest ${PYTEST_WORKERS:+-n "$PYTEST_WORKERS"} "$@"
