"""Daily, from cron: ``python manage.py kirim_pengingat``. Creates the in-app reminders that are
due (certificates expiring in 90 and 30 days, SKP steps waiting) and emails them once."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from apps.karier import reminders


class Command(BaseCommand):
    help = "Membuat dan mengirim pengingat harian (sertifikat kedaluwarsa, langkah SKP). Aman dijalankan ulang."

    def add_arguments(self, parser):
        parser.add_argument("--tanggal", help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini).")
        parser.add_argument("--tanpa-email", action="store_true", help="Hanya notifikasi di aplikasi.")

    def handle(self, *args, tanggal=None, tanpa_email=False, **options):
        pada = None
        if tanggal:
            try:
                pada = dt.date.fromisoformat(tanggal)
            except ValueError:
                raise CommandError("Tanggal harus berformat YYYY-MM-DD.") from None
        hasil = reminders.kirim(pada=pada, email=not tanpa_email)
        self.stdout.write(
            f"Notifikasi baru: {hasil.dibuat}; email terkirim: {hasil.email_terkirim}; "
            f"email gagal: {hasil.email_gagal}."
        )
