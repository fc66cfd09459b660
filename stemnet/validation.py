"""Rules every input of the portal obeys, whatever the entry point (form, import,
service): no control characters in text, dates within a sane range.

Pure functions, no Django: the form mixin (``stemnet.forms``), the register import and
the services call these, and the database check constraints mirror the date range.
"""

import re
from datetime import date

# C0 controls, DEL and C1 controls. Tab, line feed and carriage return are allowed only in
# multi-line text (a description, a reason).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# The portal's dates lie in this range: a session, series or period before 2000 or after
# 2100 is a typing error (and year 0001 broke period codes and pages).
MIN_YEAR = 2000
MAX_YEAR = 2100
MIN_DATE = date(MIN_YEAR, 1, 1)
MAX_DATE = date(MAX_YEAR, 12, 31)


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds a control character (NUL, vertical tab, escape ...);
    with ``multiline`` tab and line breaks are allowed."""
    return bool((_CONTROL_MULTILINE if multiline else _CONTROL).search(text))


def strip_control_characters(text: str) -> str:
    """``text`` without control characters other than tab and line breaks."""
    return _CONTROL_MULTILINE.sub("", text)


def date_in_range(day: date) -> bool:
    return MIN_DATE <= day <= MAX_DATE
