"""Writing and reading the audit trail: every state-changing service calls ``record``."""

from django.db import models

from .models import AuditEvent


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def record(*, actor, action: str, obj: models.Model, payload: dict | None = None) -> AuditEvent:
    object_type, object_id = _key(obj)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=payload or {},
    )


def history(obj: models.Model):
    object_type, object_id = _key(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )
