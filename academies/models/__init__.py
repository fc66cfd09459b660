"""Academies, their members and recognition, and what they do: activities, series,
sessions, participants and attendance."""

from .activities import (
    Activity,
    ActivityFormat,
    Attendance,
    Participant,
    SchoolHoliday,
    Series,
    Session,
)
from .imports import ImportJob, ImportStatus
from .organisation import Academy, Invitation, LegalForm, MemberRole, Membership, StemDomain
from .periods import PeriodReport, ReportingPeriod
from .recognition import (
    ApplicationState,
    ApplicationTransition,
    Attachment,
    Recognition,
    RecognitionApplication,
    RecognitionReminder,
    RecognitionTerm,
)
from .retention import ErasedSpan, Erasure, KeptFigure

__all__ = [
    "Academy",
    "Activity",
    "ActivityFormat",
    "ApplicationState",
    "ApplicationTransition",
    "Attachment",
    "RecognitionReminder",
    "RecognitionTerm",
    "Attendance",
    "ErasedSpan",
    "Erasure",
    "KeptFigure",
    "ImportJob",
    "ImportStatus",
    "Invitation",
    "LegalForm",
    "MemberRole",
    "Membership",
    "Participant",
    "PeriodReport",
    "Recognition",
    "RecognitionApplication",
    "ReportingPeriod",
    "SchoolHoliday",
    "Series",
    "Session",
    "StemDomain",
]
