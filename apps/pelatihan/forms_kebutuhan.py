"""Forms of the training-needs page (enrolment) and the competency assessment pages. They
parse input and hand it to ``apps.pelatihan.services``; the rules live there."""

from django import forms

from apps.pegawai.forms import ServiceForm, model_form_class
from apps.pegawai.models import Pegawai, UnitKerja
from apps.standar_kinerja.models import Kompetensi, StandarKompetensi

from . import selectors
from .models import AsesmenKompetensi, Pelatihan
from .services import ASESMEN_FIELDS

MAX_VERSION = 2**31 - 1


class DaftarkanForm(ServiceForm):
    """BKPSDM enrols the ticked pegawai in one upcoming training, or one pegawai in one of the
    trainings recommended for them (the ``satu`` button carries ``<pegawai id>:<pelatihan id>``).
    Pegawai outside what the user sees read like ids that do not exist."""

    pegawai = forms.ModelMultipleChoiceField(
        queryset=Pegawai.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "Pegawai yang dipilih tidak ditemukan dalam lingkup Anda.",
            "invalid_pk_value": "Pilihan pegawai tidak valid.",
        },
    )
    pelatihan = forms.ModelChoiceField(
        label="Pelatihan",
        queryset=Pelatihan.objects.none(),
        required=False,
        empty_label="— pilih pelatihan —",
        error_messages={"invalid_choice": "Pelatihan tidak ditemukan, bukan milik instansi Anda, atau sudah dimulai."},
    )

    def __init__(self, data=None, *, user, pegawai_qs, pelatihan_qs, **kwargs):
        if data is not None and data.get("satu"):
            pegawai_id, _, pelatihan_id = data["satu"].partition(":")
            data = {"pegawai": [pegawai_id], "pelatihan": pelatihan_id}
        super().__init__(data, **kwargs)
        self.fields["pegawai"].queryset = pegawai_qs
        self.fields["pelatihan"].queryset = pelatihan_qs

    def clean(self):
        cleaned = super().clean()
        if "pegawai" in cleaned and not cleaned["pegawai"]:
            self.add_error("pegawai", "Centang minimal satu pegawai.")
        if "pelatihan" in cleaned and cleaned["pelatihan"] is None:
            self.add_error("pelatihan", "Pilih pelatihan tujuan.")
        return cleaned

    @property
    def checked_ids(self):
        """The pegawai ids ticked, to tick them again when the page is shown with errors."""
        if not self.is_bound:
            return set()
        values = self.data.getlist("pegawai") if hasattr(self.data, "getlist") else self.data.get("pegawai", [])
        return {int(v) for v in values if str(v).isdigit()}


def pelatihan_choices_for(user):
    """Upcoming catalogue trainings of the instansi the user runs."""
    instansi = UnitKerja.objects.filter(user.scope.instansi_manage_q()).values("pk")
    return selectors.pelatihan_tersedia(instansi).order_by("tanggal_mulai", "nama", "pk")


_AsesmenFields = model_form_class(
    "AsesmenFields", AsesmenKompetensi, [f for f in ASESMEN_FIELDS if f not in ("kompetensi", "level")]
)


class AsesmenForm(_AsesmenFields):
    """One assessed competency level. The competencies of the jabatan's standard come first."""

    kompetensi = forms.ModelChoiceField(
        label="Kompetensi",
        queryset=Kompetensi.objects.all(),
        error_messages={"invalid_choice": "Pilih kompetensi dari daftar."},
    )
    level = forms.TypedChoiceField(
        label="Level hasil asesmen", coerce=int, choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, required=False)

    field_order = ["kompetensi", "level", "tanggal", "metode", "asesor", "catatan"]

    def __init__(self, *args, pegawai, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        standar = (
            StandarKompetensi.objects.filter(jabatan_id=pegawai.jabatan_id)
            .select_related("kompetensi")
            .order_by("kompetensi__kelompok", "kompetensi__kode")
        )
        first = [(s.kompetensi.pk, f"{s.kompetensi} — standar level {s.level}") for s in standar]
        required = {pk for pk, _ in first}
        rest = [(k.pk, str(k)) for k in Kompetensi.objects.all() if k.pk not in required]
        choices = [("", "— pilih kompetensi —")]
        if first:
            choices.append(("Standar kompetensi jabatan", first))
        if rest:
            choices.append(("Kompetensi lainnya" if first else "Katalog kompetensi", rest))
        self.fields["kompetensi"].choices = choices

    @staticmethod
    def initial_for(row):
        return {name: getattr(row, name) for name in ASESMEN_FIELDS} | {"version": row.version}

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in ASESMEN_FIELDS}


class VersionForm(forms.Form):
    """Delete: the version the user read."""

    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)
