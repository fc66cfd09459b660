"""Award pages (the trace from euros to sessions), objections, corrections and the year
budget. Parse, call a service or selector, render; the rules are in ``objections``."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from academies.permissions import is_admin
from stemnet.decorators import staff_required
from stemnet.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx
from stemnet.forms import format_dutch_decimal
from stemnet.roles import has_staff_powers

from . import awards, objections
from .award_forms import (
    CorrectionForm,
    DecisionForm,
    MessageForm,
    ObjectionDaysForm,
    ObjectionForm,
    YearBudgetForm,
)
from .correction_letters import correction_pdf
from .models import Correction, Objection, ObjectionState
from .selectors import periods
from .services import SubsidyError


def _award(request, pk):
    qs = awards.awards_for_user(request.user)
    if not has_staff_powers(request.user):
        qs = qs.filter(run__period__approved_run=F("run"))  # academies see approved awards
    return get_object_or_404(qs, pk=pk)


def _objection_state(award, user) -> dict:
    deadline = objections.deadline_of(award)
    today = timezone.localdate()
    open_one = award.objections.filter(
        state__in=[ObjectionState.SUBMITTED, ObjectionState.QUESTIONED]
    ).first()
    return {
        "deadline": deadline,
        "deadline_passed": deadline is not None and today > deadline,
        "open_objection": open_one,
        "may_object": (
            awards.is_frozen(award)
            and deadline is not None
            and today <= deadline
            and open_one is None
            and is_admin(user, award.academy_id)
        ),
    }


@login_required
@require_GET
def award_detail(request, pk):
    award = _award(request, pk)
    context = awards.award_context(award)
    totals = awards.trace_totals(award)
    context |= {
        "trace": totals,
        "trace_earned": {g: m["earned"] for g, m in totals["municipalities"].items()},
        "not_awarded": sorted(
            g
            for g in totals["municipalities"]
            if g not in {line.municipality_id for line in context["lines"]}
        ),
        "objections": award.objections.order_by("-filed_at", "-pk"),
        "is_staff": has_staff_powers(request.user),
        **_objection_state(award, request.user),
    }
    return render(request, "subsidies/award_detail.html", context)


@login_required
@require_GET
def award_municipality(request, pk, refnis):
    from stemnet.models import Municipality

    award = _award(request, pk)
    rows = awards.session_rows(award, municipality_id=refnis)
    line = award.lines.filter(municipality_id=refnis).first()
    if not rows and line is None:
        raise Http404
    return render(
        request,
        "subsidies/award_municipality.html",
        {
            "award": award,
            "municipality": get_object_or_404(Municipality, pk=refnis),
            "line": line,
            "rows": Paginator(rows, 100).get_page(request.GET.get("pagina")),
            "earned": sum(r.earned for r in rows),
            "frozen": awards.is_frozen(award),
        },
    )


@login_required
@require_GET
def award_session(request, pk, session_id):
    award = _award(request, pk)
    rows = awards.session_rows(award, session_id=session_id)
    if not rows:
        raise Http404
    return render(
        request,
        "subsidies/award_session.html",
        {"award": award, "row": rows[0], "frozen": awards.is_frozen(award)},
    )


@login_required
def objection_new(request, pk):
    award = _award(request, pk)
    if not is_admin(request.user, award.academy_id):
        raise PermissionDenied
    form = ObjectionForm()
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                objection = objections.file_objection(
                    actor=request.user,
                    award=award,
                    reason=form.cleaned_data["reason"],
                    uploads=form.uploads(),
                )
            except SubsidyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Uw bezwaar is ingediend. VLAIO behandelt het en laat u iets weten.")
                )
                return redirect("subsidies:objection", objection.pk)
    return render(
        request,
        "subsidies/objection_form.html",
        {"award": award, "form": form, **_objection_state(award, request.user)},
    )


STAFF_ACTIONS = ("ask", "grant", "partly", "refuse")


@login_required
def objection_detail(request, pk):
    objection = get_object_or_404(awards.objections_for_user(request.user), pk=pk)
    staff = has_staff_powers(request.user)
    admin = is_admin(request.user, objection.academy_id)
    message_form, decision_form = MessageForm(), DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not ((staff and action in STAFF_ACTIONS) or (admin and action == "answer")):
            raise PermissionDenied
        if action in objections.DECISIONS:
            decision_form = DecisionForm(request.POST)
            form, field = decision_form, "motivation"
        else:
            message_form = MessageForm(request.POST)
            form, field = message_form, "text"
        if form.is_valid():
            try:
                objections.objection_step(
                    actor=request.user,
                    objection=objection,
                    action=action,
                    text=form.cleaned_data[field],
                )
            except SubsidyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Bewaard: %(state)s.")
                    % {"state": Objection.objects.get(pk=objection.pk).get_state_display()},
                )
                return redirect("subsidies:objection", objection.pk)
    steps = {a for (state, a) in objections.OBJECTION_STEPS if state == objection.state}
    return render(
        request,
        "subsidies/objection_detail.html",
        {
            "objection": objection,
            "award": objection.award,
            "messages_list": objection.messages.select_related("author"),
            "attachments": objection.attachments.all(),
            "corrections": objection.corrections.all(),
            "message_form": message_form,
            "decision_form": decision_form,
            "may_ask": staff and "ask" in steps,
            "may_decide": staff and bool(steps & set(objections.DECISIONS)),
            "may_answer": admin and "answer" in steps,
            "may_correct": staff
            and objection.state in (ObjectionState.GRANTED, ObjectionState.PARTLY),
            "is_staff": staff,
        },
    )


@login_required
@require_GET
def objection_attachment(request, pk, attachment_pk):
    objection = get_object_or_404(awards.objections_for_user(request.user), pk=pk)
    attachment = get_object_or_404(objection.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_GET
def correction_letter(request, pk):
    correction = get_object_or_404(awards.corrections_for_user(request.user), pk=pk)
    response = HttpResponse(correction_pdf(correction), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{correction.reference}.pdf"'
    return response


# --- Staff -------------------------------------------------------------------------------


@staff_required
@require_GET
def objection_list(request):
    decided = (
        Objection.objects.exclude(state__in=[ObjectionState.SUBMITTED, ObjectionState.QUESTIONED])
        .select_related("academy", "award__run__period__reporting_period")
        .order_by("-decided_at", "-pk")[:20]
    )
    return render(
        request,
        "subsidies/objection_list.html",
        {
            "open": Paginator(awards.open_objections(), 50).get_page(request.GET.get("pagina")),
            "decided": decided,
            "today": timezone.localdate(),
        },
    )


@staff_required
def correction_new(request, pk):
    award = get_object_or_404(awards.awards_for_user(request.user), pk=pk)
    period = award.run.period
    if period.approved_run_id != award.run_id:
        raise Http404
    objection = None
    objection_id = request.GET.get("bezwaar") or request.POST.get("bezwaar")
    if objection_id and str(objection_id).isdigit():
        objection = Objection.objects.filter(pk=objection_id, award=award).first()
    form = CorrectionForm()
    needs_confirmation = False
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                correction = objections.issue_correction(
                    actor=request.user,
                    period=period,
                    academy=award.academy,
                    amount_cents=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    objection=objection,
                    confirm_reason=form.cleaned_data["confirm_reason"],
                )
            except objections.NeedsConfirmation as error:
                needs_confirmation = True
                form.add_error("confirm_reason", str(error))
            except SubsidyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Herziening %(ref)s genomen; de academie krijgt een e-mail.")
                    % {"ref": correction.reference},
                )
                return redirect("subsidies:award", award.pk)
    context = awards.award_context(award)
    return render(
        request,
        "subsidies/correction_form.html",
        {**context, "form": form, "objection": objection, "needs_confirmation": needs_confirmation},
    )


CORRECTIONS_HEADER = ["kbo", "naam", "iban", "verschil_eur", "referentie", "toekenning", "reden"]


def _correction_rows(period):
    from .models import Award

    references = dict(
        Award.objects.filter(run=period.approved_run_id).values_list("academy_id", "reference")
    )
    for c in (
        Correction.objects.filter(period=period)
        .select_related("academy")
        .order_by("decided_at", "pk")
    ):
        yield [
            c.academy.enterprise_number,
            c.academy.name,
            c.academy.iban,
            # A number, not text: safe_cell would neutralise a leading minus sign.
            (Decimal(c.amount_cents) / 100).quantize(Decimal("0.01")),
            c.reference,
            references.get(c.academy_id, ""),
            c.reason,
        ]


@staff_required
@require_GET
def export_corrections(request, code, fmt):
    period = get_object_or_404(periods(), reporting_period__code=code)
    if period.approved_run_id is None:
        raise Http404
    if fmt == "xlsx":
        content = write_xlsx(_correction_rows(period), CORRECTIONS_HEADER, f"herzieningen {code}")
        content_type = XLSX_CONTENT_TYPE
    else:
        content = write_csv(_correction_rows(period), CORRECTIONS_HEADER)
        content_type = CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="herzieningen-{code}.{fmt}"'
    return response


@staff_required
def budget(request):
    raw = request.GET.get("jaar", "")
    year = int(raw) if raw.isdigit() and 2014 <= int(raw) <= 2100 else timezone.localdate().year
    view = awards.budget_of_year(year)
    budget = view["budget_cents"]
    shown = "" if budget is None else format_dutch_decimal(Decimal(budget) / 100)
    form = YearBudgetForm(initial={"year": year, "budget": shown})
    if request.method == "POST":
        form = YearBudgetForm(request.POST)
        if form.is_valid():
            try:
                objections.set_year_budget(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    budget_cents=form.cleaned_data["budget"],
                )
            except SubsidyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Budget bewaard."))
                return redirect(
                    reverse("subsidies_staff:budget") + f"?jaar={form.cleaned_data['year']}"
                )
    return render(
        request,
        "subsidies/budget.html",
        {**view, "form": form, "previous": year - 1, "next": year + 1},
    )


@staff_required
@require_POST
def objection_days(request, code):
    period = get_object_or_404(periods(), reporting_period__code=code)
    form = ObjectionDaysForm(request.POST)
    if form.is_valid():
        try:
            objections.set_objection_days(
                actor=request.user, period=period, days=form.cleaned_data["days"]
            )
        except SubsidyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Bezwaartermijn van %(code)s: %(n)s dagen na de brief.")
                % {"code": code, "n": form.cleaned_data["days"]},
            )
    else:
        messages.error(request, _("Geef een termijn van 0 tot 365 dagen."))
    year = period.reporting_period.start_date.year
    return redirect(reverse("subsidies_staff:budget") + f"?jaar={year}")
