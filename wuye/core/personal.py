"""Personal data: validating, masking and encrypting phone and ID numbers.

- Mainland resident ID numbers (GB 11643-1999) are checked with their ISO 7064 MOD 11-2 check digit.
- Mobile numbers are 11 digits starting 13-19; landlines are an area code and a 7-8 digit number.
- ID and phone numbers are stored encrypted (Fernet, keys in ``WUYE_FIELD_ENCRYPTION_KEYS``), so a database dump
  never shows them in plain text. A keyed digest beside them serves exact lookups and uniqueness; a phone's last
  4 digits (what every mask shows anyway) are kept beside it for the agents' phone-tail lookup. Filtering an
  encrypted column by a value is refused (``FieldError``): it could never match.
- Everything is shown masked (``138****5678``, ``110***********1234``) unless a user who holds
  ``core.view_personal_data`` asks to reveal it; each reveal or unmasked export writes an AuditEvent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_PERMISSION = "core.view_personal_data"

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("－", "-")
    if value.startswith("+86"):
        value = value[3:]
    return value


def phone_digits(value: str | None) -> str:
    """The digits of a phone number (``+86``, spaces, dashes and brackets dropped): what lookups compare."""
    return re.sub(r"\D", "", normalize_phone(value or ""))


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("Enter a valid mobile number: 11 digits starting with 13–19."), code="invalid_mobile"
        )


def validate_phone(value: str) -> None:
    value = normalize_phone(value)
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("Enter a valid phone number: a mobile number or a landline such as 010-88886666."),
            code="invalid_phone",
        )


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_resident_id(value: str) -> None:
    value = normalize_id_number(value)
    if not ID_RE.match(value):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="invalid_id_format"
        )
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The date of birth in this ID number is not a real date."),
                              code="invalid_id_birthdate") from None
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("This ID number's check digit is wrong; please check it."),
                              code="invalid_id_checksum")


def mask(value: str | None) -> str:
    """Keep the first 3 and last 4 characters; star the rest (``138****5678``, ``110***********1234``)."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 4:
        return "*" * len(value)
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 3) + value[-2:]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def may_view_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


# --- encryption at rest -----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.WUYE_FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("personal data could not be decrypted with the configured keys") from None


_TOKEN_RE = re.compile(r"^gAAAAA[A-Za-z0-9_\-]{90,}={0,2}$")


def is_token(value: str) -> bool:
    """Whether ``value`` has the shape of a Fernet token (version byte 0x80, URL-safe base64); no plain
    phone or ID number has it."""
    return bool(_TOKEN_RE.match(value))


def digest(value: str) -> str:
    """Keyed digest for exact lookup and uniqueness, without storing the value.

    Its key (``WUYE_FIELD_DIGEST_KEY``) is separate from the encryption keys, so rotating those leaves every
    stored digest valid; ``manage.py rotate_field_keys`` recomputes the digests when the digest key changes."""
    return hmac.new(settings.WUYE_FIELD_DIGEST_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


class EncryptedExact(lookups.Exact):
    """``field=""`` (is it empty?) works; ``field=value`` cannot match a randomly salted token: refuse it loudly."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is encrypted: look it up by its digest column")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A text field stored Fernet-encrypted; Python sees plain text. Not searchable: pair it with a digest
    column and name it in ``digest_field`` so ``manage.py rotate_field_keys`` can recompute it."""

    description = "Encrypted text"

    def __init__(self, *args, digest_field: str | None = None, **kwargs):
        self.digest_field = digest_field  # not part of the schema, so not deconstructed
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def to_python(self, value):
        """Plain text stays as it is; a Fernet token (the form ``value_to_string`` writes, e.g. in a
        ``dumpdata`` fixture) is decrypted, so ``loaddata`` gives back the value and does not encrypt twice."""
        value = super().to_python(value)
        if isinstance(value, str) and is_token(value):
            try:
                return decrypt(value)
            except ValueError:
                raise ValidationError(
                    _("This encrypted value cannot be read with the configured keys."), code="undecryptable"
                ) from None
        return value

    def value_to_string(self, obj):
        """Serialise the stored (encrypted) form: ``dumpdata`` must never write the plain value."""
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # contains, startswith, in, …: meaningless on ciphertext

    def formfield(self, **kwargs):
        """A one-line input (phone and ID numbers are short), not the text area of a ``TextField``."""
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class DerivedField(models.CharField):
    """A column computed from another field (``source``) whenever the row is saved: by ``save()`` (also with
    ``update_fields`` naming the source, see ``BaseModel.save``), ``bulk_create`` and ``insert_rows``. Not
    editable, not kept in the change history."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs["editable"] = False
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def derive(self, value) -> str:
        raise NotImplementedError

    def pre_save(self, model_instance, add):
        value = self.derive(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class PhoneTailField(DerivedField):
    """The last 4 digits of an encrypted phone number, for the agents' phone-tail lookup."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4)
        super().__init__(*args, **kwargs)

    def derive(self, value) -> str:
        return phone_digits(value)[-4:]


class PhoneDigestField(DerivedField):
    """The keyed digest of an encrypted phone number's digits, for exact lookups of a full number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def derive(self, value) -> str:
        return phone_digest(value)


def phone_digest(value: str | None) -> str:
    """What a ``PhoneDigestField`` holds for ``value`` ("" for no number): compare with it to find a phone."""
    digits = phone_digits(value)
    return digest(digits) if digits else ""


def derived_fields(model, source: str) -> list[DerivedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, DerivedField) and f.source == source]


def encrypt_plain_columns(schema_editor, table: str, columns: list[str], derived: dict[str, tuple[str, object]],
                          pk: str = "id", batch: int = 2000) -> int:
    """Migration helper: encrypt the plain values of ``columns`` of ``table`` in place (tokens are left alone, so it
    can run twice) and fill ``derived`` columns ({column: (source column, function of the plain value)}).
    Reads and writes raw SQL in batches; returns the number of rows changed."""
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    select = (f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "  # nosec B608
              f"WHERE {qn(pk)} > %s ORDER BY {qn(pk)}")
    targets = [*columns, *derived]
    update = (f"UPDATE {qn(table)} SET {', '.join(f'{qn(c)} = %s' for c in targets)} "  # nosec B608
              f"WHERE {qn(pk)} = %s")
    changed, last = 0, -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"{select} LIMIT {int(batch)}", [last])
            rows = cursor.fetchall()
            if not rows:
                return changed
            updates = []
            for row in rows:
                plain = {c: (v or "") for c, v in zip(columns, row[1:], strict=True)}
                plain = {c: (decrypt(v) if is_token(v) else v) for c, v in plain.items()}
                values = [encrypt(v) if v else v for v in plain.values()]
                values += [fn(plain[source]) for source, fn in derived.values()]
                updates.append((*values, row[0]))
            cursor.executemany(update, updates)
            changed += len(updates)
            last = rows[-1][0]
