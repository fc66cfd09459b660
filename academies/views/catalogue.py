"""Public catalogue of recognised academies, for parents, schools and municipalities."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from stemnet.models import FLEMISH_REGION, Province

from ..selectors.recognition import recognised_academies


def catalogue(request):
    academies = recognised_academies()
    province = request.GET.get("provincie", "")
    if province:
        academies = academies.filter(municipality__province_id=province)
    search = request.GET.get("q", "").strip()
    if search:
        academies = academies.filter(
            Q(name__icontains=search) | Q(municipality__name__icontains=search)
        )
    page = Paginator(academies, 30).get_page(request.GET.get("pagina"))
    query = urlencode([(k, v) for k, v in [("provincie", province), ("q", search)] if v])
    return render(
        request,
        "academies/catalogue.html",
        {
            "page": page,
            "provinces": Province.objects.filter(region=FLEMISH_REGION),
            "province": province,
            "search": search,
            "query": query,
        },
    )
