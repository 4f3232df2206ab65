"""What every API module shares: the error format, strict query parameters, the scope mixin."""

import re
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.defaults import bad_request, page_not_found
from rest_framework import exceptions, relations, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .drf import (  # noqa: F401 - the API modules import these from here
    MAX_ID,
    BooleanFilter,
    IdFilter,
    JSONParser,
    OrderingFilter,
    SearchFilter,
    StrictPageNumberPagination,
    UpdatedSinceFilter,
    UpdatedSinceFilterSet,
)
from .exceptions import DomainError


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


def not_found(request, exception=None):
    """``handler404``: a path under /api/ that matches no endpoint answers JSON like every other
    API error (a client parses the body whatever the status); pages get Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Data tidak ditemukan."}, status=404)
    return page_not_found(request, exception)


def bad_request_view(request, exception=None):
    """``handler400``: what Django itself refuses before DRF sees the request (e.g. more than
    DATA_UPLOAD_MAX_NUMBER_FIELDS form fields) answers JSON under /api/ too."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Permintaan tidak dapat diproses."}, status=400)
    return bad_request(request, exception)


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


# ---------------------------------------------------------------------------------------------
# Serializers


class StrictInputMixin:
    """For input serializers: a body field the serializer does not take (unknown, misspelt or
    read-only) is a 400 naming it, never silently dropped."""

    # The browsable API's form sends the CSRF token along with the fields.
    ignored_fields = frozenset({"csrfmiddlewaretoken"})

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable and key not in self.ignored_fields)
            if unknown:
                raise serializers.ValidationError({key: ["Isian ini tidak dikenal."] for key in unknown[:20]})
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, except that the schema admits the "" a read-only field of a
    ``blank=True`` model field answers: a choice field keeps ``allow_blank`` (DRF drops it), a
    URL or email field is documented as a plain string."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        # A blank URL or email read back is "", which is no "uri"/"email": document a plain string.
        blank_format = issubclass(field_class, (serializers.URLField, serializers.EmailField)) and model_field.blank
        if blank_format and field_name in getattr(self.Meta, "read_only_fields", ()):
            field_class = serializers.CharField
        return field_class, field_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank_choice = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank_choice:
            kwargs["allow_blank"] = True
        return kwargs
