from rest_framework import permissions

from .models import ApiToken


class TokenReadOnly(permissions.BasePermission):
    """A read-only token may only read."""

    message = "Token ini hanya boleh membaca data."

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class IsBkpsdm(permissions.BasePermission):
    """Writes to master data need a BKPSDM (or superuser) account; reads are for everyone signed in."""

    message = "Hanya staf BKPSDM yang boleh mengubah data ini."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.scope.can_manage
