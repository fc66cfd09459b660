from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat, urlencode
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from stemnet.links import url_around_id

from ..kind_hours import as_kind_hours

register = template.Library()

# One cell of the attendance grid. The grid has one per participant and session (512 for
# 32 × 16), so its markup is written here once, in Python, instead of through a template
# include per cell: the grid, a toggled cell and the "Iedereen aanwezig" column all use it.
# What a column's cells share is worked out (and escaped) once per column; per cell only
# the participant's id and escaped reference are filled in.


class _Column:
    def __init__(self, academy_id, session, locked: bool):
        self.session_id = session.pk
        self.locked = locked
        # aria-label: the reference is filled in per cell, the day once per column.
        self.label = escape(
            gettext("%(ref)s aanwezig op %(day)s")
            % {"ref": "\0", "day": date_format(session.date, "d-m-Y")}
        ).split("\0")
        if locked:
            self.url = None
            self.locked_title = escape(
                gettext("Vergrendeld: de periode is ingediend of afgesloten")
            )
        else:
            # a reverse() per cell would cost more than the rest of the cell
            self.url = url_around_id("academies:attendance_toggle", academy_id, session.pk)

    def cell(self, participant_id: int, ref: str, present: bool, *, error="", oob=False) -> str:
        """The cell's HTML; ``ref`` and ``error`` already escaped."""
        if self.url is None:
            action = f'disabled title="{self.locked_title}"'
        else:
            action = (
                f'hx-post="{self.url[0]}{participant_id}{self.url[1]}" '
                f'hx-vals=\'{{"present": "{0 if present else 1}"}}\' '
                'hx-target="closest td" hx-swap="outerHTML"'
            )
        parts = [
            '<td class="cell locked"' if self.locked else '<td class="cell"',
            f' id="cell-{self.session_id}-{participant_id}"',
            ' hx-swap-oob="true">' if oob else ">",
            '<button type="button" class="toggle on" '
            if present
            else '<button type="button" class="toggle" ',
            action,
            ' aria-pressed="true"' if present else ' aria-pressed="false"',
            f' aria-label="{ref.join(self.label)}">',
            "✓</button>" if present else "·</button>",
        ]
        if error:
            parts.append(f'<span class="errorlist" role="alert">{error}</span>')
        parts.append("</td>")
        return "".join(parts)


@register.simple_tag
def attendance_cell(academy, session, participant, present, locked, error=None, oob=False):
    """One cell of the attendance grid (a toggle answered by htmx, an out-of-band cell)."""
    column = _Column(academy.pk, session, bool(locked))
    cell = column.cell(
        participant.pk, escape(participant.ref), bool(present), error=escape(error or ""), oob=oob
    )
    return mark_safe(cell)  # noqa: S308 (every value in it is escaped or a number)


def _grid_links(context) -> dict:
    """What every column head and row of one grid's links share, worked out once per
    render: the URLs split around their last id (see ``url_around_id``)."""
    links = context.render_context.get("attendance_links")
    if links is None:
        academy_id = context["academy"].pk
        links = {
            "session_edit": url_around_id("academies:session_edit", academy_id),
            "all_present": url_around_id("academies:session_all_present", academy_id),
        }
        if "series" in context:
            series_id = context["series"].pk
            links["participant_edit"] = url_around_id("academies:participant_edit", academy_id)
            links["unenrol"] = url_around_id("academies:participant_unenrol", academy_id, series_id)
        context.render_context["attendance_links"] = links
    return links


def _with_id(url: tuple[str, str], pk: int) -> str:
    return f"{url[0]}{pk}{url[1]}"


@register.simple_tag(takes_context=True)
def session_head(context, session):
    """A session's column head: its day and hours; while it can change (``can_edit``, not
    in ``locked_sessions``) a link to edit it and the "Iedereen aanwezig" button; then
    ``head_message`` if any (an alert when ``head_error``)."""
    locked = session.pk in context.get("locked_sessions", ())
    editable = context.get("can_edit") and not locked
    day = escape(date_format(session.date, "D d/m"))
    parts = [
        f'<th scope="col" id="session-head-{session.pk}"',
        ' class="locked">' if locked else ">",
    ]
    if editable:
        links = _grid_links(context)
        parts.append(
            f'<a href="{_with_id(links["session_edit"], session.pk)}">{day}'
            f'<span class="visually-hidden"> {escape(gettext("bewerken"))}</span></a>'
        )
    else:
        parts.append(day)
    parts.append(f"<br><small>{clock(session.start_time)}–{clock(session.end_time)}</small>")
    if editable:
        parts.append(
            '<br><button type="button" class="all-present" '
            f'hx-post="{_with_id(links["all_present"], session.pk)}" '
            'hx-target="closest th" hx-swap="outerHTML">'
            f'{escape(gettext("Iedereen aanwezig"))}<span class="visually-hidden"> '
            f"{escape(date_format(session.date, 'd-m-Y'))}</span></button>"
        )
    if message := context.get("head_message"):
        error = context.get("head_error")
        parts.append(
            f'<span class="{"errorlist" if error else "helptext"}" '
            f'role="{"alert" if error else "status"}">{escape(message)}</span>'
        )
    parts.append("</th>")
    return mark_safe("".join(parts))  # noqa: S308 (every value in it is escaped or a number)


@register.simple_tag(takes_context=True)
def attendance_rows(context):
    """The grid's rows, one per participant of ``participants``: the reference and birth
    year, a cell per session of ``sessions`` (present when in ``present``, read-only when
    in ``locked_sessions``), and while the series can change (``can_edit``, not
    ``series_locked``) the links to edit the participant and take them out of it."""
    academy_id, locked = context["academy"].pk, context["locked_sessions"]
    columns = [_Column(academy_id, s, s.pk in locked) for s in context["sessions"]]
    present = context["present"]
    actions = None
    if context.get("can_edit") and not context.get("series_locked"):
        links = _grid_links(context)
        back = "?terug=" + escape(urlencode(context["request"].path))
        actions = (
            links["participant_edit"],
            back,
            links["unenrol"],
            escape(gettext("bewerken")),
            escape(gettext("uitschrijven")),
        )
    rows = []
    for p in context["participants"]:
        pk, ref = p.pk, escape(p.ref)
        cells = "".join(c.cell(pk, ref, (c.session_id, pk) in present) for c in columns)
        row = f'<tr><th scope="row">{ref} <small>({p.birth_year})</small></th>\n{cells}'
        if actions:
            edit, back, unenrol, edit_text, unenrol_text = actions
            row += (
                f'<td class="actions"><a href="{_with_id(edit, pk)}{back}">{edit_text}'
                f'<span class="visually-hidden"> {ref}</span></a> · '
                f'<a href="{_with_id(unenrol, pk)}">{unenrol_text}'
                f'<span class="visually-hidden"> {ref}</span></a></td>'
            )
        rows.append(row + "</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value in it is escaped or a number)


@register.filter
def kind_uren(child_minutes) -> Decimal:
    """Child-minutes as KIND-uren with two decimals (exact input, rounded half up)."""
    return as_kind_hours(child_minutes)


@register.filter
def clock(moment) -> str:
    """A session time as HH:MM, with 24:00 for the end of the day."""
    from ..eligibility import clock as as_clock

    return as_clock(moment) if moment else ""


# --- The period page's sessions ---------------------------------------------------------
# One row per session of the page (50): written here once, in Python, instead of a template
# row with an include per session for what it loses.


def _losses(s) -> str:
    """The badges naming what a session (a ``SessionRow`` of the period page) loses."""
    badges = []
    if not s.flemish:
        badges.append(gettext("buiten Vlaanderen"))
    if not s.recognised:
        badges.append(gettext("academie niet erkend op die dag"))
    if s.school_minutes:
        badges.append(gettext("%(m)s min tijdens de schooluren") % {"m": s.school_minutes})
    if s.over_cap_minutes:
        badges.append(gettext("%(m)s min boven het maximum van 8 uur") % {"m": s.over_cap_minutes})
    spans = "".join(f'<span class="badge warn">{escape(text)}</span> ' for text in badges)
    if n := s.outside_age:
        text = ngettext("%(n)s kind buiten 5–18 jaar", "%(n)s kinderen buiten 5–18 jaar", n)
        spans += f'<span class="badge warn">{escape(text % {"n": n})}</span>'
    return spans


@register.simple_tag
def period_session_rows(academy, sessions) -> str:
    """The rows of the period page's session table: date, hours, the series (a link),
    municipality, counted minutes, attendees, eligible ones, KIND-uren and what is lost."""
    series_url = url_around_id("academies:series", academy.pk)
    rows = []
    for s in sessions:
        cells = (
            f'<td class="nowrap">{escape(date_format(s.date, "D d-m-Y"))}</td>'
            f'<td class="nowrap">{clock(s.start_time)}–{clock(s.end_time)}</td>'
            f'<td><a href="{_with_id(series_url, s.series_id)}">'
            f"{escape(s.activity_title)} – {escape(s.series_code)}</a></td>"
            f"<td>{escape(s.municipality_name)}</td>"
            f'<td class="num">{s.counted_minutes}</td>'
            f'<td class="num">{s.attendees}</td>'
            f'<td class="num">{s.eligible_attendees}</td>'
            f'<td class="num">{floatformat(kind_uren(s.earned), 2)}</td>'
            f"\n      <td>{_losses(s)}</td>"
        )
        rows.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value in it is escaped or a number)
