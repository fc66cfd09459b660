from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .selectors import partnerships_for_user, region_coverage


@login_required
def home(request):
    partnerships = partnerships_for_user(request.user)
    return render(request, "partnerships/home.html", {"partnerships": partnerships})


@login_required
def detail(request, pk):
    partnership = get_object_or_404(partnerships_for_user(request.user), pk=pk)
    coverage = region_coverage(partnership)
    return render(
        request,
        "partnerships/detail.html",
        {"partnership": partnership, "coverage": coverage},
    )
