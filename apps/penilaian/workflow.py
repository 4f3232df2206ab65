"""Who may do which step of an SKP from which state: one explicit table (issue: workflow).

A step is either a transition (the SKP changes state) or an edit (the SKP keeps its state).
Anything not in these tables is refused: by role with 403, by state with 409.
"""

from dataclasses import dataclass

from django.db import models

from .models import Status


class Peran(models.TextChoices):
    PEGAWAI = "pegawai", "Pegawai yang dinilai"
    PENILAI = "penilai", "Pejabat penilai kinerja"
    ATASAN_PENILAI = "atasan_penilai", "Atasan pejabat penilai"
    BKPSDM = "bkpsdm", "Staf BKPSDM"


@dataclass(frozen=True)
class Step:
    label: str
    sources: frozenset
    roles: frozenset
    target: str | None = None  # None: an edit, the state stays


def _step(label, sources, roles, target=None):
    return Step(label, frozenset(sources), frozenset(roles), target)


PLANNING = {Status.DRAF, Status.DIKEMBALIKAN}

TRANSITIONS = {
    "ajukan": _step("Ajukan rencana SKP", PLANNING, {Peran.PEGAWAI}, Status.DIAJUKAN),
    "kembalikan": _step("Kembalikan rencana SKP", {Status.DIAJUKAN}, {Peran.PENILAI}, Status.DIKEMBALIKAN),
    "setujui": _step("Setujui rencana SKP", {Status.DIAJUKAN}, {Peran.PENILAI}, Status.BERJALAN),
    "nilai": _step("Tetapkan penilaian tahunan", {Status.BERJALAN}, {Peran.PENILAI}, Status.DINILAI),
    "terima": _step("Terima hasil penilaian", {Status.DINILAI}, {Peran.PEGAWAI}, Status.FINAL),
    "ajukan_keberatan": _step("Ajukan keberatan", {Status.DINILAI}, {Peran.PEGAWAI}, Status.KEBERATAN),
    "putuskan_keberatan": _step("Putuskan keberatan", {Status.KEBERATAN}, {Peran.ATASAN_PENILAI}, Status.FINAL),
    "finalkan": _step("Tetapkan final", {Status.DINILAI}, {Peran.BKPSDM}, Status.FINAL),
    "buka_kembali": _step("Buka kembali SKP final", {Status.FINAL}, {Peran.BKPSDM}, Status.BERJALAN),
}

EDITS = {
    "rencana": _step("Ubah rencana hasil kerja", PLANNING, {Peran.PEGAWAI}),
    "ekspektasi": _step("Ubah ekspektasi khusus dan lampiran", PLANNING | {Status.DIAJUKAN}, {Peran.PENILAI}),
    "realisasi": _step("Isi realisasi", {Status.BERJALAN}, {Peran.PEGAWAI}),
    "umpan_balik": _step("Beri umpan balik", {Status.BERJALAN}, {Peran.PENILAI}),
    "evaluasi_periodik": _step("Nilai evaluasi periodik", {Status.BERJALAN}, {Peran.PENILAI}),
    "penilai": _step(
        "Tetapkan pejabat penilai",
        PLANNING | {Status.DIAJUKAN, Status.BERJALAN},
        {Peran.BKPSDM},
    ),
}

STEPS = {**TRANSITIONS, **EDITS}
