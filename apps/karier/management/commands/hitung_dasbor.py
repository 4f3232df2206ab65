"""From cron, every few minutes: ``python manage.py hitung_dasbor``. Computes the opening figures
of the BKPSDM dashboard for every staff scope and keeps them in the cache, so that no visitor
waits for a computation (see ``apps.karier.dashboard.dashboard_cached``)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.karier import dashboard


class Command(BaseCommand):
    help = "Menghitung angka dasbor karier untuk setiap lingkup staf BKPSDM dan menyimpannya di cache."

    def handle(self, *args, **options):
        lingkup, detik = dashboard.warm_all()
        self.stdout.write(f"Angka dasbor dihitung untuk {lingkup} lingkup dalam {detik:.1f} detik.")
        if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
            self.stderr.write(
                "Peringatan: cache ini hanya hidup di proses perintah ini. Setel REDIS_URL (seperti server) "
                "agar server memakai angka yang dihitung."
            )
