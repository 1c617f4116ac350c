"""Re-encrypt every encrypted personal-data column with the first key of DJANGO_FIELD_ENCRYPTION_KEYS, and
recompute every keyed digest with DJANGO_FIELD_DIGEST_KEY.

Key rotation:
  1. put the new key first: DJANGO_FIELD_ENCRYPTION_KEYS=<new>,<old>   (both decrypt; the new one encrypts)
  2. manage.py rotate_field_keys
  3. drop the old key from the list.
Change DJANGO_FIELD_DIGEST_KEY the same way: set the new value, then run this command (values are decrypted and
their digests recomputed, the phone digests of ``PhoneDigestField`` included). Idempotent; rows are processed in
chunks, each chunk in one transaction.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from wuye.core.audit import audit
from wuye.core.personal import EncryptedTextField, derived_fields, digest


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=1000)

    def handle(self, *args, chunk, **options):
        total = 0
        for model, field in encrypted_fields():
            digest_field = getattr(field, "digest_field", None)
            if digest_field and not any(f.name == digest_field for f in model._meta.concrete_fields):
                digest_field = None
            derived = derived_fields(model, field.name)
            pk_name = model._meta.pk.attname
            columns = [pk_name, field.attname]
            done = 0
            last = None
            while True:
                qs = model._default_manager.order_by(pk_name).exclude(**{field.attname: ""})
                if last is not None:
                    qs = qs.filter(**{f"{pk_name}__gt": last})
                rows = list(qs.values_list(*columns)[:chunk])
                if not rows:
                    break
                with transaction.atomic():
                    for pk, value in rows:
                        changes = {field.attname: value}  # saved again: encrypted with the first key
                        if digest_field:
                            changes[digest_field] = digest(value) if value else ""
                        changes.update({f.attname: f.derive(value) for f in derived})
                        model._default_manager.filter(**{pk_name: pk}).update(**changes)
                done += len(rows)
                last = rows[-1][0]
            if done:
                self.stdout.write(f"{model._meta.label}.{field.name}: {done} re-encrypted")
            total += done
        audit("personal_data.rotate_keys", rows=total)
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted with the current key"))
