"""The one validation of what academies enter, whatever the entry point: a participant
(reference, birth year, postal code of residence), a session date, and the size of a
series one request may create. The forms, the register import and the services all call
these functions; the database check constraints refuse what must never be stored.

No ORM here: callers pass what needs the database (whether a postal code is Flemish).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from stemnet.validation import MAX_YEAR, MIN_YEAR, date_in_range, has_control_characters

REF_MAX_LENGTH = 50
# The database constraint refuses birth years outside 1900–2100 (it cannot know today's
# year); this rule also refuses a birth year in the future.
MIN_BIRTH_YEAR = 1900

# What one request may create: a series of at most a year, at most this many sessions.
MAX_SERIES_DAYS = 366
MAX_SESSIONS_PER_SERIES = 400


@dataclass(frozen=True)
class Problem:
    field: str  # the form field / the register column's meaning
    message: str


def ref_problem(ref: str) -> str | None:
    ref = ref.strip()
    if not ref:
        return _("Geef een referentie.")
    if len(ref) > REF_MAX_LENGTH:
        return _("Een referentie heeft hoogstens %(n)s tekens.") % {"n": REF_MAX_LENGTH}
    if has_control_characters(ref):
        return _("Dit veld bevat een onzichtbaar controleteken; typ de tekst opnieuw.")
    return None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Words of letters only, each starting with a capital and going on in lower case ("Lotte",
# "Jan Peeters", "An-Sofie De Smet"): how names look, unlike codes ("K12", "GENT-03").
_NAME = re.compile(r"^[A-ZÀ-Þ][a-zß-ÿ]+(?:[ '\-][A-Za-zÀ-ÿ][a-zß-ÿ']*)*$")


def ref_personal_data_warning(ref: str) -> str | None:
    """A warning (not a refusal) when a participant reference looks like an e-mail address
    or a name: children stay pseudonymous."""
    ref = ref.strip()
    if _EMAIL.search(ref):
        return _(
            "De referentie %(ref)s lijkt op een e-mailadres. Gebruik een code zonder "
            "persoonsgegevens, geen e-mailadres."
        ) % {"ref": ref}
    if _NAME.match(ref):
        return _(
            "De referentie %(ref)s lijkt op een naam. Kinderen blijven anoniem: gebruik "
            "een code die niets over het kind zegt (bv. K12)."
        ) % {"ref": ref}
    return None


def birth_year_problem(birth_year: int, *, this_year: int) -> str | None:
    if birth_year > this_year:
        return _("Dit geboortejaar ligt in de toekomst.")
    if birth_year < MIN_BIRTH_YEAR:
        return _("Dit geboortejaar is niet geloofwaardig.")
    return None


def postal_code_problem(postal_code: str, *, is_flemish: Callable[[str], bool]) -> str | None:
    """An empty postal code is fine (it is optional); otherwise four digits of a Flemish
    municipality."""
    if not postal_code:
        return None
    if not (len(postal_code) == 4 and postal_code.isascii() and postal_code.isdigit()):
        return _("Een postcode heeft vier cijfers.")
    if not is_flemish(postal_code):
        return _("Postcode %(code)s ligt niet in Vlaanderen.") % {"code": postal_code}
    return None


def participant_problems(
    *,
    ref: str | None,
    birth_year: int,
    postal_code: str,
    this_year: int,
    is_flemish: Callable[[str], bool],
) -> list[Problem]:
    """Every problem of a participant; ``ref=None`` checks the other fields only (an
    existing participant keeps its reference)."""
    found = [
        ("ref", None if ref is None else ref_problem(ref)),
        ("birth_year", birth_year_problem(birth_year, this_year=this_year)),
        ("residence_postal_code", postal_code_problem(postal_code, is_flemish=is_flemish)),
    ]
    return [Problem(name, message) for name, message in found if message]


def date_problem(day: date) -> str | None:
    if not date_in_range(day):
        return _("Geef een datum tussen %(first)s en %(last)s.") % {
            "first": MIN_YEAR,
            "last": MAX_YEAR,
        }
    return None


def series_span_problem(start: date, end: date, sessions: int = 0) -> str | None:
    """A series created in one go lasts at most a year and has at most
    MAX_SESSIONS_PER_SERIES sessions."""
    for day in (start, end):
        problem = date_problem(day)
        if problem:
            return problem
    if end < start:
        return _("De einddatum ligt voor de startdatum.")
    if (end - start).days >= MAX_SERIES_DAYS:
        return _(
            "Een reeks duurt hoogstens een jaar; maak voor een langere periode een nieuwe reeks."
        )
    if sessions > MAX_SESSIONS_PER_SERIES:
        return _("Dit schema maakt %(n)s sessies aan; hoogstens %(max)s kunnen in één keer.") % {
            "n": sessions,
            "max": MAX_SESSIONS_PER_SERIES,
        }
    return None
