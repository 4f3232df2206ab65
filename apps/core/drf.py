"""The REST_FRAMEWORK defaults (pagination, parser, search and ordering backends) and the
filters every API shares. Kept apart from ``api.py``: DRF imports these while it loads
``rest_framework.views``, so nothing here may import that module."""

import datetime as dt
import re

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, parsers

from .pagination import PageNumberPagination

# Primary keys are bigints: a larger number in a query string or body is refused before it
# reaches the database (SQLite raises OverflowError on it in some lookups).
MAX_ID = 2**63 - 1


# ---------------------------------------------------------------------------------------------
# Filters


class _SafeIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that also exists in UTC: ``0001-01-01T00:00`` in Asia/Jakarta does
    not, and would crash the query instead of being refused. The value is passed on in UTC:
    PostgreSQL refuses an offset beyond ±15:59 (``+20:02``) that Python accepts."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            try:
                result = result.astimezone(dt.UTC)
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


class _StrictBooleanWidget(django_filters.widgets.BooleanWidget):
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        # Anything but true/false/1/0 goes on to the field, which refuses it.
        return raw if value is None and raw not in (None, "") else value


class _StrictBooleanField(forms.NullBooleanField):
    widget = _StrictBooleanWidget

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        if value in (None, ""):
            return None
        raise forms.ValidationError("Pilih true atau false.", code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or ``1``/``0``): anything else is a 400 naming the parameter, where
    django-filter's own would quietly not filter at all."""

    field_class = _StrictBooleanField


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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(minimum=1, maximum=999999999)
        return parameters

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        return self._positive(raw, self.page_query_param)


# ---------------------------------------------------------------------------------------------
# Parsing


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested too deep for Python's parser is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("Dokumen JSON terlalu dalam bersarang.") from None
