"""Writing audit entries: called by services inside their transaction."""

import datetime as dt
import decimal

from django.db import models

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
