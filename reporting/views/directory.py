"""The staff academy directory: every academy, searchable and filterable, with its
recognition, members, KIND-uren and awards of the recent periods."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from stemnet.decorators import staff_required
from stemnet.models import FLEMISH_REGION, Province

from .. import directory

PER_PAGE = 25


@staff_required
@require_GET
def academy_directory(request):
    today = timezone.localdate()
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in directory.STATUSES else ""
    province = request.GET.get("provincie", "")
    partnerships = list(directory.partnerships())
    chosen = next((p for p in partnerships if str(p.pk) == request.GET.get("partnerschap")), None)
    academies = directory.directory_academies(
        search=search, status=status, province=province, partnership=chosen, today=today
    )
    page = Paginator(academies, PER_PAGE).get_page(request.GET.get("pagina"))
    periods = directory.recent_periods(today)
    rows = directory.directory_rows(page.object_list, today=today, periods=periods)
    query = urlencode(
        [
            (k, v)
            for k, v in [
                ("q", search),
                ("status", status),
                ("provincie", province),
                ("partnerschap", chosen.pk if chosen else ""),
            ]
            if v
        ]
    )
    return render(
        request,
        "reporting/academy_directory.html",
        {
            "page": page,
            "rows": rows,
            "periods": [p.code for p in periods],
            "search": search,
            "status": status,
            "province": province,
            "partnership": chosen,
            "partnerships": partnerships,
            "provinces": Province.objects.filter(region=FLEMISH_REGION),
            "statuses": directory.STATUS_LABELS,
            "lapsing_days": directory.LAPSING_DAYS,
            "query": query,
        },
    )
