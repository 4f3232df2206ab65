import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone

LOGIN_ERROR = "NIP/nama pengguna atau kata sandi salah."


class LoginForm(AuthenticationForm):
    """Sign in with a NIP (spaces allowed, as displayed) or a username."""

    username = forms.CharField(
        label="NIP atau nama pengguna",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Kata sandi",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # Inactive accounts get the same answer: the form must not tell which accounts exist.
        "invalid_login": LOGIN_ERROR,
        "inactive": LOGIN_ERROR,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "NIP atau nama pengguna"
        self.fields["username"].error_messages["required"] = "Isi NIP atau nama pengguna."
        self.fields["password"].error_messages["required"] = "Isi kata sandi."


class TokenCreateForm(forms.Form):
    """A new API token. The account is typed (NIP or username, with suggestions) rather than
    picked from a select: a pemda can have thousands of accounts."""

    akun = forms.CharField(
        label="Akun",
        max_length=150,
        help_text="NIP pegawai atau nama pengguna akun layanan (integrasi).",
        widget=forms.TextInput(attrs={"list": "akun-pilihan", "autocomplete": "off"}),
        error_messages={"required": "Isi NIP atau nama pengguna akun."},
    )
    name = forms.CharField(
        label="Nama token",
        max_length=100,
        help_text="Untuk apa token ini dipakai, misalnya “Sinkronisasi SIMPEG ke aplikasi absensi”.",
        error_messages={"required": "Isi nama token."},
    )
    read_only = forms.BooleanField(
        label="Hanya baca",
        required=False,
        initial=True,
        help_text="Token hanya boleh membaca data. Hapus centang hanya bila integrasi perlu mengubah data.",
    )
    expires_at = forms.DateField(
        label="Berlaku sampai",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Kosongkan bila token berlaku sampai dicabut.",
        error_messages={"invalid": "Tanggal tidak valid."},
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = accounts

    def clean_akun(self):
        value = self.cleaned_data["akun"].strip()
        compact = value.replace(" ", "")
        lookup = Q(username__iexact=value)
        if compact.isdigit() and len(compact) == 18:
            lookup |= Q(pegawai__nip=compact) | Q(username=compact)
        matches = list(self.accounts.filter(lookup).filter(is_active=True)[:2])
        if len(matches) != 1:
            raise forms.ValidationError("Akun tidak ditemukan di lingkup Anda.")
        return matches[0]

    def clean_expires_at(self):
        tanggal = self.cleaned_data["expires_at"]
        if tanggal is None:
            return None
        if tanggal < timezone.localdate():
            raise forms.ValidationError("Tanggal tidak boleh sebelum hari ini.")
        # Valid through the whole chosen day, local time.
        return timezone.make_aware(dt.datetime.combine(tanggal + dt.timedelta(days=1), dt.time.min))
