"""The audit trail in words: action codes as Dutch phrases, payloads as readable key/value
text, and each event's object with its name and, where it has a page, a link."""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from academies.models import ApplicationState
from subsidies.models import PeriodStatus
from subsidies.templatetags.cents import euro

ACTION_LABELS = {
    "attendance.import_started": _("Inlezen van een register gestart"),
    "export.requested": _("Export aangevraagd"),
    "export.done": _("Export klaar"),
    "offer.made": _("Aanbod gedaan"),
    "offer.accepted": _("Aanbod aanvaard"),
    "offer.declined": _("Aanbod afgewezen"),
    "partnership.created": _("Partnerschap aangemaakt"),
    "partnership.lead_removed": _("Trekker van het partnerschap verwijderd"),
    "partnership.member_added": _("Partner toegevoegd"),
    "partnership.member_removed": _("Partner verwijderd"),
    "partnership.budget_added": _("Academie in het budget van het partnerschap opgenomen"),
    "partnership.budget_removed": _("Academie uit het budget van het partnerschap gehaald"),
    "period.priority_added": _("Prioritaire gemeenten toegevoegd"),
    "request.filed": _("Vraag van een gemeente ingediend"),
    "request.withdrawn": _("Vraag van een gemeente ingetrokken"),
    "academy.registered": _("Academie geregistreerd"),
    "academy.updated": _("Profiel van de academie gewijzigd"),
    "academy.invited": _("Collega uitgenodigd"),
    "academy.joined": _("Uitnodiging aanvaard"),
    "activity.created": _("Activiteit aangemaakt"),
    "activity.updated": _("Activiteit gewijzigd"),
    "series.created": _("Reeks aangemaakt"),
    "series.updated": _("Reeks gewijzigd"),
    "series.enrolled": _("Deelnemer ingeschreven in een reeks"),
    "series.unenrolled": _("Deelnemer uit een reeks gehaald"),
    "series.participants_copied": _("Deelnemers gekopieerd uit een andere reeks"),
    "session.created": _("Sessie toegevoegd"),
    "session.updated": _("Sessie gewijzigd"),
    "session.deleted": _("Sessie verwijderd"),
    "participant.created": _("Deelnemer toegevoegd"),
    "participant.updated": _("Deelnemer gewijzigd"),
    "attendance.set": _("Aanwezigheid aangepast"),
    "attendance.imported": _("Aanwezigheidsregister geïmporteerd"),
    "attendance.all_present": _("Iedereen aanwezig gezet voor een sessie"),
    "recognition.created": _("Erkenningsaanvraag aangemaakt"),
    "recognition.updated": _("Erkenningsaanvraag gewijzigd"),
    "recognition.attachment_added": _("Bijlage toegevoegd aan de aanvraag"),
    "recognition.attachment_removed": _("Bijlage verwijderd uit de aanvraag"),
    "recognition.submit": _("Erkenningsaanvraag ingediend"),
    "recognition.resubmit": _("Erkenningsaanvraag opnieuw ingediend"),
    "recognition.request_changes": _("Aanpassingen gevraagd aan de aanvraag"),
    "recognition.recognise": _("Academie erkend"),
    "recognition.refuse": _("Erkenning geweigerd"),
    "recognition.withdraw": _("Erkenning ingetrokken"),
    "recognition.end_date_changed": _("Einddatum van de erkenning gewijzigd"),
    "recognition.reminder_sent": _("Herinnering verstuurd: erkenning loopt af"),
    "message.resent": _("Bericht opnieuw verzonden"),
    "notifications.preferences_changed": _("Berichtvoorkeuren gewijzigd"),
    "academy.data_exported": _("Alle gegevens van de academie gedownload"),
    "school_holiday.added": _("Schoolvakantie toegevoegd"),
    "school_holiday.deleted": _("Schoolvakantie verwijderd"),
    "period.reporting_closed": _("Rapportering afgesloten"),
    "period.reporting_reopened": _("Rapportering heropend"),
    "period.parameters_changed": _("Parameters van de periode gewijzigd"),
    "period.open": _("Periode heropend"),
    "period.announced": _("Academies verwittigd dat de periode geopend is"),
    "period.closed": _("Periode afgesloten voor rapportering"),
    "period.calculated": _("Periode berekend"),
    "period.approved": _("Bedragen goedgekeurd"),
    "period.letters_sent": _("Alle brieven verstuurd"),
    "period_report.submitted": _("Perioderapport ingediend"),
    "period_report.reopened": _("Perioderapport heropend"),
    "calculation.started": _("Berekening gestart"),
    "calculation.succeeded": _("Berekening klaar"),
    "letters.requested": _("Brieven aangevraagd"),
    "objection.filed": _("Bezwaar ingediend"),
    "objection.ask": _("Vraag gesteld over een bezwaar"),
    "objection.answer": _("Vraag over een bezwaar beantwoord"),
    "objection.grant": _("Bezwaar gegrond verklaard"),
    "objection.partly": _("Bezwaar gedeeltelijk gegrond verklaard"),
    "objection.refuse": _("Bezwaar ongegrond verklaard"),
    "correction.issued": _("Herziening genomen"),
    "budget.set": _("Jaarbudget ingesteld"),
    "period.objection_days_set": _("Bezwaartermijn van de periode ingesteld"),
    "staff.granted": _("Medewerkersrechten toegekend"),
    "staff.revoked": _("Medewerkersrechten ingetrokken"),
    "retention.policy_changed": _("Bewaartermijn van gegevens over kinderen gewijzigd"),
    "retention.erased": _("Deelnemers en aanwezigheden gewist na de bewaartermijn"),
}

KEY_LABELS = {
    "from": _("van"),
    "to": _("naar"),
    "reason": _("reden"),
    "count": _("aantal"),
    "rows": _("rijen"),
    "created": _("aangemaakt"),
    "sessions": _("sessies"),
    "participants": _("deelnemers"),
    "attendance": _("aanwezigheden"),
    "participant": _("deelnemer"),
    "present": _("aanwezig"),
    "ref": _("referentie"),
    "name": _("naam"),
    "email": _("e-mailadres"),
    "code": _("code"),
    "date": _("datum"),
    "period": _("periode"),
    "municipality": _("gemeente"),
    "invitation": _("uitnodiging"),
    "enterprise_number": _("ondernemingsnummer"),
    "total_cents": _("totaal (EUR)"),
    "budget_cents": _("budget (EUR)"),
    "academy_cap_cents": _("maximum per academie (EUR)"),
    "rate_cap_eur": _("maximum per KIND-uur (EUR)"),
    "min_kind_hours": _("minimum KIND-uren"),
    "priority_weight": _("gewicht prioritaire gemeenten"),
    "spread_bonus": _("spreidingsbonus"),
    "spread_cap": _("maximale spreidingsbonus"),
    "award": _("toekenning"),
    "attachments": _("bijlagen"),
    "amount_cents": _("verschil (EUR)"),
    "confirmation": _("bevestiging"),
    "year": _("jaar"),
    "retention_years": _("bewaartermijn (jaar)"),
}
STATE_LABELS = {**dict(ApplicationState.choices), **dict(PeriodStatus.choices)}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def _value(key, value) -> str:
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if key.endswith("_cents") and str(value).isdigit():
        return euro(int(value))
    if key in ("from", "to") and value in STATE_LABELS:
        return str(STATE_LABELS[value])
    if isinstance(value, dict):
        return ", ".join(f"{KEY_LABELS.get(k, k)} {_value(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(KEY_LABELS.get(v, v)) for v in value)
    if value in (None, ""):
        return "–"
    return str(value)


def payload_lines(payload) -> list[tuple[str, str]]:
    """[(label, text)] of a payload: a dict becomes its keys in words, a list its items."""
    if isinstance(payload, dict):
        return [
            (str(KEY_LABELS.get(k, k)), _value(k, v))
            for k, v in payload.items()
            if v not in (None, "", "None")
        ]
    if isinstance(payload, list) and payload:
        return [(str(_("velden")), _value("", payload))]
    return []


@dataclass
class AuditRow:
    event: object
    action: str
    lines: list
    object_text: str
    object_url: str | None


def audit_rows(events) -> list[AuditRow]:
    """The page's events in words, with their objects loaded in one query per object type
    (a bounded number, whatever the number of rows)."""
    events = list(events)
    wanted = defaultdict(set)
    for event in events:
        wanted[event.object_type].add(event.object_id)
    objects = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        queryset = model._default_manager.filter(pk__in=list(ids))
        for obj in queryset:
            objects[(object_type, str(obj.pk))] = obj
    rows = []
    for event in events:
        obj = objects.get((event.object_type, event.object_id))
        if obj is None:
            text, url = f"{event.object_type} #{event.object_id}", None
        else:
            text = f"{obj._meta.verbose_name.capitalize()}: {obj}"
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
        rows.append(
            AuditRow(event, action_label(event.action), payload_lines(event.payload), text, url)
        )
    return rows
