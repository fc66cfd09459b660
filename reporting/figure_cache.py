"""Figures that scan attendance, kept while the data they read stays the same.

``remember(name, fingerprint, compute)`` returns what ``compute()`` returned for the same
name and ``fingerprint()`` during the last ``FIGURE_CACHE_SECONDS`` (the setting
``DASHBOARD_CACHE_SECONDS``), or computes it now. The fingerprint is cheap to take
(``academies.kind_hours.kind_hours_version`` and the like): a change that it sees shows at
once, one that it does not see shows when the figures expire. ``0`` seconds: always compute.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


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
