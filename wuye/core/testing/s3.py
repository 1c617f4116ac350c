"""Tests against a real S3-compatible server: the test run's bucket, seen directly through boto3.

Active when the test run has ``DJANGO_STORAGE=s3`` (and the ``DJANGO_S3_*`` settings): ``make test-s3``, which
.ci/run calls with Ceph's RADOS Gateway started by scripts/ci_s3.sh. conftest.py gives each test a folder of its
own in the bucket; these helpers read and write the bucket without going through the code under test.
"""

from __future__ import annotations

import contextlib
import os

S3_TESTS = os.environ.get("DJANGO_STORAGE") == "s3"


def _options() -> dict:
    from django.conf import settings

    return settings.STORAGES["default"]["OPTIONS"]


def bucket() -> str:
    return _options()["bucket_name"]


def client():
    import boto3

    options = _options()
    return boto3.client("s3", endpoint_url=options["endpoint_url"], aws_access_key_id=options["access_key"],
                        aws_secret_access_key=options["secret_key"], region_name=options["region_name"])


def create_bucket() -> str:
    s3 = client()
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):  # two test processes, one bucket
        s3.create_bucket(Bucket=bucket())
    return bucket()


def keys(folder: str) -> list[str]:
    s3, found = client(), []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket(), Prefix=f"{folder}/"):
        found += [item["Key"] for item in page.get("Contents", [])]
    return found


def objects(folder: str) -> dict[str, bytes]:
    """Every object under ``folder/``: its name below the folder -> its content."""
    s3 = client()
    return {key[len(folder) + 1:]: s3.get_object(Bucket=bucket(), Key=key)["Body"].read() for key in keys(folder)}


def put(folder: str, name: str, data: bytes) -> None:
    client().put_object(Bucket=bucket(), Key=f"{folder}/{name}", Body=data)


def delete_folder(folder: str) -> None:
    """Remove a test's objects: the throwaway cluster keeps them in memory (scripts/ci_s3.sh)."""
    s3, found = client(), keys(folder)
    for start in range(0, len(found), 1000):
        s3.delete_objects(Bucket=bucket(), Delete={"Objects": [{"Key": k} for k in found[start:start + 1000]]})
