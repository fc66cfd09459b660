"""Background exports of the network's tables as CSV or XLSX (django-import-export).

``request_export`` (a service) writes the status row and enqueues the task on commit;
``run_export`` (called by the task) builds the file in chunks, updating the row's progress.
Text cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) are
neutralised with a leading apostrophe. Files are kept for ``EXPORT_RETENTION`` and served
only to the user who asked for them (``export_for_download``).
"""

import re
from datetime import timedelta

import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats.base_formats import XLSX

from academies import kind_hours
from academies.kind_hours import as_kind_hours
from academies.models import Academy, Activity, Recognition, Series, Session
from stemnet.audit import record
from stemnet.roles import has_staff_powers
from subsidies.jobs import JobNotQueued, enqueue
from subsidies.models import Award, AwardLine

from .dashboard import Span
from .models import ExportFormat, ExportJob, ExportStatus, ExportTable

RUN_EXPORT = "reporting.tasks.run_export"

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def retention() -> timedelta:
    return timedelta(hours=getattr(settings, "EXPORT_RETENTION_HOURS", 72))


def neutralise(value):
    """A text cell that starts like a formula gets a leading apostrophe; numbers (even
    negative ones written as text) stay as they are."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


class SafeResource(resources.ModelResource):
    """A resource whose every exported cell is neutralised."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


def _domains(value) -> str:
    return ", ".join(value or [])


class AcademyResource(SafeResource):
    municipality = fields.Field(attribute="municipality_id", column_name="municipality")
    municipality_name = fields.Field(attribute="municipality__name", column_name="gemeente")
    province = fields.Field(attribute="municipality__province__name", column_name="provincie")

    class Meta:
        model = Academy
        fields = (
            "id",
            "name",
            "enterprise_number",
            "legal_form",
            "street",
            "postal_code",
            "municipality",
            "municipality_name",
            "province",
            "email",
            "website",
            "min_age",
            "max_age",
            "stem_domains",
            "public_description",
        )
        export_order = fields

    def dehydrate_stem_domains(self, academy):
        return neutralise(_domains(academy.stem_domains))


class RecognitionResource(SafeResource):
    academy = fields.Field(attribute="academy_id", column_name="academy")
    academy_name = fields.Field(attribute="academy__name", column_name="academie")
    kbo = fields.Field(attribute="academy__enterprise_number", column_name="kbo")

    class Meta:
        model = Recognition
        fields = ("id", "academy", "kbo", "academy_name", "valid_from", "valid_until")
        export_order = fields


class ActivityResource(SafeResource):
    academy = fields.Field(attribute="academy_id", column_name="academy")
    academy_name = fields.Field(attribute="academy__name", column_name="academie")

    class Meta:
        model = Activity
        fields = (
            "id",
            "academy",
            "academy_name",
            "code",
            "title",
            "format",
            "min_age",
            "max_age",
            "stem_domains",
            "is_public",
        )
        export_order = fields

    def dehydrate_stem_domains(self, activity):
        return neutralise(_domains(activity.stem_domains))


class SeriesResource(SafeResource):
    activity = fields.Field(attribute="activity_id", column_name="activity")
    municipality = fields.Field(attribute="municipality_id", column_name="municipality")
    activity_title = fields.Field(attribute="activity__title", column_name="activiteit")
    academy_name = fields.Field(attribute="activity__academy__name", column_name="academie")

    class Meta:
        model = Series
        fields = (
            "id",
            "activity",
            "activity_title",
            "academy_name",
            "code",
            "municipality",
            "venue",
            "start_date",
            "end_date",
        )
        export_order = fields


class SessionResource(SafeResource):
    academy = fields.Field(attribute="academy_id", column_name="academy")
    series = fields.Field(attribute="series_id", column_name="series")
    municipality = fields.Field(attribute="municipality_id", column_name="municipality")
    academy_name = fields.Field(attribute="academy__name", column_name="academie")
    series_code = fields.Field(attribute="series__code", column_name="reeks")
    activity_code = fields.Field(attribute="series__activity__code", column_name="activiteit")

    class Meta:
        model = Session
        fields = (
            "id",
            "academy",
            "academy_name",
            "activity_code",
            "series",
            "series_code",
            "municipality",
            "date",
            "start_time",
            "end_time",
            "counted_minutes",
            "school_minutes",
            "over_cap_minutes",
        )
        export_order = fields


class AwardResource(SafeResource):
    academy = fields.Field(attribute="academy_id", column_name="academy")
    period = fields.Field(attribute="run__period__reporting_period__code", column_name="periode")
    kbo = fields.Field(attribute="academy__enterprise_number", column_name="kbo")
    academy_name = fields.Field(attribute="academy__name", column_name="academie")

    class Meta:
        model = Award
        fields = (
            "id",
            "period",
            "academy",
            "kbo",
            "academy_name",
            "reference",
            "child_minutes",
            "points",
            "cap_cents",
            "amount_cents",
        )
        export_order = fields


class AwardLineResource(SafeResource):
    municipality = fields.Field(attribute="municipality_id", column_name="municipality")
    period = fields.Field(
        attribute="award__run__period__reporting_period__code", column_name="periode"
    )
    reference = fields.Field(attribute="award__reference", column_name="referentie")
    kbo = fields.Field(attribute="award__academy__enterprise_number", column_name="kbo")
    municipality_name = fields.Field(attribute="municipality__name", column_name="gemeente")

    class Meta:
        model = AwardLine
        fields = (
            "id",
            "period",
            "reference",
            "kbo",
            "municipality",
            "municipality_name",
            "child_minutes",
            "amount_cents",
        )
        export_order = fields


class PaymentResource(SafeResource):
    """One payment per approved award (the same columns as the period page's export)."""

    kbo = fields.Field(attribute="academy__enterprise_number", column_name="kbo")
    naam = fields.Field(attribute="academy__name", column_name="naam")
    iban = fields.Field(attribute="academy__iban", column_name="iban")
    bedrag_eur = fields.Field(column_name="bedrag_eur")
    referentie = fields.Field(attribute="reference", column_name="referentie")
    periode = fields.Field(attribute="run__period__reporting_period__code", column_name="periode")

    class Meta:
        model = Award
        fields = ("kbo", "naam", "iban", "bedrag_eur", "referentie", "periode")
        export_order = fields

    def dehydrate_bedrag_eur(self, award):
        return f"{award.amount_cents // 100}.{award.amount_cents % 100:02d}"


class KindHoursRow:
    """One (academy, municipality) total as an object a resource can read."""

    def __init__(self, row: dict):
        self.__dict__.update(row)


class KindHoursResource(SafeResource):
    """KIND-uren per academy and municipality, from ``academies.kind_hours``."""

    academy_id = fields.Field(attribute="academy_id", column_name="academie_id")
    kbo = fields.Field(attribute="kbo", column_name="kbo")
    academy_name = fields.Field(attribute="academy_name", column_name="academie")
    municipality = fields.Field(attribute="municipality_id", column_name="nis")
    municipality_name = fields.Field(attribute="municipality_name", column_name="gemeente")
    child_minutes = fields.Field(attribute="child_minutes", column_name="kindminuten")
    kind_hours = fields.Field(column_name="kind_uren")

    class Meta:
        model = Academy  # only for the resource machinery: rows are KindHoursRow objects
        fields = (
            "academy_id",
            "kbo",
            "academy_name",
            "municipality",
            "municipality_name",
            "child_minutes",
            "kind_hours",
        )
        export_order = fields

    def dehydrate_kind_hours(self, row):
        return str(as_kind_hours(row.child_minutes))


def _approved_awards(span: Span | None):
    awards = Award.objects.filter(run__period__approved_run=F("run"))
    if span is not None:
        awards = awards.filter(run__period__reporting_period__code__in=span.period_codes)
    return awards


def kind_hours_rows(span: Span):
    """(academy, municipality) totals with names, ordered by academy then REFNIS."""
    totals = kind_hours.child_minutes_by_academy_and_municipality(span.start, span.end)
    academies = dict(
        Academy.objects.filter(pk__in={t.academy_id for t in totals}).values_list(
            "pk", "enterprise_number"
        )
    )
    names = dict(Academy.objects.filter(pk__in=academies).values_list("pk", "name"))
    from stemnet.models import Municipality

    places = dict(
        Municipality.objects.filter(pk__in={t.municipality_id for t in totals}).values_list(
            "pk", "name"
        )
    )
    return [
        KindHoursRow(
            {
                "academy_id": t.academy_id,
                "kbo": academies[t.academy_id],
                "academy_name": names[t.academy_id],
                "municipality_id": t.municipality_id,
                "municipality_name": places[t.municipality_id],
                "child_minutes": t.child_minutes,
            }
        )
        for t in totals
    ]


def source(table: str, span: Span | None):
    """(resource, rows) for a table; rows is a queryset (or a list for KIND-uren)."""
    if table == ExportTable.ACADEMIES:
        qs = Academy.objects.select_related("municipality__province").order_by("id")
        return AcademyResource(), qs
    if table == ExportTable.RECOGNITIONS:
        qs = Recognition.objects.select_related("academy").order_by("id")
        if span is not None:
            qs = qs.filter(kind_hours.valid_during(span.start, span.end))
        return RecognitionResource(), qs
    if table == ExportTable.ACTIVITIES:
        qs = Activity.objects.select_related("academy").order_by("id")
        if span is not None:
            qs = qs.filter(
                pk__in=Session.objects.filter(date__gte=span.start, date__lte=span.end).values(
                    "series__activity_id"
                )
            )
        return ActivityResource(), qs
    if table == ExportTable.SERIES:
        qs = Series.objects.select_related("activity__academy").order_by("id")
        if span is not None:
            qs = qs.filter(start_date__lte=span.end, end_date__gte=span.start)
        return SeriesResource(), qs
    if table == ExportTable.SESSIONS:
        qs = Session.objects.select_related("academy", "series__activity").order_by("id")
        if span is not None:
            qs = qs.filter(date__gte=span.start, date__lte=span.end)
        return SessionResource(), qs
    if table == ExportTable.KIND_HOURS:
        return KindHoursResource(), kind_hours_rows(
            span or Span.parse(str(timezone.localdate().year))
        )
    if table == ExportTable.AWARDS:
        qs = _approved_awards(span).select_related("academy", "run__period__reporting_period")
        return AwardResource(), qs.order_by("run__period__reporting_period__start_date", "id")
    if table == ExportTable.AWARD_LINES:
        qs = AwardLine.objects.filter(award__in=_approved_awards(span)).select_related(
            "award__academy", "award__run__period__reporting_period", "municipality"
        )
        return AwardLineResource(), qs.order_by("award_id", "municipality_id")
    if table == ExportTable.PAYMENTS:
        qs = _approved_awards(span).select_related("academy", "run__period__reporting_period")
        return PaymentResource(), qs.order_by(
            "run__period__reporting_period__start_date", "academy__name", "academy_id"
        )
    raise ValueError(table)


def build_dataset(table: str, span: Span | None, progress=None) -> tablib.Dataset:
    """The table as a tablib Dataset; ``progress(done, total)`` is called every chunk."""
    resource, rows = source(table, span)
    total = len(rows) if isinstance(rows, list) else rows.count()
    if progress:
        progress(0, total)
    dataset = tablib.Dataset(headers=resource.get_export_headers())
    iterator = rows if isinstance(rows, list) else rows.iterator(chunk_size=CHUNK)
    for done, obj in enumerate(iterator, start=1):
        dataset.append(resource.export_resource(obj))
        if progress and done % CHUNK == 0:
            progress(done, total)
    return dataset


def render(dataset: tablib.Dataset, fmt: str) -> bytes:
    if fmt == ExportFormat.XLSX:
        return XLSX().export_data(dataset)
    return dataset.export("csv").encode("utf-8")


# --- Services ---------------------------------------------------------------------------------


class ExportError(Exception):
    pass


def can_export(user) -> tuple[bool, str]:
    if not has_staff_powers(user):
        return False, _("Alleen VLAIO-medewerkers kunnen netwerkgegevens exporteren.")
    return True, ""


@transaction.atomic
def request_export(*, actor, table: str, fmt: str, period: str = "") -> ExportJob:
    """Queue an export; the worker makes the file."""
    allowed, reason = can_export(actor)
    if not allowed:
        raise ExportError(reason)
    if table not in ExportTable.values or fmt not in ExportFormat.values:
        raise ExportError(_("Onbekende tabel of formaat."))
    if period:
        try:
            period = Span.parse(period).code
        except ValueError:
            raise ExportError(_("Ongeldige periode: gebruik JJJJ, JJJJ-1 of JJJJ-2.")) from None
    elif table == ExportTable.KIND_HOURS:
        raise ExportError(_("Kies een jaar of periode voor de KIND-uren."))
    job = ExportJob.objects.create(owner=actor, table=table, format=fmt, period=period)
    record(
        actor=actor,
        action="export.requested",
        obj=job,
        payload={"table": table, "format": fmt, "period": period},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Hand the export to the worker by task name (the task module imports this one); a
    broker that cannot be reached leaves a failed job that says so, not a 500."""
    try:
        enqueue(RUN_EXPORT, job_id)
    except JobNotQueued as error:
        ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.FAILED, error=str(error))


def _claim(job_id: int) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.QUEUED:
            return None  # done, failed, expired or taken by another worker: nothing to do
        job.status = ExportStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
        return job


def run_export(job_id: int) -> ExportJob | None:
    """Make the file of a queued export (idempotent: anything but a queued job is left)."""
    job = _claim(job_id)
    if job is None:
        return None
    span = Span.parse(job.period) if job.period else None

    def progress(done, total):
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        dataset = build_dataset(job.table, span, progress)
        content = render(dataset, job.format)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    job.file.save(job.filename, ContentFile(content), save=False)
    now = timezone.now()
    job.status = ExportStatus.DONE
    job.rows_done = job.rows_total = dataset.height
    job.finished_at = now
    job.expires_at = now + retention()
    job.save(
        update_fields=["file", "status", "rows_done", "rows_total", "finished_at", "expires_at"]
    )
    record(actor=None, action="export.done", obj=job, payload={"rows": dataset.height})
    return job


def purge_expired_exports(now=None) -> int:
    """Delete the files of exports past their time; the rows stay, marked expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lt=now):
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        expired += 1
    return expired


# --- Selectors --------------------------------------------------------------------------------


def exports_of(user):
    """A user's own exports, newest first. Nobody sees anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner=user)


def export_for_download(user, pk: int) -> ExportJob | None:
    """The file of an export if ``user`` asked for it, it is ready and not expired."""
    return (
        exports_of(user)
        .filter(pk=pk, status=ExportStatus.DONE, expires_at__gt=timezone.now())
        .exclude(file="")
        .first()
    )
