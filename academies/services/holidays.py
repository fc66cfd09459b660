"""The school-holiday calendar kept by staff; every change recomputes the sessions it
touches so stored counted minutes stay right."""

import csv
import io
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from stemnet.audit import record

from ..models import SchoolHoliday
from . import AcademyError
from .activities import recompute_minutes


@transaction.atomic
def add_holiday(*, actor, name: str, start_date: date, end_date: date) -> SchoolHoliday:
    if end_date < start_date:
        raise AcademyError(_("De einddatum ligt voor de startdatum."))
    holiday = SchoolHoliday.objects.create(name=name, start_date=start_date, end_date=end_date)
    recompute_minutes(start=start_date, end=end_date)
    record(
        actor=actor,
        action="school_holiday.added",
        obj=holiday,
        payload={"from": str(start_date), "to": str(end_date)},
    )
    return holiday


@transaction.atomic
def delete_holiday(*, actor, holiday: SchoolHoliday) -> None:
    start, end = holiday.start_date, holiday.end_date
    record(
        actor=actor, action="school_holiday.deleted", obj=holiday, payload={"name": holiday.name}
    )
    holiday.delete()
    recompute_minutes(start=start, end=end)


@transaction.atomic
def import_holidays(*, actor, content: str) -> int:
    """CSV with columns name,start_date,end_date (YYYY-MM-DD); all or nothing."""
    reader = csv.DictReader(io.StringIO(content))
    if not {"name", "start_date", "end_date"} <= set(reader.fieldnames or []):
        raise AcademyError(_("Verwachte kolommen: name, start_date, end_date."))
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        try:
            start, end = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
        except ValueError:
            errors.append(_("Rij %(n)s: ongeldige datum (gebruik JJJJ-MM-DD).") % {"n": number})
            continue
        if end < start or not row["name"].strip():
            errors.append(
                _("Rij %(n)s: naam ontbreekt of einddatum ligt voor startdatum.") % {"n": number}
            )
            continue
        rows.append((row["name"].strip(), start, end))
    if errors:
        raise AcademyError(" ".join(errors))
    for name, start, end in rows:
        add_holiday(actor=actor, name=name, start_date=start, end_date=end)
    return len(rows)
