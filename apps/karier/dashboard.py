"""The figures of the BKPSDM dashboard for a user's scope (optionally one unit's subtree), each
with the link of the list behind it (page and API). A fixed number of grouped queries whatever
the size of the scope; nothing here renders.

Every number counts what its list shows: the pegawai figures are active pegawai (the pegawai
list links carry ``kedudukan_hukum=01``); the predikat segments are the final SKPs of the latest
year, placed by the unit the SKP was made in, as the SKP list filters them; KP, KGB and pension
use the rules of ``eligibility`` that the karier lists use.
"""

import datetime as dt
import hashlib
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.pegawai.models import Golongan, JenisASN, JenisJabatan, KedudukanHukum, Pegawai, UnitKerja
from apps.pelatihan.models import JP_WAJIB_PER_TAHUN
from apps.pelatihan.selectors import jp_per_unit_kerja
from apps.penilaian.models import Penilaian, PeriodePenilaian, Predikat
from apps.penilaian.models import Status as StatusSkp
from apps.sertifikasi.models import Sertifikasi, StatusBerlaku, expiry_window_days
from apps.sertifikasi.selectors import status_berlaku_q

from . import eligibility as el
from . import selectors

KGB_BULAN = 3  # "due for KGB": within the next three months (a window the KGB list offers)
PENSIUN_BULAN = 12  # likewise for the pension list
AKTIF = KedudukanHukum.AKTIF.value
logger = logging.getLogger(__name__)
MAX_BARS = 30  # units shown per chart; the rest are summed in one bar without a list


class _Links:
    """Reverse each URL name once per dashboard: a chart may have a few hundred links."""

    def __init__(self):
        self.bases = {}

    def __call__(self, name, params=None):
        """``name`` reversed with ``params`` as its query string (None values left out), or
        None while no URL has that name."""
        if name not in self.bases:
            try:
                self.bases[name] = reverse(name)
            except NoReverseMatch:
                self.bases[name] = None
        base = self.bases[name]
        if base is None:
            return None
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{base}?{query}" if query else base


@dataclass
class Baris:
    """One figure or one bar: a label, a number, and the lists behind it (``url`` the page,
    ``api`` the REST list; None where no list shows exactly these rows)."""

    label: str
    jumlah: int
    kode: str = ""
    url: str | None = None
    api: str | None = None


@dataclass
class PredikatUnit:
    """One stacked bar: the final SKPs of a unit in the year, per predikat."""

    unit_id: int | None
    label: str
    jumlah: int
    segmen: list = field(default_factory=list)  # a Baris per predikat, in SIASN order


@dataclass
class Dashboard:
    unit: UnitKerja | None
    pada: dt.date
    pegawai: Baris | None = None
    per_unit: list = field(default_factory=list)
    per_golongan: list = field(default_factory=list)
    per_jenis_jabatan: list = field(default_factory=list)
    per_jenis_asn: list = field(default_factory=list)
    predikat_tahun: int | None = None
    predikat_per_unit: list = field(default_factory=list)
    jp_tahun: int = 0
    jp_memenuhi: Baris | None = None
    jp_kurang: Baris | None = None
    sertifikat: Baris | None = None
    sertifikat_window: int = 90
    kp_periode: dt.date | None = None
    kp: Baris | None = None
    kgb_sampai: dt.date | None = None
    kgb: Baris | None = None
    pensiun_sampai: dt.date | None = None
    pensiun: Baris | None = None
    dihitung_pada: dt.datetime | None = None
    diperbarui: bool = False  # older figures served while new ones are being computed

    @property
    def total_pegawai(self):
        return self.pegawai.jumlah if self.pegawai else 0

    @property
    def jp_persen(self):
        total = self.jp_memenuhi.jumlah + self.jp_kurang.jumlah
        return round(100 * self.jp_memenuhi.jumlah / total, 1) if total else None


# ---------------------------------------------------------------------------------------------
# Scope and grouping.


def scope_tops(user):
    """The highest units the user manages: every instansi for a superuser, else the roots of
    the subtrees assigned to the account (without those nested in another)."""
    if user.scope.is_all:
        return list(UnitKerja.objects.roots().order_by("nama", "pk"))
    paths = sorted(user.scope.unit_paths)
    tops = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    return list(UnitKerja.objects.filter(path__in=tops).order_by("nama", "pk"))


def default_unit(user, tops=None):
    """The unit a dashboard opens on: the one top unit the user manages, else None (all)."""
    tops = scope_tops(user) if tops is None else tops
    return tops[0] if len(tops) == 1 else None


def managed_unit(user, pk):
    """The unit ``pk`` if the user manages it, else None."""
    return UnitKerja.objects.manageable_by(user).filter(pk=pk).first()


def _manages(user, unit):
    return user.scope.is_all or any(unit.path.startswith(path) for path in user.scope.unit_paths)


def _units(user, unit):
    """The unit kerja of the dashboard: ``unit``'s subtree (which the user manages), or all the
    user manages."""
    return UnitKerja.objects.subtree_of(unit) if unit is not None else UnitKerja.objects.manageable_by(user)


def scope_pegawai(user, unit=None, aktif=True):
    """The pegawai the user manages (a superuser: all) within ``unit``'s subtree; active ones
    unless ``aktif`` is False."""
    if unit is not None:
        if not _manages(user, unit):
            raise ValueError(f"{user} does not manage {unit}")
        # Within a managed unit, its subtree is the scope: one subquery, not two.
        qs = Pegawai.objects.filter(unit_kerja__in=_units(user, unit).values("pk"))
    else:
        qs = Pegawai.objects.manageable_by(user).select_related(None)
    return qs.filter(kedudukan_hukum=AKTIF) if aktif else qs


class _Kelompok:
    """Which bar a unit (by its path) falls in: a child of ``unit`` (those directly in ``unit``
    form a bar of their own), or without a unit, the top unit of the scope it lies under."""

    def __init__(self, unit, tops):
        self.unit = unit
        self.depth = len(unit.ancestor_ids()) if unit is not None else 0
        self.tops = {top.path: top.pk for top in tops}

    def key(self, path):
        parts = path.strip("/").split("/")
        if self.unit is not None:
            return int(parts[self.depth]) if len(parts) > self.depth else self.unit.pk
        for i in range(1, len(parts) + 1):
            pk = self.tops.get("/" + "/".join(parts[:i]) + "/")
            if pk is not None:
                return pk
        return None


def _largest(counts, total_of=lambda v: v):
    """The keys of the ``MAX_BARS`` largest groups (the older unit first on a tie), and the rest."""
    ordered = sorted(counts, key=lambda k: (-total_of(counts[k]), k))
    return ordered[:MAX_BARS], ordered[MAX_BARS:]


# ---------------------------------------------------------------------------------------------
# Figures.


class _Builder:
    def __init__(self, user, unit, pada, tops):
        self.user = user
        self.board = Dashboard(unit=unit, pada=pada)
        self.unit_pk = unit.pk if unit is not None else None
        self.tops = [] if unit is not None else (scope_tops(user) if tops is None else tops)
        self.kelompok = _Kelompok(unit, self.tops)
        self.link = _Links()

    def pegawai_link(self, unit_pk, **params):
        params = {"kedudukan_hukum": AKTIF, "unit_kerja": unit_pk, **params}
        return self.link("pegawai:list", params), self.link("pegawai-list", params)

    # -- grouped reads: pegawai and final SKPs per unit kerja, then the units' paths

    def read_groups(self):
        """Two passes over the scoped pegawai, each with few groups (one grouped by the four
        chart dimensions and the unit at once would return tens of thousands of rows at
        100,000): per unit kerja, the active ones and those due for KGB and pension (each rule
        says whom it concerns, so over every kedudukan); per golongan, jenis jabatan and jenis
        ASN, the active ones. Then the final SKPs per unit and the paths of the units."""
        board, pada = self.board, self.board.pada
        kgb_awal, board.kgb_sampai = selectors.jendela(KGB_BULAN, pada)
        pensiun_awal, board.pensiun_sampai = selectors.jendela(PENSIUN_BULAN, pada)
        self.unit_rows = list(
            el.with_kgb_fields(scope_pegawai(self.user, board.unit, aktif=False))
            .order_by()
            .values_list("unit_kerja_id")
            .annotate(
                aktif=Count("pk", filter=Q(kedudukan_hukum=AKTIF)),
                kgb=Count("pk", filter=el.kgb_dalam_q(kgb_awal, board.kgb_sampai)),
                pensiun=Count("pk", filter=el.pensiun_dalam_q(pensiun_awal, board.pensiun_sampai)),
            )
        )
        self.pegawai_rows = list(
            scope_pegawai(self.user, board.unit)
            .order_by()
            .values_list("golongan_id", "jabatan__jenis", "jenis_asn")
            .annotate(n=Count("pk"))
        )
        self.skp_rows = self._final_skp_rows()
        # Every unit of the scope in one read (no list of thousands of ids to send).
        self.paths = dict(_units(self.user, board.unit).order_by().values_list("pk", "path"))
        self.groups = {}

    def _final_skp_rows(self):
        """(unit kerja id, periode id, predikat, count) of the final SKPs of the latest year that
        has any: one query finds that year, one counts only that year."""
        board = self.board
        periods = PeriodePenilaian.objects.all()
        if not self.user.scope.is_all or board.unit is not None:
            roots = (
                {board.unit.ancestor_ids()[0]}
                if board.unit is not None
                else {int(t.path.split("/")[1]) for t in self.tops}
            )
            periods = periods.filter(instansi__in=roots)
        final = Penilaian.objects.filter(
            status=StatusSkp.FINAL,
            predikat__isnull=False,
            unit_kerja__in=_units(self.user, board.unit).values("pk"),
        ).order_by()
        # The periods that have a final SKP in scope (each EXISTS stops at the first one).
        with_final = list(periods.filter(Exists(final.filter(periode=OuterRef("pk")))).values_list("pk", "tahun"))
        if not with_final:
            return []
        board.predikat_tahun = tahun = max(t for _, t in with_final)
        return list(
            final.filter(periode__in=[pk for pk, t in with_final if t == tahun])
            .values_list("unit_kerja_id", "periode_id", "predikat")
            .annotate(n=Count("pk"))
        )

    def group(self, unit_id):
        if unit_id not in self.groups:
            self.groups[unit_id] = self.kelompok.key(self.paths[unit_id])
        return self.groups[unit_id]

    # -- pegawai charts

    def pegawai_figures(self):
        board, unit_pk = self.board, self.unit_pk
        per_unit, per_golongan, per_jenis, per_asn = (defaultdict(int) for _ in range(4))
        for unit_id, aktif, _kgb, _pensiun in self.unit_rows:
            key = self.group(unit_id)
            if key is not None and aktif:
                per_unit[key] += aktif
        for golongan_id, jenis, asn, n in self.pegawai_rows:
            per_golongan[golongan_id] += n
            per_jenis[jenis] += n
            per_asn[asn] += n
        board.pegawai = Baris("Pegawai aktif", sum(per_unit.values()), "pegawai", *self.pegawai_link(unit_pk))
        self.per_unit = per_unit

        golongan = {g.pk: g for g in Golongan.objects.all()}
        for golongan_id in sorted(
            per_golongan, key=lambda k: (1, "", 0) if k is None else (0, golongan[k].jenis_asn, golongan[k].tingkat)
        ):
            n = per_golongan[golongan_id]
            if golongan_id is None:
                board.per_golongan.append(Baris("Belum tercatat", n, ""))
                continue
            g = golongan[golongan_id]
            label = g.kode if g.jenis_asn == JenisASN.PNS else f"{g.kode} (PPPK)"
            board.per_golongan.append(Baris(label, n, str(g.pk), *self.pegawai_link(unit_pk, golongan=g.pk)))

        for value, label in JenisJabatan.choices:
            if per_jenis.get(value):
                links = self.pegawai_link(unit_pk, jenis_jabatan=value)
                board.per_jenis_jabatan.append(Baris(label, per_jenis[value], value, *links))
        if per_jenis.get(None):
            board.per_jenis_jabatan.append(Baris("Tanpa jabatan", per_jenis[None], ""))

        for value, label in JenisASN.choices:
            if per_asn.get(value):
                links = self.pegawai_link(unit_pk, jenis_asn=value)
                board.per_jenis_asn.append(Baris(label, per_asn[value], value, *links))

    # -- per unit (both charts), with the unit names

    def unit_figures(self):
        board, unit_pk = self.board, self.unit_pk
        per_predikat = defaultdict(lambda: defaultdict(int))
        periods = defaultdict(set)
        for unit_id, periode_id, predikat, n in self.skp_rows:
            key = self.group(unit_id)
            if key is not None:
                per_predikat[key][predikat] += n
                periods[key].add(periode_id)
        shown, rest = _largest(self.per_unit)
        shown_skp, rest_skp = _largest(per_predikat, lambda counts: sum(counts.values()))
        names = dict(UnitKerja.objects.filter(pk__in={*shown, *shown_skp}).values_list("pk", "nama"))

        def label(key):
            # Directly in the chosen unit: no list filters "this unit without its sub-units".
            return f"{names[key]} (langsung di unit ini)" if key == unit_pk else names[key]

        for key in shown:
            links = (None, None) if key == unit_pk else self.pegawai_link(key)
            board.per_unit.append(Baris(label(key), self.per_unit[key], str(key), *links))
        board.per_unit.sort(key=lambda r: (-r.jumlah, r.label))
        if rest:
            board.per_unit.append(Baris(f"{len(rest)} unit lainnya", sum(self.per_unit[k] for k in rest), ""))

        for key in shown_skp:
            counts = per_predikat[key]
            # A unit lies in one instansi, so in one period of the year; the SKP list opens on
            # the latest period unless told "all periods" (an empty ``periode``).
            if len(periods[key]) == 1:
                periode = {"periode": next(iter(periods[key]))}
            else:
                periode = {"periode": "", "tahun": board.predikat_tahun}
            segmen = []
            for p in Predikat.values:
                params = {**periode, "status": StatusSkp.FINAL, "predikat": p, "unit_kerja": key}
                links = (None, None)
                if key != unit_pk:
                    links = (self.link("penilaian:daftar", params), self.link("penilaian-list", params))
                segmen.append(Baris(Predikat(p).label, counts.get(p, 0), str(p), *links))
            board.predikat_per_unit.append(PredikatUnit(key, label(key), sum(counts.values()), segmen))
        board.predikat_per_unit.sort(key=lambda r: r.label)
        if rest_skp:
            counts = defaultdict(int)
            for key in rest_skp:
                for p, n in per_predikat[key].items():
                    counts[p] += n
            segmen = [Baris(Predikat(p).label, counts.get(p, 0), str(p)) for p in Predikat.values]
            board.predikat_per_unit.append(
                PredikatUnit(None, f"{len(rest_skp)} unit lainnya", sum(counts.values()), segmen)
            )

    # -- 20 JP, certificates

    def jp_figures(self):
        board, unit_pk = self.board, self.unit_pk
        board.jp_tahun = tahun = board.pada.year
        # Only the totals are shown: the per-unit sums need no grouping here.
        per_unit = jp_per_unit_kerja(scope_pegawai(self.user, board.unit), tahun).values()
        pegawai, kurang = sum(f[0] for f in per_unit), sum(f[1] for f in per_unit)
        board.jp_memenuhi = Baris(
            f"Memenuhi {JP_WAJIB_PER_TAHUN} JP",
            pegawai - kurang,
            "memenuhi",
            self.link("pelatihan:rekap_jp", {"tahun": tahun, "unit": unit_pk}),
            self.link("rekap-jp-list", {"tahun": tahun, "unit": unit_pk}),
        )
        board.jp_kurang = Baris(
            f"Di bawah {JP_WAJIB_PER_TAHUN} JP",
            kurang,
            "kurang",
            self.link("pelatihan:rekap_jp_kurang", {"tahun": tahun, "unit": unit_pk}),
            self.link("kurang-jp-list", {"tahun": tahun, "unit_kerja": unit_pk}),
        )

    def sertifikat_figures(self):
        board = self.board
        board.sertifikat_window = window = expiry_window_days()
        rows = Sertifikasi.objects.filter(
            status_berlaku_q(StatusBerlaku.AKAN_KEDALUWARSA, dalam=window, pada=board.pada),
            verifikasi=Sertifikasi.Verifikasi.TERVERIFIKASI,
            pegawai__in=scope_pegawai(self.user, board.unit, aktif=False).values("pk"),
        )
        params = {
            "status_berlaku": StatusBerlaku.AKAN_KEDALUWARSA,
            "verifikasi": Sertifikasi.Verifikasi.TERVERIFIKASI,
            "unit_kerja": self.unit_pk,
        }
        board.sertifikat = Baris(
            f"Sertifikat berakhir dalam {window} hari",
            rows.count(),
            "sertifikat",
            self.link("sertifikasi:daftar", params),
            self.link("sertifikasi-list", params),
        )

    # -- KP, KGB, pension over the managed pegawai (any kedudukan: each rule says whom it
    # concerns), with the rules of the karier lists. KGB and pension were counted per unit in
    # ``read_groups``; KP has a query of its own: its EXISTS parts inside an aggregate's FILTER
    # would run once per row instead of as semi-joins.

    def karier_figures(self):
        board, unit_pk, pada = self.board, self.unit_pk, self.board.pada
        semua = scope_pegawai(self.user, board.unit, aktif=False)
        board.kp_periode = kp = el.kp_periode_berikut(pada)
        counts = {
            "kgb": sum(row[2] for row in self.unit_rows),
            "pensiun": sum(row[3] for row in self.unit_rows),
            "kp": selectors.kp_filter(semua, kp, selectors.LAYAK).count(),
        }
        kp_params = {"periode": kp.isoformat(), "status": selectors.LAYAK, "unit_kerja": unit_pk}
        board.kp = Baris(
            f"Layak naik pangkat {kp:%d-%m-%Y}",
            counts["kp"],
            "kenaikan_pangkat",
            self.link("karier:kenaikan_pangkat", kp_params),
            self.link("kenaikan-pangkat-list", kp_params),
        )
        board.kgb = Baris(
            f"KGB jatuh tempo s.d. {board.kgb_sampai:%d-%m-%Y}",
            counts["kgb"],
            "kgb",
            self.link("karier:kgb", {"dalam": KGB_BULAN, "unit_kerja": unit_pk}),
            self.link("kgb-list", {"dalam_bulan": KGB_BULAN, "unit_kerja": unit_pk}),
        )
        board.pensiun = Baris(
            f"Pensiun s.d. {board.pensiun_sampai:%d-%m-%Y}",
            counts["pensiun"],
            "pensiun",
            self.link("karier:pensiun", {"dalam": PENSIUN_BULAN, "unit_kerja": unit_pk}),
            self.link("pensiun-list", {"dalam_bulan": PENSIUN_BULAN, "unit_kerja": unit_pk}),
        )


def dashboard(user, unit=None, pada=None, tops=None):
    """All the figures for ``user``'s managed scope, or ``unit``'s subtree within it (a unit the
    user does not manage is a ValueError: callers answer 404 before). ``tops``: the user's
    ``scope_tops`` when the caller has them."""
    builder = _Builder(user, unit, pada or timezone.localdate(), tops)
    builder.read_groups()
    builder.pegawai_figures()
    builder.unit_figures()
    builder.jp_figures()
    builder.sertifikat_figures()
    builder.karier_figures()
    builder.board.dihitung_pada = timezone.now()
    return builder.board


def cache_seconds():
    """How long the figures of a scope count as fresh (settings ``KARIER_DASBOR_CACHE_DETIK``,
    0 to compute on every request)."""
    return getattr(settings, "KARIER_DASBOR_CACHE_DETIK", 300)


def _background():
    """Whether older figures are renewed after the answer, in a thread (settings
    ``KARIER_DASBOR_LATAR``, default on); off, they are renewed before it."""
    return getattr(settings, "KARIER_DASBOR_LATAR", True)


SIMPAN_DETIK = 24 * 3600  # older figures are still shown (with their time) while new ones are made
KUNCI_DETIK = 120  # one computation per scope at a time, across workers (the cache is shared)


def cache_key(user, unit):
    scope = "*" if user.scope.is_all else "|".join(sorted(user.scope.unit_paths))
    digest = hashlib.sha256(f"{scope}#{unit.pk if unit else ''}".encode()).hexdigest()
    return f"karier:dasbor:{digest}"


def _fresh(board):
    return (timezone.now() - board.dihitung_pada).total_seconds() < cache_seconds()


def _store(key, user, unit, tops):
    board = dashboard(user, unit, tops=tops)
    cache.set(key, board, SIMPAN_DETIK)
    return board


def _renew_in_background(key, user, unit, tops):
    """Compute the figures of ``key`` anew in a thread of this process, unless another request
    (in any worker) is already doing so; the thread has its own database connection and closes it."""
    lock = f"{key}:menghitung"
    if not cache.add(lock, 1, KUNCI_DETIK):
        return

    def run():
        try:
            _store(key, user, unit, tops)
        except Exception:
            logger.exception("Angka dasbor gagal dihitung ulang di latar")
        finally:
            cache.delete(lock)
            connections.close_all()

    threading.Thread(target=run, name="dasbor-karier", daemon=True).start()


def dashboard_cached(user, unit=None, tops=None, segarkan=False):
    """``dashboard()`` of today for the user's managed scope (users with the same scope share the
    figures) and ``unit``. Fresh figures (``cache_seconds()``) are served as they are. Older ones,
    up to a day, are served at once, marked with their time, while a thread computes new ones
    for the next request (stale-while-revalidate), so no page waits for a computation once a
    scope has figures; figures of an earlier day are never served. Without any, or with
    ``segarkan`` ("Hitung ulang"), they are computed before the answer: a few hundred
    milliseconds at 100,000 pegawai. ``manage.py hitung_dasbor`` (cron) keeps every staff
    scope's figures warm."""
    if cache_seconds() <= 0:
        return dashboard(user, unit, tops=tops)
    key = cache_key(user, unit)
    board = None if segarkan else cache.get(key)
    if board is None or board.pada != timezone.localdate():
        return _store(key, user, unit, tops)
    if not _fresh(board):
        if not _background():
            return _store(key, user, unit, tops)
        _renew_in_background(key, user, unit, tops)
        board.diperbarui = True  # this copy only: the cache returns a fresh one each time
    return board


def warm_all():
    """Compute and keep the opening figures of every active account that manages pegawai (BKPSDM
    staff, superusers), once per distinct scope: what ``manage.py hitung_dasbor`` runs from cron
    so that the first visitor of the day finds them ready. Returns (scopes, seconds)."""
    from apps.akun.models import User

    done = set()
    started = timezone.now()
    users = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(role=User.Role.BKPSDM))
    for user in users.order_by("pk"):
        if not user.scope.can_manage:
            continue
        tops = scope_tops(user)
        unit = default_unit(user, tops)
        key = cache_key(user, unit)
        if key in done:
            continue
        done.add(key)
        _store(key, user, unit, tops)
    return len(done), (timezone.now() - started).total_seconds()
