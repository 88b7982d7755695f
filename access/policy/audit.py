"""Audit: who reads the audit trail, and which of its events.

The secretariat reads every event; a focal point reads the events of their countries.
"""

from django.db.models import QuerySet

from access.models import AuditEvent
from access.policy.roles import Actor, focal_point_countries, is_focal_point, is_secretariat


def can_read_audit(user: Actor) -> bool:
    """Return True for those who read an audit log: the secretariat and focal points."""
    return is_secretariat(user) or is_focal_point(user)


def visible_audit_events(user: Actor) -> QuerySet[AuditEvent]:
    """Return the audit events ``user`` may read: the secretariat all, focal points their own."""
    events = AuditEvent.objects.select_related("actor")
    if is_secretariat(user):
        return events
    countries = focal_point_countries(user)
    if countries:
        return events.filter(country__in=countries)
    return events.none()
