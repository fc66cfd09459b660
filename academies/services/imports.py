"""Register imports as jobs: the file is stored privately, a status row tracks progress,
and the import itself (``academies.imports.import_attendance``: all or nothing, one
transaction) runs in the request for a small file and in the worker for a large one.
Both go through ``run_import``: one code path for reading, checking and writing."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record

from ..imports import ImportFileError, ImportRejected, import_attendance, iter_file
from ..models import ImportJob, ImportStatus
from . import AcademyError

logger = logging.getLogger(__name__)

# Up to this size the import runs in the request (a few thousand rows, a second or two).
SYNC_MAX_BYTES = 256 * 1024
# Errors kept for the result page (the count is always exact).
MAX_STORED_ERRORS = 1_000


def start_import(
    *, actor, academy, upload, enqueue: Callable[[int], None] | None = None
) -> ImportJob:
    """Store the upload and import it: at once when small, else in the background (the
    page polls the job) through ``enqueue(job_id)`` after the commit (the caller passes
    ``academies.tasks.enqueue_import``: the task module imports this one, not the other
    way round). Returns the job, finished or queued."""
    if upload.size > SYNC_MAX_BYTES and enqueue is None:
        raise ValueError("a large import needs an enqueue function")
    job = ImportJob(academy=academy, created_by=actor, filename=upload.name[:255], size=upload.size)
    job.file.save(upload.name, upload, save=False)
    with transaction.atomic():
        job.save()
        record(
            actor=actor,
            action="attendance.import_started",
            obj=academy,
            payload={"job": job.pk, "file": job.filename, "size": job.size},
        )
        if upload.size > SYNC_MAX_BYTES:
            transaction.on_commit(lambda: enqueue(job.pk))
    if upload.size <= SYNC_MAX_BYTES:
        run_import(job.pk)
    job.refresh_from_db()
    return job


def not_enqueued(job_id: int) -> None:
    """The broker refused the job: say so, and leave no queued job that never runs."""
    _finish(
        job_id,
        ImportStatus.FAILED,
        message=_(
            "De achtergrondverwerking is niet bereikbaar. Er werd niets ingelezen; "
            "probeer het over enkele minuten opnieuw."
        ),
    )


def run_import(job_id: int) -> None:
    """Read, check and write a queued job's file. Idempotent: a job that is no longer
    queued (done, or taken by another worker) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("academy", "created_by").get(pk=job_id)

    def progress(rows: int) -> None:
        # Outside the writing transaction: the polling page sees it at once.
        ImportJob.objects.filter(pk=job_id).update(rows_checked=rows)

    try:
        with job.file.open("rb") as stream:
            result = import_attendance(
                actor=job.created_by,
                academy=job.academy,
                rows=iter_file(stream, job.filename),
                progress=progress,
            )
    except (ImportFileError, AcademyError) as error:
        _finish(job_id, ImportStatus.REJECTED, message=str(error))
    except ImportRejected as rejected:
        errors = rejected.result.errors
        _finish(
            job_id,
            ImportStatus.REJECTED,
            rows=rejected.result.rows,
            errors=[[e.row, e.column, e.message] for e in errors[:MAX_STORED_ERRORS]],
            error_count=len(errors),
        )
    except DatabaseError:
        # The connection died (or the database refused) inside the writing transaction:
        # it rolled back, nothing is half-written. Start from a fresh connection.
        logger.exception("import job %s interrupted", job_id)
        if connection.in_atomic_block:
            raise
        close_old_connections()
        connection.close()
        _finish(
            job_id,
            ImportStatus.FAILED,
            message=_(
                "De verbinding met de databank werd onderbroken. Er werd niets ingelezen; "
                "u kan hetzelfde bestand meteen opnieuw importeren."
            ),
        )
    except Exception:
        _finish(
            job_id,
            ImportStatus.FAILED,
            message=_("Er liep iets mis bij het inlezen. Er werd niets ingelezen."),
        )
        raise
    else:
        _finish(
            job_id,
            ImportStatus.SUCCEEDED,
            rows=result.rows,
            created=result.created,
            message="\n".join(result.warnings[:20]),
        )


def _finish(job_id: int, status: str, **fields) -> None:
    job = ImportJob.objects.get(pk=job_id)
    for name, value in fields.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = timezone.now()
    if job.file:
        # The file holds personal data: kept only until it is processed.
        job.file.delete(save=False)
    job.save()
