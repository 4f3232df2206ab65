"""Shapes of the standar kinerja API. Output serializers say what a reader gets; input
serializers parse what a writer sends, limited to the user's scope; ``services`` write."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api import ModelSerializer, StrictInputMixin
from apps.core.drf import MAX_ID
from apps.pegawai.models import Jabatan
from apps.pegawai.serializers import UnitKerjaRingkasSerializer

from . import selectors
from .forms import MAX_ROWS, MAX_TARGETS
from .models import IndikatorKinerja, Kompetensi, StandarKompetensi

MAX_KOMPETENSI = 200


# ---------------------------------------------------------------------------------------------
# Output


class IndikatorSerializer(ModelSerializer):
    class Meta:
        model = IndikatorKinerja
        fields = ["id", "uraian", "indikator", "aspek", "target", "satuan", "bobot", "urutan", "updated_at"]
        read_only_fields = fields


class StandarKompetensiSerializer(ModelSerializer):
    kompetensi = serializers.IntegerField(source="kompetensi_id", read_only=True, help_text="Id di katalog kompetensi.")
    kode = serializers.CharField(source="kompetensi.kode", read_only=True)
    nama = serializers.CharField(source="kompetensi.nama", read_only=True)
    kelompok = serializers.ChoiceField(
        source="kompetensi.kelompok", choices=Kompetensi.Kelompok.choices, read_only=True
    )

    class Meta:
        model = StandarKompetensi
        fields = ["kompetensi", "kode", "nama", "kelompok", "level"]
        read_only_fields = fields


class StandarKinerjaSerializer(ModelSerializer):
    """The standard of one jabatan. Read from a queryset prepared by ``selectors.with_standar``."""

    id = serializers.IntegerField(read_only=True, help_text="Id jabatan.")
    unit_kerja = UnitKerjaRingkasSerializer(read_only=True)
    indikator = IndikatorSerializer(source="indikator_kinerja", many=True, read_only=True)
    kompetensi = StandarKompetensiSerializer(source="standar_kompetensi", many=True, read_only=True)
    total_bobot = serializers.SerializerMethodField(help_text="Jumlah bobot indikator; null bila tanpa bobot.")
    versi = serializers.SerializerMethodField(
        help_text="Versi standar ini; kirim kembali saat mengubahnya (PUT) agar perubahan orang lain tidak tertimpa."
    )

    class Meta:
        model = Jabatan
        fields = ["id", "nama", "jenis", "jenjang", "unit_kerja", "indikator", "kompetensi", "total_bobot", "versi"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    )
    def get_total_bobot(self, jabatan) -> Decimal | None:
        return selectors.total_bobot(jabatan.indikator_kinerja.all())

    def get_versi(self, jabatan) -> str:
        return selectors.standar_versi_of(jabatan.indikator_kinerja.all(), jabatan.standar_kompetensi.all())


class KompetensiSerializer(ModelSerializer):
    class Meta:
        model = Kompetensi
        fields = ["id", "kode", "nama", "kelompok", "deskripsi", "updated_at"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Input


class IndikatorInputSerializer(StrictInputMixin, ModelSerializer):
    id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id indikator yang sudah ada pada jabatan ini; kosongkan untuk indikator baru.",
    )

    class Meta:
        model = IndikatorKinerja
        fields = ["id", "uraian", "indikator", "aspek", "target", "satuan", "bobot"]
        extra_kwargs = {
            "target": {"min_value": Decimal(0)},
            "bobot": {"required": False, "min_value": Decimal(0), "max_value": Decimal(100)},
        }


class StandarKompetensiInputSerializer(StrictInputMixin, serializers.Serializer):
    kode = serializers.SlugRelatedField(
        slug_field="kode",
        queryset=Kompetensi.objects.all(),
        help_text="Kode di katalog kompetensi, mis. M.01, SK.01 atau T.PKOM.01.",
    )
    level = serializers.IntegerField(min_value=1, max_value=5, help_text="Level yang dipersyaratkan, 1 sampai 5.")


class StandarInputSerializer(StrictInputMixin, serializers.Serializer):
    """The whole standard of a jabatan: what is not listed is removed."""

    versi = serializers.CharField(max_length=64, help_text="Nilai `versi` dari standar yang dibaca.")
    indikator = IndikatorInputSerializer(many=True, max_length=MAX_ROWS)
    kompetensi = StandarKompetensiInputSerializer(many=True, max_length=MAX_KOMPETENSI)

    def validate_kompetensi(self, value):
        kodes = [item["kode"].kode for item in value]
        dupes = sorted({kode for kode in kodes if kodes.count(kode) > 1})
        if dupes:
            raise serializers.ValidationError(f"Kompetensi disebut lebih dari sekali: {', '.join(dupes)}.")
        return value

    def service_kwargs(self):
        data = self.validated_data
        return {
            # The order of the list is the order of the indikator.
            "indikator": [{**row, "urutan": index + 1} for index, row in enumerate(data["indikator"])],
            "kompetensi": {item["kode"]: item["level"] for item in data["kompetensi"]},
            "expected_versi": data["versi"],
        }


class SalinSerializer(StrictInputMixin, serializers.Serializer):
    targets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=MAX_TARGETS,
        help_text="Id jabatan sasaran, dalam lingkup kelola Anda.",
    )
    replace = serializers.BooleanField(
        help_text="true: standar jabatan sasaran diganti; false: indikator dan kompetensi ditambahkan."
    )

    def validate_targets(self, ids):
        source = self.context["source"]
        ids = list(dict.fromkeys(ids))
        if source.pk in ids:
            raise serializers.ValidationError("Jabatan sumber tidak dapat menjadi sasaran salinannya sendiri.")
        found = selectors.standar_manageable(self.context["request"].user).in_bulk(ids)
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                f"Jabatan {', '.join(missing)} tidak ditemukan atau di luar lingkup kelola Anda."
            )
        return [found[pk] for pk in ids]


class SalinResultSerializer(serializers.Serializer):
    jumlah = serializers.IntegerField(help_text="Banyak jabatan yang menerima salinan.")
    targets = serializers.ListField(child=serializers.IntegerField())
    replace = serializers.BooleanField()


class KompetensiTeknisInputSerializer(StrictInputMixin, serializers.Serializer):
    kode = serializers.CharField(max_length=20, help_text="Diawali “T.”, mis. T.PKOM.01; unik.")
    nama = serializers.CharField(max_length=200)
    deskripsi = serializers.CharField(required=False, allow_blank=True, default="")
