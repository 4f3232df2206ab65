"""Page forms: they parse input and hand it to ``apps.pelatihan.services``; the rules live there."""

import re

from django import forms
from django.db.models import Q

from apps.core.uploads import EvidenceField
from apps.core.validators import validate_nip
from apps.pegawai.forms import CompactField, model_form_class
from apps.pegawai.models import Pegawai, UnitKerja
from apps.standar_kinerja.models import Kompetensi

from .models import Jalur, JenisDiklat, Kepemimpinan, Pelatihan, Penyelenggara, RiwayatPelatihan, terbuka_q
from .services import MANDIRI_FIELDS, PELATIHAN_FIELDS, PENYELENGGARA_FIELDS

MAX_VERSION = 2**31 - 1
MAX_NIP_LINES = 500


def _str_choices(choices):
    """Choices with string values, as they come back in a query string."""
    return [(str(value), label) for value, label in choices]


def _blank_labels(form, labels):
    """Name the empty choice of optional selects ("---------" says nothing)."""
    for name, label in labels.items():
        if name in form.fields:
            field = form.fields[name]
            field.choices = [("", label), *[(v, t) for v, t in field.choices if v != ""]]


BLANK_LABELS = {
    "jenis_diklat": "Pilih jenis diklat",
    "jalur": "Ikuti jenis diklat",
    "kepemimpinan": "Bukan pelatihan kepemimpinan",
    "sasaran_jenis_jabatan": "Semua jenis jabatan",
}


# ---------------------------------------------------------------------------------------------
# The catalogue


class KatalogFilterForm(forms.Form):
    q = forms.CharField(label="Cari nama pelatihan", max_length=100, required=False)
    tahun = forms.TypedChoiceField(label="Tahun", coerce=int, required=False, empty_value=None)
    jenis_diklat = forms.TypedChoiceField(
        label="Jenis diklat", coerce=int, required=False, empty_value=None, choices=_str_choices(JenisDiklat.choices)
    )
    jalur = forms.ChoiceField(label="Jalur", required=False, choices=Jalur.choices)
    kepemimpinan = forms.ChoiceField(label="Pelatihan kepemimpinan", required=False, choices=Kepemimpinan.choices)
    kompetensi = forms.ModelChoiceField(label="Kompetensi", queryset=Kompetensi.objects.all(), required=False)
    penyelenggara = forms.ModelChoiceField(label="Penyelenggara", queryset=Penyelenggara.objects.none(), required=False)
    terbuka = forms.BooleanField(label="Hanya yang masih menerima pendaftaran", required=False)

    FILTERS = ("q", "tahun", "jenis_diklat", "jalur", "kepemimpinan", "kompetensi", "penyelenggara", "terbuka")

    def __init__(self, *args, penyelenggara, tahun_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penyelenggara"].queryset = penyelenggara
        self.fields["tahun"].choices = [(str(t), str(t)) for t in tahun_choices]
        # The blank choice of a ChoiceField is the "all" option of the <select>, drawn by the template.
        for name in ("jalur", "kepemimpinan"):
            self.fields[name].choices = [("", ""), *self.fields[name].choices]

    @property
    def cleaned(self):
        """The valid filters only: an invalid one is left out (the page says so)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}

    def filter(self, queryset, today):
        data = self.cleaned
        if data.get("q"):
            queryset = queryset.filter(nama__icontains=data["q"].strip())
        if data.get("tahun"):
            queryset = queryset.filter(tanggal_mulai__year=data["tahun"])
        for name in ("jenis_diklat", "jalur", "kepemimpinan", "penyelenggara"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("kompetensi"):
            queryset = queryset.filter(
                pk__in=Pelatihan.kompetensi.through.objects.filter(kompetensi=data["kompetensi"]).values("pelatihan_id")
            )
        if data.get("terbuka"):
            queryset = queryset.filter(terbuka_q(today))
        return queryset


class KompetensiMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kode} – {obj.nama}"


_PelatihanFields = model_form_class("PelatihanFields", Pelatihan, list(PELATIHAN_FIELDS))


class PelatihanForm(_PelatihanFields):
    """Create or edit a catalogue training. ``instansi`` is asked only of staff who run more than one."""

    instansi = forms.ModelChoiceField(label="Instansi", queryset=UnitKerja.objects.none(), required=False)
    kompetensi = KompetensiMultipleField(
        label="Kompetensi yang dikembangkan",
        queryset=Kompetensi.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Tahan Ctrl (atau ⌘) untuk memilih lebih dari satu.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, required=False)

    field_order = ["instansi", *PELATIHAN_FIELDS, "kompetensi"]

    def __init__(self, *args, instansi_qs, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        self.instansi_qs = instansi_qs
        if row is not None or len(instansi_qs) <= 1:
            del self.fields["instansi"]
        else:
            self.fields["instansi"].queryset = UnitKerja.objects.filter(pk__in=[u.pk for u in instansi_qs])
            self.fields["instansi"].required = True
        instansi_ids = [row.instansi_id] if row is not None else [u.pk for u in instansi_qs]
        choices = Penyelenggara.objects.filter(instansi__in=instansi_ids)
        if row is not None:
            choices = choices.filter(Q(aktif=True) | Q(pk=row.penyelenggara_id))
        else:
            choices = choices.filter(aktif=True)
        self.fields["penyelenggara"].queryset = choices
        self.fields["penyelenggara"].empty_label = "Pilih penyelenggara"
        self.fields["jalur"].required = False
        self.fields["version"].required = row is not None
        _blank_labels(self, BLANK_LABELS)

    @staticmethod
    def initial_for(row):
        initial = {name: getattr(row, name) for name in PELATIHAN_FIELDS}
        initial["penyelenggara"] = row.penyelenggara_id
        initial["kompetensi"] = list(row.kompetensi.all())
        initial["version"] = row.version
        return initial

    def chosen_instansi(self):
        if self.row is not None:
            return self.row.instansi
        if "instansi" in self.fields:
            return self.cleaned_data["instansi"]
        return self.instansi_qs[0]

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in PELATIHAN_FIELDS}
        data["kompetensi"] = list(self.cleaned_data["kompetensi"])
        return data


# The URL field is declared below: the model's would warn about Django 6's default scheme.
_PenyelenggaraFields = model_form_class(
    "PenyelenggaraFields", Penyelenggara, [name for name in PENYELENGGARA_FIELDS if name != "situs"]
)


class PenyelenggaraForm(_PenyelenggaraFields):
    situs = forms.URLField(label="Situs web", max_length=200, required=False, assume_scheme="https")
    instansi = forms.ModelChoiceField(label="Instansi", queryset=UnitKerja.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, required=False)

    field_order = ["instansi", *PENYELENGGARA_FIELDS]

    def __init__(self, *args, instansi_qs, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        self.instansi_qs = instansi_qs
        if row is not None or len(instansi_qs) <= 1:
            del self.fields["instansi"]
        else:
            self.fields["instansi"].queryset = UnitKerja.objects.filter(pk__in=[u.pk for u in instansi_qs])
            self.fields["instansi"].required = True
        self.fields["version"].required = row is not None

    @staticmethod
    def initial_for(row):
        return {name: getattr(row, name) for name in PENYELENGGARA_FIELDS} | {"version": row.version}

    def chosen_instansi(self):
        if self.row is not None:
            return self.row.instansi
        if "instansi" in self.fields:
            return self.cleaned_data["instansi"]
        return self.instansi_qs[0]

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in PENYELENGGARA_FIELDS}


# ---------------------------------------------------------------------------------------------
# Participation


class DaftarForm(forms.Form):
    catatan = forms.CharField(label="Catatan untuk atasan (opsional)", max_length=2000, required=False)


class DaftarkanForm(forms.Form):
    """Direct enrolment by BKPSDM: NIPs, one per line. Every NIP must name a pegawai the user
    manages; one that does not is named in the error and nothing is saved."""

    nip = forms.CharField(
        label="NIP pegawai, satu per baris",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text=f"Boleh ditempel dari lembar kerja; spasi diabaikan. Paling banyak {MAX_NIP_LINES} NIP.",
        error_messages={"required": "Isi minimal satu NIP."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pegawai_list = []

    def clean_nip(self):
        lines = [line.replace(" ", "").strip() for line in re.split(r"[\r\n,;]+", self.cleaned_data["nip"])]
        nips = list(dict.fromkeys(line for line in lines if line))
        if not nips:
            raise forms.ValidationError("Isi minimal satu NIP.")
        if len(nips) > MAX_NIP_LINES:
            raise forms.ValidationError(f"Paling banyak {MAX_NIP_LINES} NIP sekali simpan (ada {len(nips)}).")
        malformed = [nip for nip in nips if not re.fullmatch(r"\d{18}", nip)]
        if malformed:
            raise forms.ValidationError(
                "Bukan NIP (harus 18 angka): %(daftar)s.", params={"daftar": ", ".join(malformed[:10])}
            )
        found = {p.nip: p for p in Pegawai.objects.manageable_by(self.user).filter(nip__in=nips)}
        unknown = [nip for nip in nips if nip not in found]
        if unknown:
            # Outside the user's scope reads like unknown: no existence leak.
            raise forms.ValidationError(
                "NIP tidak ditemukan dalam lingkup kelola Anda: %(daftar)s. Tidak ada yang disimpan.",
                params={"daftar": ", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else "")},
            )
        self.pegawai_list = [found[nip] for nip in nips]
        return nips


HADIR_CHOICES = [("", "— belum diisi —"), ("1", "Hadir"), ("0", "Tidak hadir")]


class HasilRowForm(forms.Form):
    """One participant's row of "Catat hasil"; a row whose attendance is left blank is not saved."""

    hadir = forms.TypedChoiceField(
        label="Kehadiran", choices=HADIR_CHOICES, coerce=lambda v: v == "1", required=False, empty_value=None
    )
    lulus = forms.BooleanField(label="Lulus", required=False)
    jp_diakui = forms.IntegerField(label="JP diakui", required=False, min_value=0, max_value=2000)
    nomor_sertifikat = forms.CharField(label="Nomor sertifikat/STTPP", max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    @staticmethod
    def initial_for(row):
        hadir = "" if row.hadir is None else ("1" if row.hadir else "0")
        return {
            "hadir": hadir,
            "lulus": bool(row.lulus),
            "jp_diakui": row.jp_diakui if row.status == "selesai" else None,
            "nomor_sertifikat": row.nomor_sertifikat,
            "version": row.version,
        }

    def service_row(self, riwayat):
        data = self.cleaned_data
        return {
            "riwayat": riwayat,
            "hadir": data["hadir"],
            "lulus": data["lulus"],
            "jp_diakui": data["jp_diakui"],
            "nomor_sertifikat": data["nomor_sertifikat"],
            "expected_version": data["version"],
        }


DARI = ("antrean", "antrean_verifikasi", "persetujuan", "saya", "pelatihan", "detail")


class KeputusanForm(forms.Form):
    """A workflow step from a list or a detail page: the version read, why (reject), the JP
    recognised (verify) and where to come back to."""

    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)
    alasan = forms.CharField(label="Alasan", max_length=2000, required=False)
    jp_diakui = forms.IntegerField(label="JP diakui", min_value=0, max_value=2000, required=False)
    dari = forms.ChoiceField(choices=[(d, d) for d in DARI], required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)


# ---------------------------------------------------------------------------------------------
# Trainings done elsewhere


_MandiriFields = model_form_class("MandiriFields", RiwayatPelatihan, list(MANDIRI_FIELDS))


class MandiriForm(_MandiriFields):
    """A training done outside the catalogue, with its certificate. Staff may name a pegawai they
    manage by NIP (recorded as verified at once); an edit carries the version read."""

    nip = CompactField(
        label="NIP pegawai",
        max_length=40,
        required=False,
        validators=[validate_nip],
        help_text="Kosongkan untuk pelatihan Anda sendiri.",
    )
    bukti = EvidenceField(
        label="Sertifikat / STTPP", error_messages={"required": "Lampirkan sertifikat atau STTPP sebagai bukti."}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION, required=False)

    field_order = ["nip", *MANDIRI_FIELDS, "bukti"]

    def __init__(self, *args, user, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.row = row
        self.fields["jalur"].required = False
        self.fields["penyelenggara"].help_text = "Lembaga yang menyelenggarakan, mis. BPSDM Provinsi Aceh."
        _blank_labels(self, BLANK_LABELS)
        if row is not None:
            del self.fields["nip"]
            self.fields["bukti"].required = False
            self.fields["bukti"].label = "Ganti sertifikat / STTPP"
            self.fields["version"].required = True
        else:
            del self.fields["version"]
            if not user.scope.can_manage:
                del self.fields["nip"]
            else:
                # Staff recording for a pegawai may do without the file; their own still needs it.
                self.fields["bukti"].required = False
                if user.pegawai_id is None:
                    self.fields["nip"].required = True
                    self.fields["nip"].help_text = ""

    @staticmethod
    def initial_for(row):
        return {name: getattr(row, name) for name in MANDIRI_FIELDS} | {"version": row.version}

    def clean_nip(self):
        nip = self.cleaned_data.get("nip")
        if nip and not Pegawai.objects.manageable_by(self.user).filter(nip=nip).exists():
            raise forms.ValidationError("Pegawai dengan NIP ini tidak ditemukan dalam lingkup kelola Anda.")
        return nip

    def clean(self):
        cleaned = super().clean()
        # Your own submission needs its evidence; staff recording for someone may leave it out.
        own = self.row is None and not cleaned.get("nip") and "bukti" in self.fields
        if own and not cleaned.get("bukti") and not self.has_error("bukti"):
            self.add_error("bukti", "Lampirkan sertifikat atau STTPP sebagai bukti.")
        return cleaned

    def pegawai(self):
        nip = self.cleaned_data.get("nip")
        if nip:
            return Pegawai.objects.manageable_by(self.user).get(nip=nip)
        return Pegawai.objects.get(pk=self.user.pegawai_id)

    def service_kwargs(self):
        data = {name: self.cleaned_data[name] for name in MANDIRI_FIELDS}
        if self.cleaned_data.get("bukti"):
            data["bukti"] = self.cleaned_data["bukti"]
        return data
