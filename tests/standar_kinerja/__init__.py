"""Helpers shared by the standar kinerja tests (pages, services and API)."""

from apps.standar_kinerja import services
from apps.standar_kinerja.models import Kompetensi


def row(uraian, bobot=None, *, target=10, satuan="dokumen", aspek="kuantitas", **extra):
    """One indikator row as the services take it."""
    return {
        "uraian": uraian,
        "indikator": f"Jumlah {uraian.lower()}",
        "aspek": aspek,
        "target": target,
        "satuan": satuan,
        "bobot": bobot,
        **extra,
    }


def kompetensi(kode):
    return Kompetensi.objects.get(kode=kode)


def give_standar(jabatan, *bobot, levels=None):
    """A standard for ``jabatan``: one indikator per bobot (None = without bobot) and levels."""
    rows = [row(f"Hasil {i + 1} {jabatan.nama}", b) for i, b in enumerate(bobot)]
    services.indikator_save_all(actor=None, jabatan=jabatan, rows=rows)
    if levels:
        services.kompetensi_save_all(
            actor=None, jabatan=jabatan, levels={kompetensi(kode): level for kode, level in levels.items()}
        )


def uraian_of(jabatan):
    return list(jabatan.indikator_kinerja.order_by("urutan", "id").values_list("uraian", flat=True))


def levels_of(jabatan):
    return dict(jabatan.standar_kompetensi.values_list("kompetensi__kode", "level"))
