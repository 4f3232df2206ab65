"""Page forms. They parse input and hand it to ``apps.pegawai.services``; the rules live there.

Field definitions come from the models (labels, lengths, choices, the NIP/NIK validators), so a
page and the model never disagree on what a field is.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.models import fields_for_model

from apps.core.exceptions import DomainError
from apps.core.validators import validate_nik, validate_nip

from . import services
from .models import (
    Golongan,
    Jabatan,
    JenisASN,
    JenisJabatan,
    Pegawai,
    RiwayatHukumanDisiplin,
    RiwayatJabatan,
    RiwayatPangkat,
    RiwayatPendidikan,
    RiwayatPenghargaan,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # <input type=date> speaks ISO whatever the locale; Django always accepts ISO back.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.DateField):
        kwargs["widget"] = DateInput
    elif isinstance(db_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
    return db_field.formfield(**kwargs)


class ServiceForm(forms.Form):
    """A form whose ``cleaned_data`` goes to a service; the service's errors come back onto it."""

    # Service field name -> form field name, where they differ.
    error_aliases = {}

    def add_service_error(self, exc):
        """Map a service's ValidationError (per field) or DomainError onto the form."""
        if isinstance(exc, DomainError):
            for field, message in exc.field_errors.items():
                self.add_error(self._field_for(field), message)
            self.add_error(None, exc.message)
        elif hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                self.add_error(self._field_for(field), messages)
        else:
            self.add_error(None, exc.messages)

    def _field_for(self, name):
        name = self.error_aliases.get(name, name)
        return name if name in self.fields else None


def model_form_class(name, model, field_names, field_classes=None):
    """A ServiceForm with the model's own form fields for ``field_names``."""
    fields = fields_for_model(model, fields=field_names, formfield_callback=_formfield, field_classes=field_classes)
    return type(name, (ServiceForm,), fields)


class CompactField(forms.CharField):
    """A NIP or NIK may be pasted in its displayed form: the spaces go before any validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(" ", "") if value else value


def jabatan_field():
    """A jabatan chosen with the search-as-you-type chooser: its id in a hidden input.

    The queryset is set per user (``manageable_by``): an id outside it is refused here.
    """
    return forms.ModelChoiceField(
        label="Jabatan",
        queryset=Jabatan.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Pilih jabatan dari daftar.",
            "invalid_choice": "Jabatan tidak ditemukan atau di luar lingkup kelola Anda. Pilih dari daftar.",
        },
    )


_PegawaiDataForm = model_form_class(
    "PegawaiDataForm", Pegawai, services.PEGAWAI_FIELDS, field_classes={"nip": CompactField, "nik": CompactField}
)
# The same validators the model runs, so that a bad NIP shows up with the other missing fields
# on the first submit rather than only once everything else is right.
_PegawaiDataForm.base_fields["nip"].validators.append(validate_nip)
_PegawaiDataForm.base_fields["nik"].validators.append(validate_nik)


class PegawaiCreateForm(_PegawaiDataForm):
    jabatan = jabatan_field()
    tmt_jabatan = forms.DateField(label="TMT jabatan", widget=DateInput)
    nomor_sk = forms.CharField(label="Nomor SK jabatan", max_length=100, required=False)
    golongan = forms.ModelChoiceField(label="Golongan", queryset=Golongan.objects.all(), required=False)
    tmt_golongan = forms.DateField(label="TMT golongan", widget=DateInput, required=False)

    # The first riwayat jabatan is written with ``tmt`` = TMT jabatan.
    error_aliases = {"tmt": "tmt_jabatan"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].queryset = Jabatan.objects.manageable_by(user)


class PegawaiEditForm(_PegawaiDataForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    @staticmethod
    def initial_for(pegawai):
        initial = {name: getattr(pegawai, name) for name in services.PEGAWAI_FIELDS}
        initial["version"] = pegawai.version
        return initial


_RiwayatJabatanFields = model_form_class(
    "RiwayatJabatanFields", RiwayatJabatan, [f for f in services.RIWAYAT_JABATAN_FIELDS if f != "jabatan"]
)


class RiwayatJabatanForm(_RiwayatJabatanFields):
    jabatan = jabatan_field()

    field_order = services.RIWAYAT_JABATAN_FIELDS

    def __init__(self, *args, user, pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].queryset = Jabatan.objects.manageable_by(user)


_RiwayatPangkatFields = model_form_class(
    "RiwayatPangkatFields", RiwayatPangkat, [f for f in services.RIWAYAT_PANGKAT_FIELDS if f != "golongan"]
)


class RiwayatPangkatForm(_RiwayatPangkatFields):
    golongan = forms.ModelChoiceField(label="Golongan", queryset=Golongan.objects.none())

    field_order = services.RIWAYAT_PANGKAT_FIELDS

    def __init__(self, *args, user, pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        jenis = "PPPK" if pegawai.jenis_asn == JenisASN.PPPK else "PNS"
        self.fields["golongan"].queryset = Golongan.objects.filter(jenis_asn=jenis)
        # The database holds these ranges too; checking here puts the message on the field.
        _limit(self.fields["masa_kerja_tahun"], 0, 60)
        _limit(self.fields["masa_kerja_bulan"], 0, 11)


class RiwayatPendidikanForm(
    model_form_class("RiwayatPendidikanFields", RiwayatPendidikan, services.RIWAYAT_PENDIDIKAN_FIELDS)
):
    def __init__(self, *args, user, pegawai, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["tahun_lulus"], 1940, 2100)


class RiwayatPenghargaanForm(
    model_form_class("RiwayatPenghargaanFields", RiwayatPenghargaan, services.RIWAYAT_PENGHARGAAN_FIELDS)
):
    def __init__(self, *args, user, pegawai, **kwargs):
        super().__init__(*args, **kwargs)


PENUNDAAN_CHOICES = [("", "Ikuti jenis hukuman"), ("1", "Ya"), ("0", "Tidak")]


class RiwayatHukumanDisiplinForm(
    model_form_class(
        "RiwayatHukumanDisiplinFields",
        RiwayatHukumanDisiplin,
        [f for f in services.RIWAYAT_HUKUMAN_FIELDS if f not in ("tingkat", "menunda_kp", "menunda_kgb")],
    )
):
    menunda_kp = forms.TypedChoiceField(
        label="Menunda kenaikan pangkat",
        choices=PENUNDAAN_CHOICES,
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        help_text="Hukuman sedang dan berat menunda kenaikan pangkat selama berlaku.",
    )
    menunda_kgb = forms.TypedChoiceField(
        label="Menunda KGB",
        choices=PENUNDAAN_CHOICES,
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        help_text="Penundaan KGB (PP 53/2010) dan penurunan pangkat menunda KGB.",
    )

    def __init__(self, *args, user, pegawai, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        mulai, selesai = data.get("tanggal_mulai"), data.get("tanggal_selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("tanggal_selesai", "Tanggal berlaku sampai tidak boleh sebelum tanggal mulai.")
        return data


class JabatanFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama jabatan", max_length=100, required=False)
    unit_kerja = forms.IntegerField(label="Unit kerja (beserta sub-unit)", required=False, min_value=1)
    jenis = forms.ChoiceField(
        label="Jenis jabatan", choices=[("", "Semua jenis"), *JenisJabatan.choices], required=False
    )


def _limit(field, low, high):
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update(min=low, max=high)
