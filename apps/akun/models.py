import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from apps.pegawai.models import Pegawai, UnitKerja


class UserQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """The accounts whose API tokens ``user`` may create and revoke.

        Their own account; accounts of the pegawai they manage; and service accounts (no
        pegawai) with at least one unit scope. Either way every unit scope of the account must
        lie inside ``user``'s subtrees, so no one hands out a token wider than their own reach;
        superuser accounts are left to superusers.
        """
        scope = user.scope
        if scope.is_all:
            return self.all()
        if not scope.can_manage:
            return self.none()
        units = UnitKerja.objects.manageable_by(user).values("pk")
        outside = User.unit_scopes.through.objects.exclude(unitkerja__in=units).values("user_id")
        linked = Q(pegawai__in=Pegawai.objects.filter(scope.pegawai_manage_q()).values("pk"))
        service = Q(pegawai__isnull=True) & Q(pk__in=User.unit_scopes.through.objects.values("user_id"))
        others = (linked | service) & Q(is_superuser=False) & ~Q(pk__in=outside)
        return self.filter(Q(pk=user.pk) | others)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = False


class User(AbstractUser):
    """An account. Pegawai sign in with their NIP; BKPSDM staff are scoped to unit subtrees.

    Whether someone is an atasan follows from the jabatan they hold, not from a flag.
    """

    class Role(models.TextChoices):
        PEGAWAI = "pegawai", "Pegawai"
        BKPSDM = "bkpsdm", "Staf BKPSDM"

    role = models.CharField("peran", max_length=10, choices=Role.choices, default=Role.PEGAWAI)
    pegawai = models.OneToOneField(
        Pegawai,
        verbose_name="pegawai",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="akun",
    )
    unit_scopes = models.ManyToManyField(
        UnitKerja,
        verbose_name="lingkup unit kerja",
        blank=True,
        related_name="+",
        help_text="Staf BKPSDM melihat dan mengelola pegawai di unit-unit ini beserta seluruh unit di bawahnya.",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "akun"
        verbose_name_plural = "akun"

    @property
    def is_bkpsdm(self):
        return self.is_active and (self.is_superuser or self.role == self.Role.BKPSDM)

    @cached_property
    def scope(self):
        from .scope import Scope

        return Scope(self)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A token for an integration. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, verbose_name="akun", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nama", max_length=100)
    prefix = models.CharField("awalan", max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField("hanya baca", default=True)
    created_by = models.ForeignKey(
        User, verbose_name="dibuat oleh", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    expires_at = models.DateTimeField("kedaluwarsa", null=True, blank=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key():
        return secrets.token_hex(20)

    @property
    def status(self):
        if self.revoked_at:
            return "dicabut"
        if self.expires_at and self.expires_at <= timezone.now():
            return "kedaluwarsa"
        return "aktif"


class UserSession(models.Model):
    """Which session keys belong to which account, so that disabling an account can end its
    sessions in any session store without reading every session. Written at login, removed at
    logout; rows of sessions that expired on their own are pruned at the account's next login."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sesi login"
        verbose_name_plural = "sesi login"

    def __str__(self):
        return f"{self.user_id}: {self.session_key[:8]}…"
