"""Subsidy pages: staff manage periods and runs; academies download their letters."""

import tempfile
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from academies.selectors.organisation import academy_names
from academies.selectors.periods import has_school_holidays
from stemnet.decorators import staff_required
from stemnet.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx
from stemnet.periods import HalfYear

from . import services, whatif
from .forms import ParametersForm, ReasonForm
from .models import PeriodStatus
from .selectors import (
    academies_without_iban,
    academies_without_letter,
    awards_of,
    exclusions_of,
    letters_for_user,
    letters_progress,
    period_reports_page,
    periods,
    run_is_stale,
    run_totals,
    run_view,
)
from .services import SubsidyError


def _period(code):
    return get_object_or_404(periods(), reporting_period__code=code)


@staff_required
def period_list(request):
    if request.method == "POST":
        try:
            period = services.ensure_period(HalfYear.parse(request.POST.get("code", "")).code)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            return redirect(period)
    return render(request, "subsidies/period_list.html", {"periods": periods()})


def _live_context(period, request=None) -> dict:
    """What the parts of the period page that a job changes need: the status badge, the
    job's progress, the next step and the results."""
    run = period.approved_run or period.runs.first()
    page = request.GET.get("pagina") if request is not None else None
    letters = letters_progress(period)
    return {
        "period": period,
        "run": run,
        "run_view": run_view(run),
        "runs": [run_view(r) for r in period.runs.select_related("started_by")[:10]],
        "stale": run_is_stale(period, run),
        "awards": Paginator(awards_of(run), 50).get_page(page) if run else None,
        "totals": run_totals(run) if run else None,
        "letters": letters,
        "without_letter": academies_without_letter(period)
        if letters and not letters.complete
        else (),
        "without_iban": academies_without_iban(period),
        "Status": PeriodStatus,
    }


@staff_required
def period_detail(request, code):
    period = _period(code)
    form = ParametersForm(initial=ParametersForm.initial_for(period))
    if request.method == "POST" and request.POST.get("action") == "parameters":
        form = ParametersForm(request.POST)
        if form.is_valid():
            try:
                services.update_parameters(
                    actor=request.user,
                    period=period,
                    values=form.values(),
                    priority_municipalities=form.cleaned_data["priority_refnis"],
                )
            except SubsidyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Parameters bewaard."))
                return redirect(period)
    reports, submitted = period_reports_page(period, request.GET.get("rapporten"))
    return render(
        request,
        "subsidies/period_detail.html",
        {
            **_live_context(period, request),
            "form": form,
            "reason_form": ReasonForm(),
            "reports": reports,
            "submitted_count": submitted,
            "exclusions": exclusions_of(period),
            "holidays_missing": not has_school_holidays(
                period.reporting_period.start_date, period.reporting_period.end_date
            ),
        },
    )


@staff_required
@require_GET
def period_progress(request, code):
    """htmx, polled while a calculation or the letters are under way: the progress; once
    the job is over also the status badge, the next step and the results (out of band)."""
    period = _period(code)
    return render(request, "subsidies/partials/period_progress.html", _live_context(period))


@staff_required
@require_POST
def period_transition(request, code, to):
    period = _period(code)
    if to == PeriodStatus.APPROVED and not request.POST.get("confirm"):
        messages.error(
            request, _("Vink de bevestiging aan: goedgekeurde bedragen liggen definitief vast.")
        )
        return redirect(period)
    if to == PeriodStatus.CLOSED and not request.POST.get("confirm"):
        messages.error(
            request,
            _(
                "Vink de bevestiging aan: na het afsluiten kunnen academies hun gegevens van "
                "deze periode niet meer wijzigen."
            ),
        )
        return redirect(period)
    try:
        services.transition(
            actor=request.user, period=period, to=to, reason=request.POST.get("reason", "")
        )
    except SubsidyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Periode %(code)s: %(status)s.") % {"code": code, "status": PeriodStatus(to).label},
        )
    return redirect(period)


@staff_required
@require_POST
def start_run(request, code):
    period = _period(code)
    try:
        services.start_run(actor=request.user, period=period)
    except SubsidyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Berekening gestart."))
    return redirect(period)


WHAT_IF_PAGE_SIZE = 50


@staff_required
@require_POST
def what_if(request, code):
    """htmx: the distribution for the submitted parameters, without storing anything."""
    period = _period(code)
    form = ParametersForm(request.POST)
    if not form.is_valid():
        # 200, not 422: htmx swaps only successful responses in, and the errors must show.
        return render(request, "subsidies/partials/what_if.html", {"form": form})
    current, outcome = whatif.simulate(period, form.overrides())
    rows = whatif.compare(current, outcome)
    # Every academy, a page at a time: the summary and the chart cover them all.
    page = Paginator(rows, WHAT_IF_PAGE_SIZE).get_page(request.POST.get("wat_pagina"))
    names = academy_names(r.academy_id for r in page)
    municipalities = {g for a in outcome.awards for g in a.child_minutes_by_municipality}
    return render(
        request,
        "subsidies/partials/what_if.html",
        {
            "period": period,
            "outcome": outcome,
            "rows": page,
            "names": names,
            "bars": whatif.distribution([a.amount_cents for a in outcome.awards]),
            "changed": sum(1 for r in rows if r.change_cents),
            "municipalities": len(municipalities),
            "form": form,
        },
    )


@staff_required
@require_POST
def send_letters(request, code):
    period = _period(code)
    if not request.POST.get("confirm"):
        messages.error(
            request, _("Vink de bevestiging aan: de academies krijgen een e-mail over hun brief.")
        )
        return redirect(period)
    again = period.status == PeriodStatus.LETTERS_SENT
    try:
        n = services.send_letters(actor=request.user, period=period)
    except SubsidyError as error:
        messages.error(request, str(error))
    else:
        if again:
            text = ngettext(
                "%(n)s brief wordt opnieuw opgemaakt; het bedrag blijft hetzelfde.",
                "%(n)s brieven worden opnieuw opgemaakt; de bedragen blijven dezelfde.",
                n,
            )
        else:
            text = ngettext(
                "%(n)s brief wordt opgemaakt; de academie krijgt een e-mail.",
                "%(n)s brieven worden opgemaakt; de academies krijgen een e-mail.",
                n,
            )
        messages.success(request, text % {"n": n})
    return redirect(period)


@staff_required
@require_POST
def retry_letters(request, code):
    """Make the letters that do not exist yet (failed or interrupted), and only those."""
    period = _period(code)
    try:
        n = services.send_letters(actor=request.user, period=period, only_missing=True)
    except SubsidyError as error:
        messages.error(request, str(error))
    else:
        if n:
            messages.success(
                request,
                ngettext(
                    "%(n)s ontbrekende brief wordt opnieuw opgemaakt.",
                    "%(n)s ontbrekende brieven worden opnieuw opgemaakt.",
                    n,
                )
                % {"n": n},
            )
        else:
            messages.info(request, _("Alle brieven bestaan al."))
    return redirect(period)


def _held_back(request, period):
    """The payment export and the ZIP wait until every letter exists: a redirect to the
    period page saying which are missing, or None."""
    missing = list(academies_without_letter(period))
    if not missing:
        return None
    names = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
    messages.error(
        request,
        _(
            "Nog niet alle brieven bestaan; de betalingsexport en de ZIP komen beschikbaar "
            "zodra ze er allemaal zijn. Ontbreekt: %(names)s."
        )
        % {"names": names},
    )
    return redirect(period)


EXPORT_HEADER = ["kbo", "naam", "iban", "bedrag_eur", "referentie"]


def _export_rows(period):
    for award in awards_of(period.approved_run).order_by("academy__name", "academy_id"):
        yield [
            award.academy.enterprise_number,
            award.academy.name,
            award.academy.iban,
            f"{award.amount_cents // 100}.{award.amount_cents % 100:02d}",
            award.reference,
        ]


@staff_required
def export_awards(request, code, fmt):
    period = _period(code)
    if period.approved_run_id is None:
        raise Http404
    if held := _held_back(request, period):
        return held
    if fmt == "xlsx":
        content = write_xlsx(_export_rows(period), EXPORT_HEADER, f"betalingen {code}")
        content_type = XLSX_CONTENT_TYPE
    else:
        content, content_type = write_csv(_export_rows(period), EXPORT_HEADER), CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="betalingen-{code}.{fmt}"'
    return response


@staff_required
def letters_zip(request, code):
    """All letters of the approved run in one ZIP, spooled to disk above a few MB (1,300
    letters are tens of MB). PDFs are compressed already: stored, not deflated."""
    period = _period(code)
    if period.approved_run_id is None:
        raise Http404
    if held := _held_back(request, period):
        return held
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        for letter in letters_for_user(request.user).filter(award__run=period.approved_run_id):
            with letter.file.open("rb") as handle:
                archive.writestr(f"{letter.award.reference}.pdf", handle.read())
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"brieven-{code}.zip", content_type="application/zip"
    )


@login_required
def my_letters(request):
    letters = letters_for_user(request.user).order_by(
        "-award__run__period__reporting_period__start_date", "award__academy__name", "pk"
    )
    page = Paginator(letters, 50).get_page(request.GET.get("pagina"))
    return render(request, "subsidies/my_letters.html", {"letters": page})


@login_required
def letter_download(request, pk):
    """Only through this view, after the scope check: letters are never served by URL."""
    letter = get_object_or_404(letters_for_user(request.user), pk=pk)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=f"{letter.award.reference}.pdf",
        content_type="application/pdf",
    )
