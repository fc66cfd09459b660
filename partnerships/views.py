"""Partnership pages (leads and staff) and municipal demand (municipalities, academies,
leads, staff). Parse → check → call a service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stemnet.decorators import staff_required
from stemnet.roles import has_staff_powers

from . import permissions, selectors, services
from .forms import BudgetForm, MemberForm, OfferForm, PartnershipForm, RequestForm
from .models import (
    MemberKind,
    MunicipalRequest,
    Offer,
    Partnership,
    PartnershipMember,
    RequestStatus,
)
from .services import PartnershipError


def _require(result):
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def _partnership(request, pk):
    try:
        return selectors.partnership_for_page(request.user, pk)
    except Partnership.DoesNotExist as error:
        raise Http404 from error


@require_GET
@login_required
def home(request):
    partnerships = selectors.partnerships_for_user(request.user)
    return render(
        request,
        "partnerships/home.html",
        {
            "partnerships": partnerships,
            "can_create": permissions.can_create_partnership(request.user)[0],
        },
    )


@require_GET
@login_required
def detail(request, pk):
    partnership = _partnership(request, pk)
    user = request.user
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "coverage": selectors.region_coverage(partnership),
            "missing": selectors.missing_kinds(partnership),
            "member_form": MemberForm(),
            "budget_form": BudgetForm(),
            "can_manage": permissions.can_manage_members(user, partnership)[0],
            "can_edit": permissions.can_edit_partnership(user, partnership)[0],
            "Kind": MemberKind,
        },
    )


@staff_required
def edit(request, pk=None):
    partnership = None
    if pk is not None:
        partnership = get_object_or_404(Partnership, pk=pk)
    initial = PartnershipForm.initial_for(partnership) if partnership else None
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.save_partnership(
                actor=request.user,
                partnership=partnership,
                values=form.values(),
                municipalities=form.cleaned_data["municipalities"],
                lead_emails=form.emails(),
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Partnerschap bewaard."))
            return redirect(partnership)
    return render(request, "partnerships/edit.html", {"form": form, "partnership": partnership})


@login_required
@require_POST
def add_member(request, pk):
    partnership = _partnership(request, pk)
    _require(permissions.can_manage_members(request.user, partnership))
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(actor=request.user, partnership=partnership, **form.cleaned_data)
        except PartnershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Partner toegevoegd."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "coverage": selectors.region_coverage(partnership),
            "missing": selectors.missing_kinds(partnership),
            "member_form": form,
            "budget_form": BudgetForm(),
            "can_manage": True,
            "can_edit": permissions.can_edit_partnership(request.user, partnership)[0],
            "Kind": MemberKind,
        },
        status=400,
    )


@login_required
def remove_member(request, pk, member_pk):
    partnership = _partnership(request, pk)
    member = get_object_or_404(PartnershipMember, pk=member_pk, partnership=partnership)
    _require(permissions.can_manage_members(request.user, partnership))
    if request.method == "POST":
        services.remove_member(actor=request.user, member=member)
        messages.success(request, _("Partner verwijderd."))
        return redirect(partnership)
    return render(
        request, "partnerships/remove_member.html", {"partnership": partnership, "member": member}
    )


@login_required
@require_POST
def budget(request, pk):
    partnership = _partnership(request, pk)
    _require(permissions.can_manage_budget(request.user, partnership))
    form = BudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een academie."))
        return redirect(partnership)
    included = request.POST.get("action") != "remove"
    services.set_budget_academy(
        actor=request.user,
        partnership=partnership,
        academy=form.cleaned_data["academy"],
        included=included,
    )
    if included:
        messages.success(
            request,
            _(
                "Academie toegevoegd aan het budget. Zolang het project met subsidie loopt, "
                "krijgt ze geen subsidie op zaainiveau."
            ),
        )
    else:
        messages.success(request, _("Academie uit het budget gehaald."))
    return redirect(partnership)


# --- Municipal demand --------------------------------------------------------------------


@require_GET
@login_required
def requests(request):
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    municipality = request.GET.get("gemeente", "").strip()
    qs = selectors.filter_requests(
        selectors.requests_for_user(request.user), status=status, municipality=municipality
    )
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "partnerships/requests.html",
        {
            "page": page,
            "status": status,
            "municipality": municipality,
            "statuses": RequestStatus.choices,
            "can_file": permissions.can_file_request(request.user)[0],
            "query": urlencode({"status": status, "gemeente": municipality}),
        },
    )


@login_required
def new_request(request):
    _require(permissions.can_file_request(request.user))
    represented = (
        None
        if has_staff_powers(request.user)
        else (permissions.municipalities_represented(request.user))
    )
    form = RequestForm(request.POST or None, municipalities=represented)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.file_request(actor=request.user, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Uw vraag is ingediend. Academies in de buurt zien ze nu."))
            return redirect(created)
    return render(request, "partnerships/request_form.html", {"form": form})


@login_required
def request_detail(request, pk):
    try:
        item = selectors.request_for_page(request.user, pk)
    except MunicipalRequest.DoesNotExist as error:
        raise Http404 from error
    user = request.user
    academy_ids = sorted(
        permissions.academy_ids_of(user) - {o.academy_id for o in item.offers.all()}
    )
    form = OfferForm(request.POST or None, academy_ids=academy_ids)
    if request.method == "POST":
        _require(permissions.can_offer(user, item))
        if form.is_valid():
            try:
                services.make_offer(actor=user, request=item, **form.cleaned_data)
            except PartnershipError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Uw aanbod is verstuurd naar de gemeente."))
                return redirect(item)
    offers = [(offer, permissions.can_decide_offer(user, offer)[0]) for offer in item.offers.all()]
    return render(
        request,
        "partnerships/request_detail.html",
        {
            "item": item,
            "offers": offers,
            "form": form if academy_ids and permissions.can_offer(user, item)[0] else None,
            "can_withdraw": permissions.can_withdraw_request(user, item)[0],
        },
    )


@login_required
@require_POST
def withdraw_request(request, pk):
    try:
        item = selectors.request_for_page(request.user, pk)
    except MunicipalRequest.DoesNotExist as error:
        raise Http404 from error
    _require(permissions.can_withdraw_request(request.user, item))
    services.withdraw_request(actor=request.user, request=item)
    messages.success(request, _("De vraag is ingetrokken."))
    return redirect(item)


@login_required
@require_POST
def decide_offer(request, pk):
    visible = selectors.requests_for_user(request.user).values("pk")
    offer = get_object_or_404(Offer.objects.select_related("request"), pk=pk, request__in=visible)
    _require(permissions.can_decide_offer(request.user, offer))
    accept = request.POST.get("decision") == "accept"
    services.decide_offer(actor=request.user, offer=offer, accept=accept)
    messages.success(
        request, _("Aanbod aanvaard: de vraag is ingevuld.") if accept else _("Aanbod afgewezen.")
    )
    return redirect(offer.request)
