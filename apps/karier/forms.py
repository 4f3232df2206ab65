"""The filters of the karier lists. Each form is always bound (an empty query string gives the
defaults) and its ``cleaned_data`` holds every value the list needs; an invalid one is a form
error on the page, never a guess."""

import datetime as dt

from django import forms

from apps.core.drf import MAX_ID
from apps.pegawai.models import UnitKerja

from . import selectors


class _ListForm(forms.Form):
    """A unit kerja (with its sub-units) the user manages, and a name or NIP."""

    unit_kerja = forms.IntegerField(
        label="Unit kerja (beserta sub-unit)", required=False, min_value=1, max_value=MAX_ID
    )
    q = forms.CharField(label="Cari nama atau NIP", max_length=100, required=False, strip=True)

    def __init__(self, data, *, user):
        super().__init__(data if data else {})
        self.user = user

    def clean_unit_kerja(self):
        pk = self.cleaned_data.get("unit_kerja")
        if pk is None:
            return None
        unit = UnitKerja.objects.manageable_by(self.user).filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError("Unit kerja tidak ditemukan dalam lingkup Anda.")
        return unit

    @property
    def filtered(self):
        return self.is_valid() and bool(self.cleaned_data.get("unit_kerja") or self.cleaned_data.get("q"))


def _periode_label(day):
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


class KenaikanPangkatForm(_ListForm):
    periode = forms.TypedChoiceField(label="Periode kenaikan pangkat", required=False, coerce=dt.date.fromisoformat)
    status = forms.ChoiceField(label="Tampilkan", required=False, choices=selectors.STATUS_KP)

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.periode_pilihan = selectors.kp_periode_pilihan()
        self.fields["periode"].choices = [(d.isoformat(), _periode_label(d)) for d in self.periode_pilihan]

    def clean_periode(self):
        return self.cleaned_data.get("periode") or self.periode_pilihan[0]

    def clean_status(self):
        return self.cleaned_data.get("status") or selectors.LAYAK


def _bulan_choices(values):
    return [(str(n), f"{n} bulan ke depan") for n in values]


class _JendelaForm(_ListForm):
    """A window of the next N months (one of ``BULAN``, ``BAWAAN`` when not given)."""

    BULAN = ()
    BAWAAN = None

    dalam = forms.TypedChoiceField(label="Jangka waktu", required=False, coerce=int)

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["dalam"].choices = _bulan_choices(self.BULAN)

    def clean_dalam(self):
        return self.cleaned_data.get("dalam") or self.BAWAAN

    def jendela(self):
        return selectors.jendela(self.cleaned_data["dalam"])


class KgbForm(_JendelaForm):
    BULAN = selectors.KGB_BULAN
    BAWAAN = 3


class PensiunForm(_JendelaForm):
    BULAN = selectors.PENSIUN_BULAN
    BAWAAN = 12


class TalentaForm(_ListForm):
    pass


class SuksesiForm(_ListForm):
    q = forms.CharField(label="Cari nama jabatan", max_length=100, required=False, strip=True)
