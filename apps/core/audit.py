"""Writing audit entries: called by services inside their transaction."""

import datetime as dt
import decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date
from django.utils.formats import date_format

from .models import AuditLog


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj, fields):
    """The current values of ``fields`` on ``obj``, with related objects by their label."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before, after):
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def created(obj, fields):
    """The changes of a new record: ``{field: [None, value]}`` for the fields that are set."""
    return {k: [None, v] for k, v in snapshot(obj, fields).items() if v not in ("", None)}


def deleted(obj, fields):
    """The changes of a removed record: ``{field: [value, None]}`` for the fields that were set."""
    return {k: [v, None] for k, v in snapshot(obj, fields).items() if v not in ("", None)}


def record(*, actor, action, obj, changes=None, pegawai_id=None):
    """Append one audit entry for ``obj``."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        pegawai_id=pegawai_id,
        changes=changes or {},
    )


# Display


def actor_name(actor):
    """Who made a change, as shown in audit tables."""
    if actor is None:
        return "Sistem"
    if actor.pegawai_id and actor.pegawai is not None:
        return actor.pegawai.nama_lengkap
    return actor.get_full_name() or actor.username


def _model_for(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _audit_value(field, value):
    if value in (None, ""):
        return None
    if field is None:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.get_internal_type() == "DateField" and isinstance(value, str):
        parsed = parse_date(value)
        return date_format(parsed, "j F Y") if parsed else value
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return value


def display_rows(entries, *, is_hidden=None):
    """Audit entries ready for a table: field labels and readable values; a change for which
    ``is_hidden(model, field_name)`` is true shows no values (personal data)."""
    rows = []
    for entry in entries:
        model = _model_for(entry.object_type)
        changes = []
        for name, pair in (entry.changes or {}).items():
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            try:
                field = model._meta.get_field(name) if model else None
            except FieldDoesNotExist:
                field = None
            if field is not None and not field.concrete:
                # A reverse relation (e.g. a jabatan's "standar_kinerja" rows): no label or choices.
                field = None
            hidden = bool(is_hidden and is_hidden(model, name))
            changes.append(
                {
                    "label": field.verbose_name if field else name,
                    "old": None if hidden else _audit_value(field, old),
                    "new": None if hidden else _audit_value(field, new),
                    "hidden": hidden,
                }
            )
        rows.append(
            {
                "entry": entry,
                "actor": actor_name(entry.actor),
                "jenis": model._meta.verbose_name if model else entry.object_type,
                "changes": changes,
            }
        )
    return rows
