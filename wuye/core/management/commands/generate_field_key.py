from django.core.management.base import BaseCommand

from wuye.core.personal import generate_key


class Command(BaseCommand):
    help = "Print a new key for DJANGO_FIELD_ENCRYPTION_KEYS (a Fernet key); also fine for DJANGO_FIELD_DIGEST_KEY."

    def handle(self, *args, **options):
        self.stdout.write(generate_key())
