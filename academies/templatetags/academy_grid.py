from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from ..kind_hours import as_kind_hours

register = template.Library()

# One cell of the attendance grid. The grid has one per participant and session (512 for
# 32 × 16), so its markup is written here once, in Python, instead of through a template
# include per cell: the grid, a toggled cell and the "Iedereen aanwezig" column all use it.
# What a column's cells share is worked out (and escaped) once per column; per cell only
# the participant's id and escaped reference are filled in.


def _url_around_id(viewname: str, *args) -> tuple[str, str]:
    """The URL of ``viewname`` with ``args`` and a last id, escaped and split around that
    id: ``head + str(id) + tail`` is the URL of any id, one reverse() for many links."""
    head, tail = reverse(viewname, args=[*args, 0]).rsplit("/0/", 1)
    return escape(head) + "/", "/" + escape(tail)


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
            self.url = _url_around_id("academies:attendance_toggle", academy_id, session.pk)

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


@register.simple_tag(takes_context=True)
def attendance_cells(context, participant):
    """The cells of one participant's row of the grid: one per session of ``sessions``,
    present when in ``present``, read-only when in ``locked_sessions``."""
    columns = context.render_context.get("attendance_columns")
    if columns is None:
        academy_id, locked = context["academy"].pk, context["locked_sessions"]
        columns = [_Column(academy_id, s, s.pk in locked) for s in context["sessions"]]
        context.render_context["attendance_columns"] = columns
    present, pk, ref = context["present"], participant.pk, escape(participant.ref)
    cells = "".join(c.cell(pk, ref, (c.session_id, pk) in present) for c in columns)
    return mark_safe(cells)  # noqa: S308 (every value in it is escaped or a number)


@register.simple_tag
def is_locked(locked_sessions: set, session) -> bool:
    """Whether the session lies in a closed or submitted period (its cells are read-only)."""
    return session.pk in locked_sessions


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
    """The badges naming what a session (annotated by ``sessions_in_period``) loses."""
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
    series_url = _url_around_id("academies:series", academy.pk)
    rows = []
    for s in sessions:
        activity = s.series.activity
        cells = (
            f'<td class="nowrap">{escape(date_format(s.date, "D d-m-Y"))}</td>'
            f'<td class="nowrap">{clock(s.start_time)}–{clock(s.end_time)}</td>'
            f'<td><a href="{series_url[0]}{s.series_id}{series_url[1]}">'
            f"{escape(activity.title)} – {escape(s.series.code)}</a></td>"
            f"<td>{escape(s.municipality.name)}</td>"
            f'<td class="num">{s.counted_minutes}</td>'
            f'<td class="num">{s.attendees}</td>'
            f'<td class="num">{s.eligible_attendees}</td>'
            f'<td class="num">{floatformat(kind_uren(s.earned), 2)}</td>'
            f"\n      <td>{_losses(s)}</td>"
        )
        rows.append(f"<tr>{cells}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value in it is escaped or a number)
