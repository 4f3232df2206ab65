"""Demo appraisal data, called by ``manage.py seed_demo`` through its ``demo`` module hook:
an open period for the current year in each demo instansi and, at demo size, the SKP of every
pegawai in draft (built as BKPSDM's "Buat SKP massal" does), plus the demo atasan's
subordinate walked to the execution stage so that both accounts have something to do."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from apps.pegawai.models import Pegawai, UnitKerja

from . import bulk, services
from .models import CapaianUnit, Penilaian, PeriodePenilaian

# Above this many pegawai only the periods are made; SKPs at benchmark size are the bench's job.
GENERATE_LIMIT = 5000


def _units(roots):
    units = UnitKerja.objects.none()
    for root in roots:
        units = units | UnitKerja.objects.subtree_of(root)
    return units


def seed(*, roots, out):
    tahun = timezone.localdate().year
    superuser = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    made = 0
    for root in roots:
        periode, _ = PeriodePenilaian.objects.get_or_create(
            instansi=root, tahun=tahun, defaults={"periodik": PeriodePenilaian.Periodik.TRIWULANAN}
        )
        size = Pegawai.objects.filter(unit_kerja__in=UnitKerja.objects.subtree_of(root).values("pk")).count()
        if superuser is not None and size <= GENERATE_LIMIT:
            made += len(bulk.penilaian_generate(actor=superuser, periode=periode, unit=root))
    started = _start_accounts_skp(tahun)
    out(f"  Periode penilaian {tahun}: {len(roots)} instansi, {made} SKP (draf), {started} sudah berjalan")


def _start_accounts_skp(tahun):
    """The SKPs whose pegawai and penilai both have an account: submitted and agreed, as the
    two people would do it."""
    User = get_user_model()
    accounts = {u.pegawai_id: u for u in User.objects.filter(pegawai__isnull=False, is_active=True)}
    started = 0
    for skp in Penilaian.objects.filter(
        periode__tahun=tahun, pegawai__in=list(accounts), penilai__in=list(accounts)
    ).select_related("periode", "pegawai"):
        pegawai_user = accounts[skp.pegawai_id]
        if not skp.rencana.exists():
            services.rencana_add(
                actor=pegawai_user,
                penilaian=skp,
                uraian=f"Terlaksananya tugas {skp.pegawai_jabatan} sesuai standar pelayanan",
                indikator="Jumlah layanan yang diselesaikan tepat waktu",
                aspek="kuantitas",
                target=120,
                satuan="layanan",
            )
        skp = services.penilaian_ajukan(actor=pegawai_user, penilaian=skp)
        services.penilaian_setujui(actor=accounts[skp.penilai_id], penilaian=skp)
        started += 1
    return started


def delete(*, roots):
    """The ``seed_demo --reset`` hook: SKPs, unit results and periods of the demo instansi."""
    units = _units(roots).values("pk")
    Penilaian.objects.filter(Q(unit_kerja__in=units) | Q(pegawai__unit_kerja__in=units)).delete()
    CapaianUnit.objects.filter(unit_kerja__in=units).delete()
    PeriodePenilaian.objects.filter(instansi__in=[r.pk for r in roots]).delete()
