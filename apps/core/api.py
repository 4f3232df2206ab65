"""What every API module shares: the error format, strict query parameters, the scope mixin."""

import datetime as dt
import re

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator
from django.http import Http404
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, parsers, relations, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError
from .pagination import PageNumberPagination

# Primary keys are bigints: a larger number in a query string or body is refused before it
# reaches the database (SQLite raises OverflowError on it in some lookups).
MAX_ID = 2**63 - 1


def _field_key(name):
    return api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name


def exception_handler(exc, context):
    """DRF's handler, plus domain errors (400/409) and Django validation errors (400).

    The body is always JSON: ``{"detail": ...}`` and, where fields failed, their names; errors
    of a model constraint that spans fields come under ``non_field_errors`` as in DRF.
    """
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        body.update({_field_key(k): [str(v)] for k, v in exc.field_errors.items()})
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {_field_key(k): [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        else:
            body = {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Data tidak ditemukan.")
    return drf_exception_handler(exc, context)


# ---------------------------------------------------------------------------------------------
# Filters


class _SafeIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that also exists in UTC: ``0001-01-01T00:00`` in Asia/Jakarta does
    not, and would crash the query instead of being refused."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            try:
                result.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return result


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = _SafeIsoDateTimeField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An integer id: ``abc``, ``1.5`` or a number no bigint holds is a 400, not a guess."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return MaxValueValidator(MAX_ID)


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Base FilterSet with ``updated_since`` (ISO 8601) for incremental sync."""

    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Diubah sejak (ISO 8601)",
    )


class SearchFilter(filters.SearchFilter):
    """``search``: at most 100 characters and no NUL character (PostgreSQL refuses it), else 400.

    A view with ``search_method`` searches through that QuerySet method, the one the pages use
    and which knows the index; other views use DRF's search over ``search_fields``.
    """

    max_length = 100

    def _term(self, request):
        value = request.query_params.get(self.search_param, "")
        if "\x00" in value:
            raise exceptions.ValidationError({self.search_param: ["Teks pencarian tidak boleh berisi karakter NUL."]})
        if len(value) > self.max_length:
            raise exceptions.ValidationError(
                {self.search_param: [f"Teks pencarian paling banyak {self.max_length} karakter."]}
            )
        return value.strip()

    def filter_queryset(self, request, queryset, view):
        term = self._term(request)
        method = getattr(view, "search_method", None)
        if method is None:
            return super().filter_queryset(request, queryset, view)
        return getattr(queryset, method)(term) if term else queryset

    def get_schema_operation_parameters(self, view):
        if getattr(view, "search_method", None) is None and not getattr(view, "search_fields", None):
            return []
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["description"] = getattr(view, "search_description", parameter["description"])
        parameter["schema"]["maxLength"] = self.max_length
        return [parameter]


class OrderingFilter(filters.OrderingFilter):
    """``ordering`` with an unknown field is a 400 listing the allowed ones, not ignored; the
    primary key closes every ordering so that pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            allowed = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
            ordering = [term.strip() for term in params.split(",")]
            if not all(term.removeprefix("-") in allowed for term in ordering):
                raise exceptions.ValidationError({self.ordering_param: [self._help(allowed)]})
        else:
            ordering = self.get_default_ordering(view)
        if ordering and not any(term.removeprefix("-") in ("pk", "id") for term in ordering):
            ordering = [*ordering, "pk"]
        return ordering

    @staticmethod
    def _help(allowed):
        if not allowed:
            return "Data ini tidak dapat diurutkan."
        return f"Urutan tidak dikenal. Pilihan: {', '.join(allowed)} (awali dengan - untuk urutan menurun)."

    def get_schema_operation_parameters(self, view):
        allowed = [item if isinstance(item, str) else item[0] for item in getattr(view, "ordering_fields", None) or []]
        if not allowed:
            return []
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["description"] = (
            f"Urutkan menurut {', '.join(allowed)}; awali dengan - untuk urutan menurun, pisahkan beberapa dengan koma."
        )
        return [parameter]


# ---------------------------------------------------------------------------------------------
# Pagination


class StrictPageNumberPagination(PageNumberPagination):
    """``page`` and ``page_size`` that are not positive integers are a 400 naming the parameter
    (DRF would quietly fall back to its defaults); a page past the end stays a 404 and a
    ``page_size`` above the maximum is capped, as DRF does."""

    invalid_page_message = "Halaman tidak ditemukan."
    _NUMBER = re.compile(r"[0-9]{1,9}")

    def _positive(self, raw, name):
        if not self._NUMBER.fullmatch(raw) or int(raw) < 1:
            raise exceptions.ValidationError({name: ["Harus bilangan bulat positif (1 sampai 999999999)."]})
        return int(raw)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        return min(self._positive(raw, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        return self._positive(raw, self.page_query_param)


# ---------------------------------------------------------------------------------------------
# Related fields limited to what the user may see or change


class ScopedRelatedFieldMixin:
    """A related field whose choices are ``queryset.<scope>(request.user)``: an id outside the
    user's scope is refused exactly like one that does not exist."""

    def __init__(self, *, scope="visible_to", **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        return getattr(queryset, self.scope)(user)


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, relations.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, relations.SlugRelatedField):
    pass


# ---------------------------------------------------------------------------------------------
# Parsing


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested too deep for Python's parser is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("Dokumen JSON terlalu dalam bersarang.") from None


# ---------------------------------------------------------------------------------------------
# Viewsets


class ApiViewSetMixin:
    """A lookup value of the wrong shape is a 404 before any query; the list conventions
    (strict pagination, django-filter, ``search``, ``ordering``) are the REST_FRAMEWORK defaults."""

    ordering_fields = []
    lookup_value_pattern = r"[0-9]{1,18}"
    # Permissions added for ``create`` only (writes on a record are decided by the scope).
    create_permission_classes = ()

    def get_permissions(self):
        permissions = super().get_permissions()
        if self.action == "create":
            permissions += [permission() for permission in self.create_permission_classes]
        return permissions

    def lookup_value(self):
        """The lookup value from the URL; 404 when it has not the shape of one."""
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if self.lookup_value_pattern and not re.fullmatch(self.lookup_value_pattern, value):
            raise Http404
        return value

    def get_object(self):
        self.lookup_value()
        return super().get_object()


class ScopedViewSetMixin(ApiViewSetMixin):
    """Reads start from ``queryset.visible_to(user)``, writes on a record from
    ``queryset.manageable_by(user)``.

    A record outside the user's scope answers 404 like one that does not exist, for reads and
    writes alike; one the user may see but not change answers 403.
    """

    write_actions = frozenset({"update", "partial_update", "destroy"})
    write_denied_message = "Anda tidak berwenang mengubah data ini."

    def scoped_queryset(self, *, for_write=False):
        queryset = self.queryset.all()
        user = self.request.user
        return queryset.manageable_by(user) if for_write else queryset.visible_to(user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.scoped_queryset(for_write=self.action in self.write_actions)

    def get_object(self):
        value = self.lookup_value()
        try:
            return super().get_object()
        except Http404:
            if (
                self.action in self.write_actions
                and self.scoped_queryset().filter(**{self.lookup_field: value}).exists()
            ):
                raise exceptions.PermissionDenied(self.write_denied_message) from None
            raise
