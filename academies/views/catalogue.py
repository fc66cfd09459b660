"""Public catalogue of recognised academies, for parents, schools and municipalities."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from stemnet.models import Province

from ..models import Academy


def catalogue(request):
    today = timezone.localdate()
    academies = (
        Academy.objects.filter(
            Q(recognitions__valid_until__isnull=True) | Q(recognitions__valid_until__gte=today),
            recognitions__valid_from__lte=today,
        )
        .select_related("municipality__province")
        .distinct()
        .order_by("name", "id")
    )
    province = request.GET.get("provincie", "")
    if province:
        academies = academies.filter(municipality__province=province)
    search = request.GET.get("q", "").strip()
    if search:
        academies = academies.filter(
            Q(name__icontains=search) | Q(municipality__name__icontains=search)
        )
    page = Paginator(academies, 30).get_page(request.GET.get("pagina"))
    query = "&".join(f"{k}={v}" for k, v in [("provincie", province), ("q", search)] if v)
    return render(
        request,
        "academies/catalogue.html",
        {
            "page": page,
            "provinces": Province.objects.filter(region="02000"),
            "province": province,
            "search": search,
            "query": query,
        },
    )
