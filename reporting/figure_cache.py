"""Figures that scan attendance (and other results dear to compute on every view: the
coverage table, the catalogue's ordered ids), kept while the data they read stays the same.

``remember(name, fingerprint, compute)`` returns what ``compute()`` returned for the same
name and ``fingerprint()`` during the last ``FIGURE_CACHE_SECONDS`` (the setting
``DASHBOARD_CACHE_SECONDS``), or computes it now. The fingerprint is cheap to take
(``data_version``): a change that it sees shows at once, one that it does not see shows
when the figures expire. ``0`` seconds: always compute.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from academies import kind_hours
from academies.models import Activity, Series
from subsidies.models import Period

# The rows the kept figures read; their highest ids see every insert, even one made
# outside a service (an import's bulk insert, a management command, a test factory).
_ALSO_READ = (Series, Activity, Period)


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


def data_version(*also) -> tuple:
    """The fingerprint of the kept figures: ``kind_hours.change_stamp`` (the highest id of
    the audit trail and of the KIND-uren tables) with the other tables the figures read
    (and the models ``also`` that one caller's figures read besides).
    Index lookups only, whatever the size of the network; it used to be sums over every
    session and counts of every participant (tens of milliseconds at ten times the
    network, on every request). Not seen: an update or delete made outside a service (the
    admin, a shell): it shows when the figures expire."""
    return kind_hours.change_stamp(*_ALSO_READ, *also)
