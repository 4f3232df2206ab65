"""Page forms for periods and SKPs. They parse input for ``apps.penilaian.services``; the rules
(who, when, which values) live there and come back onto the form as errors."""

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import fields_for_model

from apps.core.uploads import EvidenceField
from apps.pegawai.forms import CompactField, ServiceForm
from apps.pegawai.models import Pegawai, RiwayatJabatan, UnitKerja

from .models import BerAKHLAK, CapaianOrganisasi, PeriodePenilaian, Rating, Realisasi, RencanaHasilKerja
from .services import LAMPIRAN_FIELDS, RENCANA_FIELDS

MAX_VERSION = 2**31 - 1
RATING_CHOICES = [("", "— pilih —"), *Rating.choices]


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class VersionedForm(ServiceForm):
    """Every change to an SKP carries the version the user read (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version")
        return data


# ---------------------------------------------------------------------------------------------
# Periods


class PeriodeCreateForm(ServiceForm):
    instansi = forms.ModelChoiceField(label="Instansi", queryset=UnitKerja.objects.none(), empty_label=None)
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    periodik = forms.ChoiceField(label="Evaluasi periodik", choices=PeriodePenilaian.Periodik.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].queryset = UnitKerja.objects.filter(user.scope.instansi_manage_q()).order_by("nama")


class PeriodeStatusForm(ServiceForm):
    status = forms.ChoiceField(choices=PeriodePenilaian.Status.choices)


class CapaianForm(ServiceForm):
    unit_kerja = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    capaian = forms.ChoiceField(label="Capaian kinerja organisasi", choices=CapaianOrganisasi.choices)


class GenerateForm(ServiceForm):
    unit_kerja = forms.ModelChoiceField(
        label="Unit kerja (beserta sub-unit)",
        queryset=UnitKerja.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Pilih unit kerja dari daftar.",
            "invalid_choice": "Unit kerja tidak ditemukan atau di luar lingkup kelola Anda.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kerja"].queryset = UnitKerja.objects.manageable_by(user)


class MulaiForm(ServiceForm):
    periode = forms.ModelChoiceField(
        queryset=PeriodePenilaian.objects.none(),
        error_messages={"invalid_choice": "Periode tidak ditemukan atau sudah memiliki SKP Anda."},
    )

    def __init__(self, *args, periode_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].queryset = periode_qs


# ---------------------------------------------------------------------------------------------
# Planning


_rencana_fields = fields_for_model(
    RencanaHasilKerja,
    fields=RENCANA_FIELDS,
    formfield_callback=lambda f, **kw: f.formfield(**kw),
)


class RencanaForm(VersionedForm):
    """A row of rencana hasil kerja; perspektif for JPT, aspek for the rest."""

    jenis = _rencana_fields["jenis"]
    rhk_atasan = _rencana_fields["rhk_atasan"]
    uraian = _rencana_fields["uraian"]
    aspek = _rencana_fields["aspek"]
    perspektif = _rencana_fields["perspektif"]
    indikator = _rencana_fields["indikator"]
    target = _rencana_fields["target"]
    satuan = _rencana_fields["satuan"]
    urutan = _rencana_fields["urutan"]

    def __init__(self, *args, is_jpt, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["aspek" if is_jpt else "perspektif"]
        self.fields["urutan"].required = False
        self.fields["target"].validators.append(MinValueValidator(0))
        self.fields["target"].widget.attrs["min"] = 0

    def service_kwargs(self):
        data = super().service_kwargs()
        if data.get("urutan") is None:
            data["urutan"] = 0
        return data

    @classmethod
    def initial_for(cls, rencana, version):
        return {**{name: getattr(rencana, name) for name in RENCANA_FIELDS}, "version": version}


class EkspektasiForm(VersionedForm):
    """The atasan's ekspektasi khusus per BerAKHLAK value, and the appendix of the SKP."""

    dukungan_sumber_daya = forms.CharField(label="Dukungan sumber daya", required=False, widget=_textarea())
    skema_pertanggungjawaban = forms.CharField(label="Skema pertanggungjawaban", required=False, widget=_textarea())
    konsekuensi = forms.CharField(label="Konsekuensi", required=False, widget=_textarea())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kode, label in BerAKHLAK.choices:
            self.fields[f"ekspektasi_{kode}"] = forms.CharField(
                label=f"Ekspektasi khusus: {label}", required=False, max_length=2000, widget=_textarea(2)
            )

    def service_kwargs(self):
        data = super().service_kwargs()
        data["ekspektasi_khusus"] = {kode: data.pop(f"ekspektasi_{kode}") for kode in BerAKHLAK.values}
        return data

    def ekspektasi_field(self, kode):
        return self[f"ekspektasi_{kode}"]

    @classmethod
    def initial_for(cls, skp):
        initial = {name: getattr(skp, name) for name in LAMPIRAN_FIELDS}
        initial.update({f"ekspektasi_{kode}": skp.ekspektasi_khusus.get(kode, "") for kode in BerAKHLAK.values})
        initial["version"] = skp.version
        return initial


class CatatanForm(VersionedForm):
    """A step that needs a text: kembalikan (catatan), keberatan (alasan), buka kembali (alasan)."""

    def __init__(self, *args, field_name, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = field_name
        self.fields[field_name] = forms.CharField(label=label, max_length=5000, widget=_textarea())


# ---------------------------------------------------------------------------------------------
# Execution


class RealisasiForm(VersionedForm):
    realisasi = forms.CharField(label="Realisasi", max_length=5000, widget=_textarea(2))
    nilai = Realisasi._meta.get_field("nilai").formfield(label="Capaian (angka)", required=False)
    bukti_link = forms.URLField(label="Tautan bukti dukung", required=False, max_length=500, assume_scheme="https")
    bukti_file = EvidenceField(label="Berkas bukti dukung", required=False)

    def clean_bukti_file(self):
        return self.cleaned_data.get("bukti_file") or None

    def service_kwargs(self):
        data = super().service_kwargs()
        # No new file: keep the one already stored (a cleared checkbox arrives as False).
        if data.get("bukti_file") is None:
            data.pop("bukti_file", None)
        elif data["bukti_file"] is False:
            data["bukti_file"] = ""
        return data


class UmpanBalikForm(VersionedForm):
    umpan_balik = forms.CharField(label="Umpan balik", max_length=5000, required=False, widget=_textarea(2))


# ---------------------------------------------------------------------------------------------
# Evaluation


class RatingForm(VersionedForm):
    """The seven BerAKHLAK ratings, the overall perilaku rating and the hasil kerja rating."""

    rating_hasil_kerja = forms.TypedChoiceField(label="Rating hasil kerja", choices=RATING_CHOICES, coerce=int)
    rating_perilaku = forms.TypedChoiceField(label="Rating perilaku kerja", choices=RATING_CHOICES, coerce=int)
    umpan_balik = forms.CharField(label="Umpan balik", required=False, max_length=5000, widget=_textarea())

    def __init__(self, *args, hasil_dari_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hasil_dari_unit = hasil_dari_unit
        for kode, label in BerAKHLAK.choices:
            self.fields[f"berakhlak_{kode}"] = forms.TypedChoiceField(label=label, choices=RATING_CHOICES, coerce=int)
        # Hooks of the live predikat preview (static/js/penilaian.js).
        self.fields["rating_hasil_kerja"].widget.attrs["data-rating"] = "hasil"
        self.fields["rating_perilaku"].widget.attrs["data-rating"] = "perilaku"
        if hasil_dari_unit is not None:
            # For the head of a unit the unit's own result decides (the service enforces it).
            field = self.fields["rating_hasil_kerja"]
            field.disabled = True
            field.required = False
            self.initial["rating_hasil_kerja"] = int(hasil_dari_unit)

    def berakhlak_fields(self):
        return [self[f"berakhlak_{kode}"] for kode in BerAKHLAK.values]

    def ratings(self):
        """(hasil, perilaku) as chosen, for the predikat preview."""
        data = self.cleaned_data
        hasil = self.hasil_dari_unit if self.hasil_dari_unit is not None else data.get("rating_hasil_kerja")
        return hasil, data.get("rating_perilaku")

    def service_kwargs(self):
        data = super().service_kwargs()
        data["rating_berakhlak"] = {kode: data.pop(f"berakhlak_{kode}") for kode in BerAKHLAK.values}
        if self.hasil_dari_unit is not None:
            data["rating_hasil_kerja"] = int(self.hasil_dari_unit)
        return data

    @classmethod
    def initial_for(cls, record, version):
        initial = {
            "rating_hasil_kerja": record.rating_hasil_kerja if record else None,
            "rating_perilaku": record.rating_perilaku if record else None,
            "umpan_balik": record.umpan_balik if record else "",
            "version": version,
        }
        berakhlak = record.rating_berakhlak if record else {}
        initial.update({f"berakhlak_{kode}": berakhlak.get(kode) for kode in BerAKHLAK.values})
        return initial


class KeputusanForm(VersionedForm):
    """The atasan pejabat penilai's decision on a keberatan; the ratings may change."""

    keputusan = forms.CharField(label="Keputusan atas keberatan", max_length=5000, widget=_textarea())
    rating_hasil_kerja = forms.TypedChoiceField(
        label="Rating hasil kerja", choices=RATING_CHOICES, coerce=int, required=False, empty_value=None
    )
    rating_perilaku = forms.TypedChoiceField(
        label="Rating perilaku kerja", choices=RATING_CHOICES, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, skp=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a rating stays as it is: the live preview starts from the current one.
        for name, kind in (("rating_hasil_kerja", "hasil"), ("rating_perilaku", "perilaku")):
            attrs = self.fields[name].widget.attrs
            attrs["data-rating"] = kind
            current = getattr(skp, name, None) if skp is not None else None
            if current:
                attrs["data-current"] = str(current)
        self.fields["rating_hasil_kerja"].choices = [("", "— tetap —"), *Rating.choices]
        self.fields["rating_perilaku"].choices = [("", "— tetap —"), *Rating.choices]

    def ratings(self):
        return self.cleaned_data.get("rating_hasil_kerja"), self.cleaned_data.get("rating_perilaku")


class PenilaiForm(VersionedForm):
    """BKPSDM sets the pejabat penilai (e.g. a Plt/Plh) by NIP."""

    penilai = CompactField(label="NIP pejabat penilai", max_length=30)
    penugasan = forms.ChoiceField(label="Penugasan", choices=RiwayatJabatan.JenisPenugasan.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_penilai(self):
        nip = self.cleaned_data["penilai"]
        pegawai = Pegawai.objects.visible_to(self.user).filter(nip=nip).first() if nip.isdigit() else None
        if pegawai is None:
            raise forms.ValidationError("Pegawai dengan NIP ini tidak ditemukan dalam lingkup Anda.")
        return pegawai
