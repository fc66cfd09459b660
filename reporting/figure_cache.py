"""Figures that scan attendance, kept while the data they read stays the same.

``remember(name, fingerprint, compute)`` returns what ``compute()`` returned for the same
name and ``fingerprint()`` during the last ``FIGURE_CACHE_SECONDS`` (the setting
``DASHBOARD_CACHE_SECONDS``), or computes it now. The fingerprint is cheap to take
(``data_version``): a change that it sees shows at once, one that it does not see shows
when the figures expire. ``0`` seconds: always compute.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from academies.models import Activity, Attendance, Participant, Recognition, Series, Session
from stemnet.models import AuditEvent
from subsidies.models import Period

# The rows the kept figures read; their highest ids see every insert, even one made
# outside a service (an import's bulk insert, a management command, a test factory).
_READ = (Attendance, Session, Participant, Series, Activity, Recognition, Period)


def seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)


def remember(name: str, fingerprint, compute, *, refresh: bool = False):
    keep = seconds()
    if keep <= 0:
        return compute()
    key = f"reporting:{name}:" + hashlib.sha256(repr(fingerprint()).encode()).hexdigest()
    value = None if refresh else cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, keep)
    return value


def data_version() -> tuple:
    """The fingerprint of the kept figures: the highest id of the audit trail (every
    service that changes state writes one audit row in its own transaction: attendance
    set or removed, a session or birth year corrected, a recognition granted or ended)
    and of every table the figures read (inserts made outside a service). Index lookups
    only, whatever the size of the network; it used to be sums over every session and
    counts of every participant (tens of milliseconds at ten times the network, on every
    request). Not seen: an update or delete made outside a service (the admin, a shell):
    it shows when the figures expire."""
    name = connection.ops.quote_name
    # table and column names of the models only: nothing from outside
    tops = ", ".join(
        f"(SELECT MAX({name(model._meta.pk.column)}) FROM {name(model._meta.db_table)})"  # noqa: S608
        for model in (AuditEvent, *_READ)
    )
    with connection.cursor() as cursor:  # one round trip, not eight
        cursor.execute(f"SELECT {tops}")
        return tuple(cursor.fetchone())
