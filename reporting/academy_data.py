"""Everything the portal holds about one academy, as one ZIP (the GDPR right of access):
one CSV per table, the recognition attachments and the award letters. Built as a stream,
table by table, so a large academy's export never sits in memory whole."""

import zipfile
from pathlib import PurePath

from django.utils import timezone

from academies.models import (
    Academy,
    ApplicationTransition,
    Attachment,
    Attendance,
    Erasure,
    Invitation,
    Membership,
    Participant,
    PeriodReport,
    Recognition,
    RecognitionApplication,
    RecognitionReminder,
    Series,
    Session,
)
from academies.models.activities import Activity
from partnerships.models import Offer
from stemnet.exports import write_csv
from subsidies.models import Award, AwardLetter, AwardLine


def _fields(model, extra=()):
    return [f.attname for f in model._meta.concrete_fields] + list(extra)


def tables(academy: Academy) -> list[tuple[str, object, list[str]]]:
    """(file name, queryset, columns) of every table with rows about ``academy``."""
    a = academy.pk
    awards = Award.objects.filter(academy_id=a, letter__isnull=False)
    return [
        ("profiel.csv", Academy.objects.filter(pk=a), _fields(Academy)),
        (
            "leden.csv",
            Membership.objects.filter(academy_id=a),
            _fields(Membership, ["user__email"]),
        ),
        ("uitnodigingen.csv", Invitation.objects.filter(academy_id=a), _fields(Invitation)),
        (
            "erkenningsaanvragen.csv",
            RecognitionApplication.objects.filter(academy_id=a),
            _fields(RecognitionApplication),
        ),
        (
            "aanvraag_statuswijzigingen.csv",
            ApplicationTransition.objects.filter(application__academy_id=a),
            _fields(ApplicationTransition),
        ),
        (
            "bijlagen.csv",
            Attachment.objects.filter(application__academy_id=a),
            _fields(Attachment),
        ),
        ("erkenningen.csv", Recognition.objects.filter(academy_id=a), _fields(Recognition)),
        (
            "erkenning_herinneringen.csv",
            RecognitionReminder.objects.filter(recognition__academy_id=a),
            _fields(RecognitionReminder),
        ),
        ("activiteiten.csv", Activity.objects.filter(academy_id=a), _fields(Activity)),
        ("reeksen.csv", Series.objects.filter(activity__academy_id=a), _fields(Series)),
        (
            "reeks_deelnemers.csv",
            Series.participants.through.objects.filter(series__activity__academy_id=a),
            _fields(Series.participants.through),
        ),
        ("sessies.csv", Session.objects.filter(academy_id=a), _fields(Session)),
        ("deelnemers.csv", Participant.objects.filter(academy_id=a), _fields(Participant)),
        (
            "aanwezigheden.csv",
            Attendance.objects.filter(session__academy_id=a),
            _fields(Attendance),
        ),
        ("perioderapporten.csv", PeriodReport.objects.filter(academy_id=a), _fields(PeriodReport)),
        (
            "toekenningen.csv",
            awards,
            _fields(Award, ["run__period__reporting_period__code"]),
        ),
        (
            "toekenningen_per_gemeente.csv",
            AwardLine.objects.filter(award__in=awards),
            _fields(AwardLine),
        ),
        (
            "toekenningsbrieven.csv",
            AwardLetter.objects.filter(award__in=awards),
            _fields(AwardLetter),
        ),
        ("aanbiedingen.csv", Offer.objects.filter(academy_id=a), _fields(Offer)),
        ("wissingen.csv", Erasure.objects.filter(academy_id=a), _fields(Erasure)),
    ]


README = """Gegevens van {name} in het portaal van de STEM-academies
Aangemaakt op {at}.

Eén CSV-bestand per tabel (UTF-8, komma's, kopregel). De kolommen dragen de technische
veldnamen van het portaal; *_id verwijst naar de id van een rij in een ander bestand.
Deelnemers zijn pseudoniem: een referentie van de academie, een geboortejaar en
eventueel een postcode. De map bijlagen/ bevat de bijlagen van de erkenningsaanvragen,
de map brieven/ de toekenningsbrieven.

Bestanden:
{files}
"""


class _Chunks:
    """A write-only file that hands out what was written since the last call."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _safe_name(name: str) -> str:
    return PurePath(name).name.replace("/", "_").replace("\\", "_") or "bestand"


def stream_zip(academy: Academy):
    """Yield the ZIP's bytes, table by table, then the files."""
    out = _Chunks()
    specs = tables(academy)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        names = "\n".join(f"- {name}" for name, _qs, _cols in specs)
        archive.writestr(
            "LEESMIJ.txt",
            README.format(
                name=academy.name,
                at=timezone.localtime().strftime("%d-%m-%Y %H:%M"),
                files=names,
            ),
        )
        yield out.take()
        for name, queryset, columns in specs:
            rows = queryset.order_by("pk").values_list(*columns).iterator(chunk_size=2000)
            archive.writestr(name, write_csv(rows, columns))
            yield out.take()
        for attachment in Attachment.objects.filter(application__academy=academy).order_by("pk"):
            try:
                with attachment.file.open("rb") as stored:
                    data = stored.read()
            except OSError:
                continue
            archive.writestr(
                f"bijlagen/{attachment.pk}_{_safe_name(attachment.original_name)}", data
            )
            yield out.take()
        for letter in AwardLetter.objects.filter(
            award__academy=academy, award__letter__isnull=False
        ).select_related("award"):
            if not letter.file:
                continue
            try:
                with letter.file.open("rb") as stored:
                    data = stored.read()
            except OSError:
                continue
            archive.writestr(f"brieven/{_safe_name(letter.award.reference)}.pdf", data)
            yield out.take()
    yield out.take()
