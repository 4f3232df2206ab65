"""Shapes of the karier API: the query parameters of each list (a malformed one is a 400 naming
it) and the rows it answers."""

from rest_framework import serializers

from apps.core.drf import MAX_ID
from apps.pegawai.models import UnitKerja
from apps.pegawai.serializers import UnitKerjaRingkasSerializer

from . import selectors

# ---------------------------------------------------------------------------------------------
# Query parameters


class _UnitQuerySerializer(serializers.Serializer):
    unit_kerja = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Unit kerja (id), beserta sub-unitnya."
    )

    def validate_unit_kerja(self, value):
        unit = UnitKerja.objects.manageable_by(self.context["request"].user).filter(pk=value).first()
        if unit is None:
            raise serializers.ValidationError("Unit kerja tidak ditemukan dalam lingkup Anda.")
        return unit


class KenaikanPangkatQuerySerializer(_UnitQuerySerializer):
    periode = serializers.DateField(
        required=False,
        help_text="Tanggal periode kenaikan pangkat (YYYY-MM-DD: 1 April atau 1 Oktober); bawaan: periode berikutnya.",
    )
    status = serializers.ChoiceField(
        choices=selectors.STATUS_KP,
        required=False,
        help_text="layak: memenuhi syarat (bawaan); belum: kandidat yang belum memenuhi; semua: semua kandidat.",
    )

    def validate_periode(self, value):
        if not selectors.is_kp_date(value):
            raise serializers.ValidationError("Bukan tanggal periode kenaikan pangkat.")
        if not 1900 <= value.year <= 2100:
            raise serializers.ValidationError("Tahun harus antara 1900 dan 2100.")
        return value


class KgbQuerySerializer(_UnitQuerySerializer):
    dalam_bulan = serializers.IntegerField(
        min_value=1,
        max_value=selectors.KGB_BULAN_MAKS,
        required=False,
        help_text="Jatuh tempo dalam sekian bulan ke depan (1–24; bawaan 3).",
    )


class PensiunQuerySerializer(_UnitQuerySerializer):
    dalam_bulan = serializers.IntegerField(
        min_value=1,
        max_value=selectors.PENSIUN_BULAN_MAKS,
        required=False,
        help_text="Pensiun atau akhir perjanjian kerja dalam sekian bulan ke depan (1–36; bawaan 12).",
    )


class TalentaQuerySerializer(_UnitQuerySerializer):
    pass


class TalentaPegawaiQuerySerializer(_UnitQuerySerializer):
    kotak = serializers.IntegerField(min_value=1, max_value=9, help_text="Nomor kotak matriks talenta (1–9).")


class SuksesiQuerySerializer(_UnitQuerySerializer):
    unit_kerja = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Unit kerja (id) jabatannya, beserta sub-unit; kandidat tetap dari seluruh lingkup Anda.",
    )


# ---------------------------------------------------------------------------------------------
# Rows


class GolonganKodeSerializer(serializers.Serializer):
    kode = serializers.CharField(read_only=True)
    pangkat = serializers.CharField(read_only=True)
    siasn_id = serializers.CharField(read_only=True, allow_null=True, help_text="ID golongan SIASN.")


class MasaKerjaSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(read_only=True)
    bulan = serializers.IntegerField(read_only=True)

    def to_representation(self, instance):
        tahun, bulan = instance
        return {"tahun": tahun, "bulan": bulan}


class _PegawaiFields(serializers.Serializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(source="pegawai.unit_kerja", read_only=True)
    jabatan = serializers.CharField(source="pegawai.jabatan.nama", read_only=True, allow_null=True)
    golongan = GolonganKodeSerializer(source="pegawai.golongan", read_only=True, allow_null=True)


class SkpTahunSerializer(serializers.Serializer):
    tahun = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, allow_null=True, help_text="Status SKP; null bila tidak ada.")
    predikat = serializers.IntegerField(read_only=True, allow_null=True, help_text="ID predikat SIASN (1–5).")
    keterangan = serializers.CharField(source="label", read_only=True)


class KenaikanPangkatSerializer(_PegawaiFields):
    """A KP candidate on a KP date, with why not (in Indonesian) when not eligible."""

    periode = serializers.DateField(read_only=True)
    golongan_berikut = GolonganKodeSerializer(read_only=True, allow_null=True)
    tmt_golongan = serializers.DateField(source="pegawai.tmt_golongan", read_only=True, allow_null=True)
    masa_kerja_golongan = MasaKerjaSerializer(read_only=True, allow_null=True, help_text="Pada tanggal periode.")
    skp = SkpTahunSerializer(many=True, read_only=True, help_text="Dua tahun SKP yang dinilai, tahun lama dahulu.")
    layak = serializers.BooleanField(read_only=True)
    alasan = serializers.ListField(child=serializers.CharField(), read_only=True)
    catatan = serializers.ListField(child=serializers.CharField(), read_only=True)


class HukumanRingkasSerializer(serializers.Serializer):
    jenis = serializers.CharField(read_only=True)
    jenis_label = serializers.CharField(source="get_jenis_display", read_only=True)
    tanggal_mulai = serializers.DateField(read_only=True)
    tanggal_selesai = serializers.DateField(read_only=True, allow_null=True)


class KgbSerializer(_PegawaiFields):
    """A KGB falling due in the window; postponed a year while a penalty runs."""

    jenis_asn = serializers.CharField(source="pegawai.jenis_asn", read_only=True)
    tanggal_kgb = serializers.DateField(source="tanggal", read_only=True)
    masa_kerja_golongan = MasaKerjaSerializer(read_only=True, allow_null=True, help_text="Pada tanggal KGB.")
    ditunda = serializers.BooleanField(read_only=True)
    hukuman_disiplin = HukumanRingkasSerializer(source="hukuman", read_only=True, allow_null=True)
    tanggal_kgb_setelah_penundaan = serializers.DateField(source="tanggal_ditunda", read_only=True, allow_null=True)


class PensiunSerializer(_PegawaiFields):
    """A pension (PNS) or the end of a work agreement (PPPK) in the window."""

    jenis_asn = serializers.CharField(source="pegawai.jenis_asn", read_only=True)
    tanggal_lahir = serializers.DateField(source="pegawai.tanggal_lahir", read_only=True)
    batas_usia_pensiun = serializers.IntegerField(source="usia", read_only=True, allow_null=True)
    tanggal_pensiun = serializers.DateField(source="tanggal", read_only=True, allow_null=True)
    akhir_perjanjian_kerja = serializers.DateField(
        source="pegawai.akhir_perjanjian_kerja", read_only=True, allow_null=True
    )


class KotakSerializer(serializers.Serializer):
    kotak = serializers.IntegerField(source="nomor", read_only=True)
    kinerja = serializers.CharField(read_only=True)
    kinerja_label = serializers.CharField(read_only=True)
    potensial = serializers.CharField(read_only=True)
    potensial_label = serializers.CharField(read_only=True)
    jumlah = serializers.IntegerField(read_only=True)
    tindak_lanjut = serializers.CharField(read_only=True)
    kelompok_suksesi = serializers.BooleanField(read_only=True, help_text="Kotak 7–9: kelompok rencana suksesi.")


class TalentaSerializer(serializers.Serializer):
    """The 9-box of the pegawai you manage (in a unit when given)."""

    unit_kerja = UnitKerjaRingkasSerializer(read_only=True, allow_null=True)
    total = serializers.IntegerField(read_only=True, help_text="Pegawai aktif yang ditempatkan.")
    tanpa_asesmen = serializers.IntegerField(read_only=True, help_text="Ada predikat, asesmen belum lengkap.")
    tanpa_predikat = serializers.IntegerField(read_only=True, help_text="Asesmen lengkap, belum ada predikat final.")
    kotak = KotakSerializer(many=True, read_only=True)


class TalentaPegawaiSerializer(serializers.Serializer):
    nip = serializers.CharField(read_only=True)
    nama = serializers.CharField(source="nama_lengkap", read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(read_only=True)
    jabatan = serializers.CharField(source="jabatan.nama", read_only=True, allow_null=True)
    kotak = serializers.IntegerField(read_only=True)
    jpm = serializers.FloatField(read_only=True, help_text="Job-person match (%).")
    predikat = serializers.IntegerField(read_only=True, help_text="Predikat SKP final terakhir (ID SIASN).")
    predikat_label = serializers.CharField(read_only=True)


class JabatanSuksesiSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nama = serializers.CharField(read_only=True)
    jenis = serializers.CharField(read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(read_only=True)


class PegawaiRingkasSerializer(serializers.Serializer):
    nip = serializers.CharField(read_only=True)
    nama = serializers.CharField(source="nama_lengkap", read_only=True)


class KandidatSerializer(serializers.Serializer):
    nip = serializers.CharField(source="pegawai.nip", read_only=True)
    nama = serializers.CharField(source="pegawai.nama_lengkap", read_only=True)
    jabatan = serializers.CharField(source="pegawai.jabatan.nama", read_only=True)
    unit_kerja = UnitKerjaRingkasSerializer(source="pegawai.unit_kerja", read_only=True)
    kotak = serializers.IntegerField(source="box", read_only=True)
    jpm = serializers.FloatField(read_only=True)
    kepemimpinan_ada = serializers.BooleanField(
        read_only=True,
        help_text="Sudah mengikuti pelatihan kepemimpinan yang dibutuhkan jabatan (atau yang lebih tinggi).",
    )


class SuksesiSerializer(serializers.Serializer):
    """A managerial jabatan, its holder and its candidates from the talent pool."""

    jabatan = JabatanSuksesiSerializer(read_only=True)
    kepemimpinan_dibutuhkan = serializers.CharField(read_only=True, allow_null=True)
    pemangku = PegawaiRingkasSerializer(read_only=True, allow_null=True)
    kandidat = KandidatSerializer(many=True, read_only=True)
