"""Page forms for the standards. They parse input and hand it to ``services``; the rules (the
bobot total, the catalogue codes, what a copy does) live there and come back as form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from apps.core.drf import MAX_ID
from apps.core.exceptions import DomainError
from apps.pegawai.forms import ServiceForm, model_form_class

from .models import IndikatorKinerja, Kompetensi
from .services import INDIKATOR_FIELDS

ROW_FIELDS = [name for name in INDIKATOR_FIELDS if name != "urutan"]
MAX_ROWS = 100
MAX_TARGETS = 2000
LEVEL_CHOICES = [(str(level), f"Level {level}") for level in range(1, 6)]


def _limit(field, low, high):
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update(min=low, max=high)


def service_messages(exc):
    """The messages of a service error, each prefixed by its field where it names one."""
    if isinstance(exc, DomainError):
        return [exc.message, *exc.field_errors.values()]
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)


class VersiForm(forms.Form):
    """The version of the standard the page was read from (see ``selectors.standar_versi``)."""

    versi = forms.CharField(widget=forms.HiddenInput, max_length=64)


# ---------------------------------------------------------------------------------------------
# Indikator kinerja: one formset, one call to ``indikator_save_all``


_IndikatorFields = model_form_class("IndikatorFields", IndikatorKinerja, ROW_FIELDS)


class IndikatorForm(_IndikatorFields):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("uraian", "indikator"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 500})
        # The database holds these ranges too; checking here puts the message on the field.
        _limit(self.fields["target"], 0, 10**12 - 1)
        self.fields["target"].widget.attrs["step"] = "any"
        _limit(self.fields["bobot"], 0, 100)
        self.fields["bobot"].widget.attrs["step"] = "any"
        self.fields["bobot"].help_text = "Kosongkan bila tidak memakai bobot."

    def row(self):
        data = {name: self.cleaned_data[name] for name in ROW_FIELDS}
        data["id"] = self.cleaned_data.get("id")
        return data


class BaseIndikatorFormSet(forms.BaseFormSet):
    def rows(self):
        """The rows for ``indikator_save_all``, in the order chosen on the page."""
        return [{**form.row(), "urutan": index + 1} for index, form in enumerate(self.ordered_forms)]

    def add_service_error(self, exc):
        # The service checks the whole list (the bobot total): its errors belong to no one row.
        self.non_form_errors().extend(service_messages(exc))


IndikatorFormSet = forms.formset_factory(
    IndikatorForm,
    formset=BaseIndikatorFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS + 20,
)


def indikator_initial(indikator):
    return [{"id": row.pk, **{name: getattr(row, name) for name in ROW_FIELDS}} for row in indikator]


# ---------------------------------------------------------------------------------------------
# Standar kompetensi: a level per catalogue competency


class KompetensiLevelForm(VersiForm, ServiceForm):
    """A level select per competency in ``rows``; empty means not required. ``tambah`` adds
    one more catalogue competency (chosen by search) with its level."""

    tambah = forms.ModelChoiceField(
        label="Tambah kompetensi dari katalog",
        queryset=Kompetensi.objects.all(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": "Kompetensi tidak ditemukan di katalog. Pilih dari daftar."},
    )
    tambah_level = forms.ChoiceField(label="Level", choices=[("", "Pilih level"), *LEVEL_CHOICES], required=False)

    def __init__(self, *args, rows, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for kompetensi in rows:
            level = current.get(kompetensi.pk)
            self.fields[self.field_name(kompetensi)] = forms.ChoiceField(
                label=f"{kompetensi.kode} {kompetensi.nama}",
                choices=[("", "Tidak dipersyaratkan"), *LEVEL_CHOICES],
                required=False,
                initial=str(level) if level else "",
            )

    @staticmethod
    def field_name(kompetensi):
        return f"level_{kompetensi.pk}"

    def level_fields(self):
        """(kompetensi, bound field) per row, for the template."""
        return [(kompetensi, self[self.field_name(kompetensi)]) for kompetensi in self.rows]

    def clean(self):
        data = super().clean()
        if data.get("tambah") and not data.get("tambah_level"):
            self.add_error("tambah_level", "Pilih level yang dipersyaratkan untuk kompetensi ini.")
        return data

    def levels(self):
        """Kompetensi → level (None removes it), for ``kompetensi_save_all``."""
        levels = {}
        for kompetensi in self.rows:
            value = self.cleaned_data.get(self.field_name(kompetensi))
            levels[kompetensi] = int(value) if value else None
        if self.cleaned_data.get("tambah"):
            levels[self.cleaned_data["tambah"]] = int(self.cleaned_data["tambah_level"])
        return levels


KompetensiTeknisForm = model_form_class("KompetensiTeknisForm", Kompetensi, ["kode", "nama", "deskripsi"])
KompetensiTeknisForm.base_fields[
    "kode"
].help_text = "Diawali “T.”, mis. T.PKOM.01 (kompetensi teknis pranata komputer)."


# ---------------------------------------------------------------------------------------------
# Copy


class IdListField(forms.Field):
    """Several ids from checkboxes, checked against ``queryset`` in one query; an id outside it
    (unknown or out of scope) is refused by number."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": "Pilihan jabatan tidak valid.",
        "too_many": f"Paling banyak {MAX_TARGETS} jabatan sekaligus.",
        "unknown": "Jabatan %(ids)s tidak ditemukan atau di luar lingkup kelola Anda.",
    }

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        ids = []
        for item in value:
            text = str(item).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(text))
        if len(ids) > MAX_TARGETS:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        return list(dict.fromkeys(ids))

    def clean(self, value):
        ids = super().clean(value)
        if not ids:
            return []
        found = self.queryset.in_bulk(ids)
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"ids": ", ".join(missing)})
        return [found[pk] for pk in ids]


class SalinForm(ServiceForm):
    MODE_PILIH = "pilih"
    MODE_SAMA_NAMA = "sama_nama"

    mode = forms.ChoiceField(
        label="Jabatan sasaran",
        choices=[(MODE_PILIH, "Jabatan yang dicentang"), (MODE_SAMA_NAMA, "Semua jabatan bernama sama")],
        widget=forms.RadioSelect,
        initial=MODE_PILIH,
    )
    targets = IdListField(label="Jabatan sasaran", queryset=None, required=False)
    replace = forms.TypedChoiceField(
        label="Cara menyalin",
        choices=[
            ("1", "Ganti: standar jabatan sasaran dihapus lalu diisi salinan ini"),
            ("0", "Tambahkan: indikator dan kompetensi ini ditambahkan ke yang sudah ada"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )

    def __init__(self, *args, candidates, same_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = candidates
        self.same_name = same_name

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_SAMA_NAMA:
            data["targets"] = list(self.same_name)
            if not data["targets"]:
                self.add_error("mode", "Tidak ada jabatan lain bernama sama dalam lingkup kelola Anda.")
        elif "targets" in data and not data["targets"]:
            self.add_error("targets", "Centang sedikitnya satu jabatan sasaran.")
        return data
