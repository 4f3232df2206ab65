"""Unlock a login that django-axes locked after repeated failures.

    manage.py akun_buka_kunci 199508172020031001          by NIP (spaces allowed) or username
    manage.py akun_buka_kunci --ip 203.0.113.7            an address locked for everyone behind it
    manage.py akun_buka_kunci bkpsdm.sabang --ip 203.0.113.7

Unlike axes' own ``axes_reset_username``, the account may be named the way its owner types it:
the failures are counted under the account's username, whatever was typed.
"""

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError

from apps.akun.backends import lockout_username


class Command(BaseCommand):
    help = "Buka kunci login (django-axes) untuk sebuah akun (NIP atau nama pengguna) dan/atau alamat IP."

    def add_arguments(self, parser):
        parser.add_argument("akun", nargs="?", help="NIP (boleh dengan spasi) atau nama pengguna")
        parser.add_argument("--ip", help="alamat IP yang dikunci")

    def handle(self, *args, akun=None, ip=None, **options):
        if not akun and not ip:
            raise CommandError("Sebutkan akun (NIP atau nama pengguna) dan/atau --ip.")
        removed = 0
        if akun:
            username = lockout_username(None, {"username": akun})
            removed += reset(username=username)
            self.stdout.write(f"Akun {username}: kunci dibuka.")
        if ip:
            removed += reset(ip=ip)
            self.stdout.write(f"Alamat {ip}: kunci dibuka.")
        self.stdout.write(f"{removed} catatan percobaan gagal dihapus.")
