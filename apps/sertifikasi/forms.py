"""Page forms: they parse input and hand it to ``apps.sertifikasi.services``; the rules live there."""

from django import forms

from apps.core.uploads import EvidenceField
from apps.core.validators import validate_nip
from apps.pegawai.forms import CompactField, model_form_class
from apps.pegawai.models import Pegawai

from .models import Sertifikasi
from .services import FIELDS

MAX_VERSION = 2**31 - 1

_SertifikasiFields = model_form_class("SertifikasiFields", Sertifikasi, list(FIELDS))


class SertifikasiCreateForm(_SertifikasiFields):
    """A pegawai submits their own certificate; staff may name a pegawai they manage by NIP."""

    nip = CompactField(
        label="NIP pegawai",
        max_length=40,
        required=False,
        validators=[validate_nip],
        help_text="Kosongkan untuk sertifikat Anda sendiri.",
    )
    bukti = EvidenceField(label="Berkas sertifikat")

    field_order = ["nip", *FIELDS, "bukti"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.scope.can_manage:
            del self.fields["nip"]
        elif user.pegawai_id is None:
            self.fields["nip"].required = True
            self.fields["nip"].help_text = ""

    def clean_nip(self):
        nip = self.cleaned_data.get("nip")
        if not nip:
            return nip
        # Checked here as well as in the service: a NIP outside the user's scope reads like one
        # that does not exist.
        if not Pegawai.objects.manageable_by(self.user).filter(nip=nip).exists():
            raise forms.ValidationError("Pegawai dengan NIP ini tidak ditemukan dalam lingkup kelola Anda.")
        return nip

    def pegawai(self):
        nip = self.cleaned_data.get("nip")
        if nip:
            return Pegawai.objects.manageable_by(self.user).get(nip=nip)
        return Pegawai.objects.get(pk=self.user.pegawai_id)

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in FIELDS} | {"bukti": self.cleaned_data["bukti"]}


class SertifikasiEditForm(_SertifikasiFields):
    bukti = EvidenceField(label="Ganti berkas sertifikat", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    field_order = [*FIELDS, "bukti"]

    @staticmethod
    def initial_for(row):
        return {name: getattr(row, name) for name in FIELDS} | {"version": row.version}

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in FIELDS}
        # No new file keeps the stored one (the clear checkbox is not offered: evidence stays).
        if self.cleaned_data.get("bukti"):
            data["bukti"] = self.cleaned_data["bukti"]
        return data


class KeputusanForm(forms.Form):
    """Verify or reject from the queue or the detail page: the version read, and why (reject)."""

    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)
    alasan = forms.CharField(label="Alasan penolakan", max_length=2000, required=False)
