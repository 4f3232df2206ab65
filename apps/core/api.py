"""What every API module shares: the error format, the updated_since filter, the scope mixin."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError


def exception_handler(exc, context):
    """DRF's handler, plus domain errors (400/409) and Django validation errors (400).

    The body is always JSON: ``{"detail": ...}`` and, where fields failed, their names.
    """
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        body.update({k: [str(v)] for k, v in exc.field_errors.items()})
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        else:
            body = {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Data tidak ditemukan.")
    return drf_exception_handler(exc, context)


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Base FilterSet with ``updated_since`` (ISO 8601) for incremental sync."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Diubah sejak (ISO 8601)",
    )
