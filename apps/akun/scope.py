"""The scoping rule: which pegawai, unit kerja and jabatan a user may see and change.

Every page, export and API endpoint starts from the ``visible_to``/``manageable_by`` QuerySet
methods of the models, which ask ``user.scope`` (one instance per request user) for a ``Q``.

- superuser: everything.
- BKPSDM staff: the unit-kerja subtrees assigned to the account (plus what they see as pegawai).
- atasan: self, and the pegawai whose jabatan answers to a jabatan they hold (definitif, or an
  active Plt/Plh/Pj), one and two levels down: the pejabat penilai and the atasan pejabat
  penilai of DOMAIN §4.
- pegawai: self.
Unit kerja and jabatan (not personal) are visible to every pegawai within their own instansi.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from apps.pegawai.models import Jabatan, Pegawai, RiwayatJabatan, UnitKerja

NOTHING = Q(pk__in=[])


class Scope:
    def __init__(self, user):
        self.user = user

    @property
    def is_all(self):
        return self.user.is_active and self.user.is_superuser

    @property
    def is_staff_bkpsdm(self):
        return self.user.is_active and self.user.role == "bkpsdm"

    @cached_property
    def unit_paths(self):
        """Paths of the subtrees a BKPSDM account manages (one query, cached per request)."""
        if not self.is_staff_bkpsdm:
            return []
        return list(self.user.unit_scopes.values_list("path", flat=True))

    @cached_property
    def pegawai(self):
        if not self.user.is_active or self.user.pegawai_id is None:
            return None
        return Pegawai.objects.select_related("unit_kerja").get(pk=self.user.pegawai_id)

    @cached_property
    def held_jabatan_ids(self):
        """Jabatan held today: the definitif one and any active Plt/Plh/Pj assignment."""
        pegawai = self.pegawai
        if pegawai is None:
            return []
        today = timezone.localdate()
        acting = RiwayatJabatan.objects.filter(
            pegawai=pegawai,
            jenis_penugasan__in=["plt", "plh", "pj"],
            tmt__lte=today,
        ).filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=today))
        ids = set(acting.values_list("jabatan_id", flat=True))
        if pegawai.jabatan_id:
            ids.add(pegawai.jabatan_id)
        return sorted(ids)

    def _paths_q(self, field):
        q = NOTHING
        for path in self.unit_paths:
            q |= Q(**{f"{field}__startswith": path})
        return q

    def pegawai_manage_q(self):
        if self.is_all:
            return Q()
        if not self.unit_paths:
            return NOTHING
        return Q(unit_kerja__in=UnitKerja.objects.filter(self._paths_q("path")).values("pk"))

    def pegawai_q(self):
        if self.is_all:
            return Q()
        q = self.pegawai_manage_q() if self.unit_paths else NOTHING
        if self.pegawai is not None:
            q |= Q(pk__in=self.own_and_subordinate_ids)
        return q

    @cached_property
    def own_and_subordinate_ids(self):
        """Self and the pegawai one and two levels down the jabatan chain, as a short id list:
        an OR across the jabatan joins would make every scoped count scan all pegawai."""
        ids = [self.pegawai.pk]
        held = self.held_jabatan_ids
        if held:
            # Two levels down: a jabatan answering to a held one or to one of its children, both
            # on the indexed jabatan.atasan column, in one query (an OR across two jabatan joins
            # cost ~28 ms at 100,000 pegawai even for a pegawai with no subordinate).
            children = Jabatan.objects.filter(atasan_id__in=held).order_by().values("pk")
            ids += (
                Pegawai.objects.filter(Q(jabatan__atasan_id__in=held) | Q(jabatan__atasan_id__in=children))
                .order_by()
                .values_list("pk", flat=True)
            )
        return ids

    def personal_data_q(self):
        """Whose personal data (NIK, birth date, address, phone, email) the user may see: the
        pegawai they manage, and themself. Never an atasan's subordinates."""
        if self.is_all:
            return Q()
        q = self.pegawai_manage_q()
        if self.pegawai is not None:
            q |= Q(pk=self.pegawai.pk)
        return q

    def subordinate_q(self):
        """Direct subordinates only: those this user appraises as pejabat penilai."""
        held = self.held_jabatan_ids
        if not held:
            return NOTHING
        return Q(jabatan__atasan_id__in=held) & ~Q(pk=self.pegawai.pk)

    def unit_kerja_manage_q(self):
        if self.is_all:
            return Q()
        return self._paths_q("path")

    def unit_kerja_q(self):
        if self.is_all:
            return Q()
        q = self._paths_q("path")
        if self.pegawai is not None:
            root = self.pegawai.unit_kerja.path.strip("/").split("/")[0]
            q |= Q(path__startswith=f"/{root}/")
        return q

    def _root_ids(self, paths):
        return sorted({int(path.strip("/").split("/")[0]) for path in paths if path})

    def instansi_q(self):
        """The instansi (tree roots) the user belongs to or works for."""
        if self.is_all:
            return Q(parent__isnull=True)
        paths = list(self.unit_paths)
        if self.pegawai is not None:
            paths.append(self.pegawai.unit_kerja.path)
        return Q(pk__in=self._root_ids(paths))

    def instansi_manage_q(self):
        """The instansi whose appraisal periods the user runs: BKPSDM staff scoped to the whole instansi."""
        if self.is_all:
            return Q(parent__isnull=True)
        roots = [path for path in self.unit_paths if path.count("/") == 2]
        return Q(pk__in=self._root_ids(roots))

    def penilaian_q(self):
        """SKPs of the pegawai the user sees, and those where the user is pejabat penilai or
        atasan pejabat penilai (a Plt/Plh may sit outside the jabatan chain)."""
        if self.is_all:
            return Q()
        q = Q(pegawai__in=Pegawai.objects.filter(self.pegawai_q()).values("pk"))
        if self.pegawai is not None:
            q |= Q(penilai=self.pegawai.pk) | Q(atasan_penilai=self.pegawai.pk)
        return q

    @property
    def can_manage(self):
        """May change master data somewhere (BKPSDM staff or superuser)."""
        return self.is_all or bool(self.unit_paths)
