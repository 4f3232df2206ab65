"""The filters of the audit page."""

import datetime as dt

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import AuditLog

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Dates far outside these would overflow when turned into the day's bounds in UTC.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def object_type_choices():
    """Every model of the project's own apps, by its name: the kinds of data an entry is about.
    From the app registry, not from the log: a DISTINCT over the whole log costs a full scan."""
    models = [m for config in apps.get_app_configs() if config.name.startswith("apps.") for m in config.get_models()]
    choices = {m._meta.label_lower: str(m._meta.verbose_name).capitalize() for m in models if m is not AuditLog}
    return sorted(choices.items(), key=lambda item: item[1])


class AuditFilterForm(forms.Form):
    pegawai = forms.CharField(label="Pegawai (nama atau NIP)", max_length=100, required=False)
    pengguna = forms.CharField(label="Oleh (nama akun)", max_length=150, required=False)
    dari = forms.DateField(label="Dari tanggal", required=False, widget=DATE_WIDGET)
    sampai = forms.DateField(label="Sampai tanggal", required=False, widget=DATE_WIDGET)
    jenis = forms.ChoiceField(label="Jenis data", required=False)
    aksi = forms.ChoiceField(label="Aksi", required=False, choices=[("", "Semua aksi"), *AuditLog.Action.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [("", "Semua jenis"), *object_type_choices()]

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(f"Isi tanggal antara tahun {FIRST_DAY.year} dan {LAST_DAY.year}.")
        return day

    def clean_dari(self):
        return self._clean_day("dari")

    def clean_sampai(self):
        return self._clean_day("sampai")

    def clean(self):
        cleaned = super().clean()
        dari, sampai = cleaned.get("dari"), cleaned.get("sampai")
        if dari and sampai and dari > sampai:
            self.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
        return cleaned

    @property
    def is_filtered(self):
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)

    def searched_pegawai(self):
        """The pegawai searched for (name or NIP), as a QuerySet, or None."""
        if not self.is_bound:
            return None
        self.is_valid()
        term = self.cleaned_data.get("pegawai")
        return apps.get_model("pegawai", "Pegawai").objects.search(term) if term else None

    def filter(self, queryset):
        """``queryset`` narrowed by the valid fields but ``pegawai`` (see ``searched_pegawai``);
        an invalid one is left out (the page says so) rather than emptying the list."""
        if not self.is_bound:
            return queryset
        self.is_valid()
        data = self.cleaned_data
        if data.get("pengguna"):
            users = get_user_model().objects.filter(username__icontains=data["pengguna"].strip())
            queryset = queryset.filter(actor__in=users.values("pk"))
        if data.get("dari"):
            queryset = queryset.filter(created_at__gte=_start_of(data["dari"]))
        if data.get("sampai"):
            queryset = queryset.filter(created_at__lt=_start_of(data["sampai"] + dt.timedelta(days=1)))
        if data.get("jenis"):
            queryset = queryset.filter(object_type=data["jenis"])
        if data.get("aksi"):
            queryset = queryset.filter(action=data["aksi"])
        return queryset


def _start_of(day):
    """Midnight of ``day`` in the site's time zone (Asia/Jakarta), as an aware datetime: the
    comparison stays on the indexed column instead of converting every row's date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
