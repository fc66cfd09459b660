"""The recognition criteria as people read them: an academy may welcome younger or older
children too, but only 5 to 18 year olds count for recognition and KIND-uren."""

from django.utils.translation import gettext as _

from .eligibility import MAX_AGE, MIN_AGE


def age_range_warning(min_age, max_age) -> str | None:
    """A warning when the ages an academy registers go beyond the criteria, else None."""
    if min_age is None or max_age is None or (min_age >= MIN_AGE and max_age <= MAX_AGE):
        return None
    return _(
        "U geeft leeftijden van %(a)s tot %(b)s jaar op. De erkenningscriteria gaan over "
        "kinderen en jongeren van %(min)s tot en met %(max)s jaar: alleen zij tellen voor de "
        "erkenning en de KIND-uren."
    ) % {"a": min_age, "b": max_age, "min": MIN_AGE, "max": MAX_AGE}


def staff_age_range_warning(min_age, max_age) -> str | None:
    """The same warning for staff deciding the application."""
    if age_range_warning(min_age, max_age) is None:
        return None
    return _(
        "Deze academie geeft leeftijden van %(a)s tot %(b)s jaar op; de criteria zijn "
        "%(min)s tot en met %(max)s jaar. Alleen die leeftijden tellen voor de KIND-uren."
    ) % {"a": min_age, "b": max_age, "min": MIN_AGE, "max": MAX_AGE}
