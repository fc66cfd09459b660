"""Staff set how long children's data is kept and see which years are (to be) erased."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stemnet.decorators import staff_required

from .. import retention
from ..forms import RetentionForm


@staff_required
def retention_page(request):
    """GET: the retention period and every year's state; POST: change the period."""
    current = retention.policy()
    if request.method == "POST":
        form = RetentionForm(request.POST)
        if form.is_valid():
            retention.set_policy(
                actor=request.user,
                years=form.cleaned_data["years"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _(
                    "Bewaartermijn bewaard. De dagelijkse run (03:00) wist de jaren die "
                    "daarmee vervallen zijn."
                ),
            )
            return redirect("reporting:retention")
    else:
        form = RetentionForm(initial={"years": current.years})
    return render(
        request,
        "reporting/retention.html",
        {"form": form, "policy": current, "years": retention.year_statuses()},
    )
