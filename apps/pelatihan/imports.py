"""Importing training records from XLSX/CSV: trainings done outside the catalogue that BKPSDM
records for the pegawai it manages. As with ``services.mandiri_ajukan`` by staff, each record is
``pencatatan`` and ``terverifikasi`` at once, attended and passed, and all its JP count.

Every row is checked first (the pegawai within the user's scope, dates, JP, the rules of
``services._mandiri_clean``, doubles in the file and against records already there); then all
rows are written with ``bulk_create`` in one transaction, each with the audit entry the service
writes.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone

from apps.core import audit
from apps.core.imports import (
    DATE_FORMAT_HELP,
    Column,
    Importer,
    Sheet,
    audit_entry,
    chunked,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
    validation_errors,
)
from apps.core.models import AuditLog
from apps.pegawai.imports import EXAMPLE_NIP, NIP_HELP, parse_nip
from apps.pegawai.models import Pegawai

from . import services
from .models import Jalur, JenisDiklat, Kepemimpinan, RiwayatPelatihan, Status, jalur_for

JENIS_DIKLAT = {**{str(j.value): j.value for j in JenisDiklat}, **{j.label: j.value for j in JenisDiklat}}
KEPEMIMPINAN = {
    **{k.value: k.value for k in Kepemimpinan},
    "PKP": Kepemimpinan.PKP,
    "PKA": Kepemimpinan.PKA,
    "PKN II": Kepemimpinan.PKN_II,
    "PKN Tingkat II": Kepemimpinan.PKN_II,
    "PKN I": Kepemimpinan.PKN_I,
    "PKN Tingkat I": Kepemimpinan.PKN_I,
    "Diklatpim IV": Kepemimpinan.PKP,
    "Diklatpim III": Kepemimpinan.PKA,
    "Diklatpim II": Kepemimpinan.PKN_II,
    "Diklatpim I": Kepemimpinan.PKN_I,
}
JALUR = {**{j.value: j.value for j in Jalur}, **{j.label: j.value for j in Jalur}, "nonklasikal": Jalur.NON_KLASIKAL}


def _date(key, header, description, example):
    return Column(
        key, header, parse_date, required=True, description=description, allowed=DATE_FORMAT_HELP, example=example
    )


RIWAYAT_PELATIHAN = Sheet(
    "riwayat_pelatihan",
    "Riwayat Pelatihan",
    description="Pelatihan di luar katalog yang dicatat BKPSDM, satu baris per pelatihan per pegawai.",
    example_keys=("nip", "nama"),
    columns=(
        Column(
            "nip",
            "NIP",
            parse_nip,
            required=True,
            description=NIP_HELP + " Pegawai harus dalam lingkup Anda.",
            allowed="18 digit",
            example=EXAMPLE_NIP,
            text=True,
            width=22,
        ),
        Column(
            "nama",
            "Nama pelatihan",
            parse_text(255),
            required=True,
            example="Bimbingan Teknis Pengelolaan Arsip Dinamis",
            width=34,
        ),
        Column(
            "jenis_diklat",
            "Jenis diklat",
            parse_choice(JENIS_DIKLAT, "ID jenis diklat SIASN 1–25 (lihat lembar Petunjuk)"),
            required=True,
            description="ID jenis diklat SIASN (atau namanya persis).",
            allowed="; ".join(f"{j.value} {j.label}" for j in JenisDiklat),
            example=8,
        ),
        Column(
            "kepemimpinan",
            "Pelatihan kepemimpinan",
            parse_choice(KEPEMIMPINAN, "pkp, pka, pkn_2 atau pkn_1 (atau kosong)"),
            description="Hanya untuk pelatihan kepemimpinan (PerLAN 5/2022).",
            allowed="; ".join(f"{k.value} ({k.label})" for k in Kepemimpinan) + "; kosong bila bukan",
        ),
        Column(
            "jalur",
            "Jalur",
            parse_choice(JALUR, "klasikal atau non_klasikal"),
            description="Kosong = menurut jenis diklat (magang, jarak jauh dan 14–25 non-klasikal).",
            allowed="klasikal, non_klasikal",
        ),
        Column("penyelenggara", "Penyelenggara", parse_text(200), required=True, example="ANRI", width=24),
        _date("tanggal_mulai", "Tanggal mulai", "", dt.date(2026, 3, 9)),
        _date(
            "tanggal_selesai",
            "Tanggal selesai",
            "Tidak boleh sebelum tanggal mulai, dan sudah lewat.",
            dt.date(2026, 3, 11),
        ),
        Column(
            "jp",
            "JP",
            parse_int(1, 2000),
            required=True,
            description="Jam pelajaran (1 JP = 45 menit); seluruhnya diakui.",
            allowed="1–2000",
            example=24,
        ),
        Column("nomor_sertifikat", "Nomor sertifikat/STTPP", parse_text(100), example="STTPP/0123/2026", width=22),
        Column("catatan", "Catatan", parse_text(2000), width=30),
    ),
)

FIELDS = services.MANDIRI_FIELDS  # nama, jenis_diklat, jalur, kepemimpinan, ... catatan


def _count(n):
    return f"{n:,}".replace(",", ".")


class RiwayatPelatihanImporter(Importer):
    kind = "pelatihan"
    label = "Riwayat pelatihan (dicatat BKPSDM)"
    description = "Pelatihan di luar katalog yang sudah selesai; langsung terverifikasi dan JP-nya dihitung."
    sheets = (RIWAYAT_PELATIHAN,)
    notes = (
        "Setiap baris dicatat sebagai pelatihan yang sudah diverifikasi BKPSDM: hadir, lulus, dan seluruh JP diakui "
        "pada tahun tanggal selesainya.",
        "Pelatihan Anda sendiri tidak dapat diimpor (diajukan lewat halaman Pelatihan dan diverifikasi staf lain).",
        "Baris yang sama (NIP, nama pelatihan, tanggal mulai dan selesai) dengan catatan yang sudah ada ditolak, "
        "agar JP tidak terhitung dua kali.",
    )

    def check(self, tables):
        rows = [row for table in tables for row in table.rows]
        nips = {row["nip"] for row in rows if row["nip"]}
        pegawai_ids = {}
        for part in chunked(nips):
            pegawai_ids.update(Pegawai.objects.manageable_by(self.user).filter(nip__in=part).values_list("nip", "pk"))
        recorded = self._recorded(rows, pegawai_ids)
        plan, seen = [], {}
        for row in rows:
            pegawai_id = pegawai_ids.get(row["nip"])
            if row["nip"] and pegawai_id is None:
                row.error("nip", "Pegawai dengan NIP ini tidak ditemukan dalam lingkup Anda.")
            elif pegawai_id is not None and pegawai_id == self.user.pegawai_id:
                row.error("nip", "Pelatihan Anda sendiri diajukan lewat halaman Pelatihan dan diverifikasi staf lain.")
            data = {name: row[name] for name in FIELDS if row[name] is not None}
            if "jalur" not in data and row.ok("jenis_diklat") and row["jenis_diklat"]:
                data["jalur"] = jalur_for(row["jenis_diklat"])
            record = RiwayatPelatihan(pegawai_id=pegawai_id, **data)
            mulai, selesai = row["tanggal_mulai"], row["tanggal_selesai"]
            if mulai and selesai and selesai < mulai:
                row.error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
            elif selesai:
                try:
                    services._mandiri_clean(record)
                except ValidationError as exc:
                    validation_errors(row, exc, FIELDS)
            # The model's own field checks (lengths, choices, JP range) on the cells that were read.
            exclude = [f.name for f in RiwayatPelatihan._meta.fields if f.name not in data or f.name in row.bad]
            try:
                record.clean_fields(exclude=exclude)
            except ValidationError as exc:
                validation_errors(row, exc, FIELDS)
            if pegawai_id is None or not (row["nama"] and mulai and selesai):
                continue
            key = (pegawai_id, row["nama"].lower(), mulai, selesai)
            if key in seen:
                row.error(None, f"Pelatihan ini sama dengan baris {seen[key]} (NIP, nama dan tanggal).")
                continue
            seen[key] = row.number
            if key in recorded:
                row.error(None, "Pelatihan ini sudah tercatat untuk pegawai tersebut (nama dan tanggal sama).")
                continue
            plan.append(record)
        return plan

    @staticmethod
    def _recorded(rows, pegawai_ids):
        """Records already there with the same pegawai, name and dates (ditolak/dibatalkan aside)."""
        ids = {pegawai_ids[row["nip"]] for row in rows if row["nip"] in pegawai_ids}
        days = {row["tanggal_mulai"] for row in rows if row["tanggal_mulai"]}
        found = set()
        if not ids or not days:
            return found
        for part in chunked(ids):
            found.update(
                RiwayatPelatihan.objects.filter(pegawai_id__in=part, tanggal_mulai__in=days)
                .exclude(status__in=[Status.DITOLAK, Status.DIBATALKAN])
                .annotate(nama_lower=Lower("nama"))
                .values_list("pegawai_id", "nama_lower", "tanggal_mulai", "tanggal_selesai")
            )
        return found

    def save_count(self, plan):
        return len(plan)

    def save(self, plan, progress):
        actor, now = self.user, timezone.now()
        for part in chunked(plan):
            for row in part:
                row.jalur = row.jalur or jalur_for(row.jenis_diklat)
                row.sumber, row.status = RiwayatPelatihan.Sumber.PENCATATAN, Status.TERVERIFIKASI
                row.hadir = row.lulus = True
                row.jp_diakui = row.jp
                row.diputuskan_oleh, row.diputuskan_pada = actor, now
            RiwayatPelatihan.objects.bulk_create(part)
            AuditLog.objects.bulk_create(
                [
                    audit_entry(
                        actor=actor,
                        action=AuditLog.Action.CREATE,
                        obj=row,
                        changes=audit.created(row, (*FIELDS, "status")),
                        pegawai_id=row.pegawai_id,
                    )
                    for row in part
                ]
            )
            progress.step(len(part))
        total_jp = sum(row.jp for row in plan)
        pegawai = len({row.pegawai_id for row in plan})
        return [
            f"{_count(len(plan))} riwayat pelatihan dicatat untuk {_count(pegawai)} pegawai, "
            f"{_count(total_jp)} JP diakui."
        ]

    def references(self):
        return [
            (
                "Referensi Jenis Diklat",
                ["ID", "Jenis diklat", "Jalur bawaan"],
                ((j.value, j.label, jalur_for(j).label) for j in JenisDiklat),
            )
        ]
