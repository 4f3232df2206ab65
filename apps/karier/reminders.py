"""The daily reminders: certificates expiring in 90 and 30 days (to the pegawai and the BKPSDM
staff who manage them) and SKP steps waiting on someone (to that person). Each reminder is a
``Notifikasi`` with a key; a key is never notified twice to the same user, and its email is
sent once (a failed email is retried on the next run, never a sent one).

A SKP step is keyed by the audit entry that moved the SKP into its current state, so a second
round of the same step (a rencana returned and submitted again) is a new reminder, and edits
within a state are not.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from apps.akun.models import User
from apps.core.models import AuditLog
from apps.penilaian.models import Penilaian, PeriodePenilaian
from apps.penilaian.models import Status as StatusSkp
from apps.penilaian.selectors import MENUNGGU
from apps.sertifikasi.models import Sertifikasi

from .models import Notifikasi

logger = logging.getLogger("asnkarier.reminders")

BATAS_HARI = (90, 30)  # DOMAIN §7 with the issue: reminders at 90 and at 30 days

# What waits on the pegawai themself, beside what waits on the atasan (penilaian.selectors.MENUNGGU).
MENUNGGU_PEGAWAI = {
    StatusSkp.DRAF: "Lengkapi dan ajukan rencana SKP",
    StatusSkp.DIKEMBALIKAN: "Perbaiki rencana SKP yang dikembalikan atasan lalu ajukan kembali",
    StatusSkp.DINILAI: "Terima hasil penilaian atau ajukan keberatan",
}


@dataclass
class Calon:
    user_id: int
    jenis: str
    kunci: str
    judul: str
    pesan: str
    tautan: str


def _staff_by_path():
    """Active BKPSDM accounts with the unit paths they manage (few rows)."""
    staff = defaultdict(list)
    for user_id, path in User.objects.filter(is_active=True, role=User.Role.BKPSDM).values_list(
        "pk", "unit_scopes__path"
    ):
        if path:
            staff[user_id].append(path)
    return staff


def _sertifikat(pada):
    """Reminders for verified certificates whose expiry is 0–90 days away."""
    staff = _staff_by_path()
    akun = dict(User.objects.filter(is_active=True, pegawai__isnull=False).values_list("pegawai_id", "pk"))
    rows = (
        Sertifikasi.objects.filter(
            verifikasi=Sertifikasi.Verifikasi.TERVERIFIKASI,
            tanggal_kedaluwarsa__gte=pada,
            tanggal_kedaluwarsa__lte=pada + dt.timedelta(days=max(BATAS_HARI)),
        )
        .select_related("pegawai", "pegawai__unit_kerja")
        .order_by("tanggal_kedaluwarsa", "pk")
    )
    for row in rows:
        sisa = (row.tanggal_kedaluwarsa - pada).days
        batas = min(h for h in BATAS_HARI if sisa <= h)
        jenis = Notifikasi.Jenis.SERTIFIKAT_30 if batas == 30 else Notifikasi.Jenis.SERTIFIKAT_90
        kunci = f"sertifikasi:{row.pk}:{row.tanggal_kedaluwarsa:%Y%m%d}:{batas}"
        tautan = reverse("sertifikasi:detail", kwargs={"pk": row.pk})
        tanggal = f"{row.tanggal_kedaluwarsa:%d-%m-%Y}"
        pegawai_user = akun.get(row.pegawai_id)
        if pegawai_user is not None:
            yield Calon(
                pegawai_user,
                jenis,
                kunci,
                f"Sertifikat Anda berakhir dalam {sisa} hari",
                f"Sertifikat “{row.nama}” nomor {row.nomor} berlaku sampai {tanggal}. "
                "Ajukan perpanjangan atau sertifikat baru sebelum tanggal itu.",
                tautan,
            )
        path = row.pegawai.unit_kerja.path
        for user_id, paths in staff.items():
            if user_id != pegawai_user and any(path.startswith(p) for p in paths):
                yield Calon(
                    user_id,
                    jenis,
                    kunci,
                    f"Sertifikat {row.pegawai.nama} berakhir dalam {sisa} hari",
                    f"Sertifikat “{row.nama}” ({row.nomor}) milik {row.pegawai.nama} (NIP {row.pegawai.nip}) "
                    f"berlaku sampai {tanggal}.",
                    tautan,
                )


def _skp():
    """Reminders for SKP steps waiting on the pegawai, the penilai or the atasan penilai."""
    waiting = Q(status__in=list(MENUNGGU_PEGAWAI))
    for states in MENUNGGU.values():
        waiting |= Q(status__in=list(states))
    rows = list(
        Penilaian.objects.filter(waiting, periode__status=PeriodePenilaian.Status.DIBUKA)
        .select_related("periode")
        .only("pk", "status", "pegawai_id", "penilai_id", "atasan_penilai_id", "pegawai_nama", "periode__tahun")
    )
    if not rows:
        return
    entered = dict(
        AuditLog.objects.filter(
            object_type=Penilaian._meta.label_lower,
            object_id__in=[str(r.pk) for r in rows],
            changes__has_key="status",
        )
        .values("object_id")
        .annotate(last=Max("pk"))
        .values_list("object_id", "last")
    )
    targets = {row.pegawai_id for row in rows} | {row.penilai_id for row in rows if row.penilai_id}
    targets |= {row.atasan_penilai_id for row in rows if row.atasan_penilai_id}
    akun = dict(User.objects.filter(is_active=True, pegawai__in=targets).values_list("pegawai_id", "pk"))
    for row in rows:
        marker = entered.get(str(row.pk), "awal")
        tautan = reverse("penilaian:detail", kwargs={"pk": row.pk})
        waits = []
        if row.status in MENUNGGU_PEGAWAI:
            waits.append((row.pegawai_id, MENUNGGU_PEGAWAI[row.status], f"SKP {row.periode.tahun} Anda"))
        for field_name, states in MENUNGGU.items():
            if row.status in states and getattr(row, f"{field_name}_id"):
                waits.append(
                    (
                        getattr(row, f"{field_name}_id"),
                        states[row.status],
                        f"SKP {row.periode.tahun} {row.pegawai_nama}",
                    )
                )
        for pegawai_id, langkah, subjek in waits:
            user_id = akun.get(pegawai_id)
            if user_id is None:
                continue
            yield Calon(
                user_id,
                Notifikasi.Jenis.SKP,
                f"penilaian:{row.pk}:{row.status}:{marker}",
                f"{subjek}: {langkah.lower()}",
                f"{subjek} menunggu langkah Anda: {langkah}.",
                tautan,
            )


@dataclass
class Hasil:
    dibuat: int = 0
    email_terkirim: int = 0
    email_gagal: int = 0


def _emails(notices):
    by_user = defaultdict(list)
    for notice in notices:
        by_user[notice.user_id].append(notice)
    users = User.objects.filter(pk__in=list(by_user)).select_related("pegawai")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    messages, sent_ids = [], []
    for user in users:
        address = user.email or (user.pegawai.email if user.pegawai_id else "")
        if not address:
            continue
        items = by_user[user.pk]
        body = "\n\n".join(f"- {n.judul}\n  {n.pesan}\n  {base}{n.tautan}" for n in items)
        subject = items[0].judul if len(items) == 1 else f"{len(items)} pengingat dari asnkarier"
        messages.append((subject, f"Yth. {user.get_full_name() or user.username},\n\n{body}\n", None, [address]))
        sent_ids.append([n.pk for n in items])
    return messages, sent_ids


def kirim(pada=None, email=True):
    """Create today's reminders that were never created before and email them (with any whose
    email failed earlier). Returns counts."""
    pada = pada or timezone.localdate()
    hasil = Hasil()
    calon = list(_sertifikat(pada)) + list(_skp())
    with transaction.atomic():
        existing = set(
            Notifikasi.objects.filter(
                user__in={c.user_id for c in calon}, kunci__in={c.kunci for c in calon}
            ).values_list("user_id", "kunci")
        )
        fresh = {}
        for c in calon:
            if (c.user_id, c.kunci) not in existing:
                fresh.setdefault((c.user_id, c.kunci), c)
        Notifikasi.objects.bulk_create(
            [Notifikasi(user_id=c.user_id, jenis=c.jenis, kunci=c.kunci, judul=c.judul, pesan=c.pesan, tautan=c.tautan)
             for c in fresh.values()],
            ignore_conflicts=True,
        )  # fmt: skip
        hasil.dibuat = len(fresh)
    if not email:
        return hasil
    unsent = list(Notifikasi.objects.filter(email_terkirim_pada__isnull=True, dibaca_pada__isnull=True).order_by("pk"))
    messages, groups = _emails(unsent)
    for message, ids in zip(messages, groups, strict=True):
        try:
            send_mass_mail([message], fail_silently=False, connection=get_connection())
        except Exception:  # noqa: BLE001 - one failing address must not stop the others
            logger.exception("Email pengingat ke %s gagal; dicoba lagi pada proses berikutnya.", message[3])
            hasil.email_gagal += 1
            continue
        Notifikasi.objects.filter(pk__in=ids).update(email_terkirim_pada=timezone.now())
        hasil.email_terkirim += 1
    return hasil
