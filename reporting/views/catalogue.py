"""Public catalogue (no login): search activities near you, a page per academy and per
activity with where and when, and the UiTdatabank event JSON of public activities."""

import json
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from academies.models import ActivityFormat, StemDomain
from stemnet.models import FLEMISH_REGION, PostalCode, Province

from .. import uitdatabank
from ..catalogue import (
    Search,
    academy_page,
    activity_page,
    cantons,
    flemish_municipalities,
    public_activities,
    resolve_places,
    search_page,
    split_series,
    with_series_and_sessions,
)


def _suggestions(search: Search, places) -> list[tuple[str, str]]:
    """What to try next when nothing matched: each criterion left out, and the canton."""
    tips = []
    if search.place and not search.nearby and not places.unknown_place:
        query = {**search.without("waar"), "waar": search.place, "buurt": "1"}
        tips.append((urlencode(query), _("Zoek ook in de buurt (hetzelfde kanton)")))
    labels = [
        ("leeftijd", search.age, _("Zoek zonder leeftijd")),
        ("domein", search.domain, _("Zoek in alle STEM-domeinen")),
        ("vorm", search.format, _("Zoek in alle vormen")),
        ("kanton", search.canton, _("Zoek in alle kantons")),
        ("provincie", search.province, _("Zoek in alle provincies")),
        ("waar", search.place, _("Zoek overal in Vlaanderen")),
    ]
    for name, value, label in labels:
        if value:
            tips.append((urlencode(search.without(name)), label))
    return tips


@require_GET
def catalogue(request):
    search = Search.from_query(request.GET)
    flemish = flemish_municipalities()
    places = resolve_places(search, flemish)
    page = search_page(search, places, request.GET.get("pagina"))
    today = timezone.localdate()
    for activity in page:
        activity.upcoming, activity.past = split_series(activity.listed_series, today)
    return render(
        request,
        "reporting/catalogue.html",
        {
            "search": search,
            "places": places,
            "page": page,
            "query": urlencode({k: v for k, v in request.GET.items() if k != "pagina" and v}),
            "cantons": cantons(set(flemish)),
            "provinces": Province.objects.filter(region=FLEMISH_REGION),
            "domains": StemDomain.choices,
            "formats": ActivityFormat.choices,
            "suggestions": _suggestions(search, places) if not page.paginator.count else [],
        },
    )


@require_GET
def academy_detail(request, pk):
    academy = academy_page(pk)
    if academy is None:
        raise Http404
    today = timezone.localdate()
    for activity in academy.public_activities:
        activity.upcoming, activity.past = split_series(activity.listed_series, today)
    return render(request, "reporting/catalogue_academy.html", {"academy": academy})


@require_GET
def activity_detail(request, pk):
    activity = activity_page(pk)
    if activity is None:
        raise Http404
    upcoming, past = split_series(activity.listed_series, timezone.localdate())
    return render(
        request,
        "reporting/catalogue_activity.html",
        {"activity": activity, "upcoming": upcoming, "past": past},
    )


def _postal_codes(refnis) -> dict[str, str]:
    codes = {}
    for code, municipality in (
        PostalCode.objects.filter(municipality_id__in=refnis)
        .order_by("code")
        .values_list("code", "municipality_id")
    ):
        codes.setdefault(municipality, code)
    return codes


def _events(request, activities) -> list[dict]:
    activities = list(activities)
    places = {s.municipality_id for a in activities for s in a.listed_series}
    codes = _postal_codes(places)
    events = []
    for activity in activities:
        url = request.build_absolute_uri(
            reverse("reporting:catalogue_activity", args=[activity.pk])
        )
        academy_url = request.build_absolute_uri(
            reverse("reporting:catalogue_academy", args=[activity.academy_id])
        )
        for series in activity.listed_series:
            events.append(
                uitdatabank.event(
                    activity,
                    series,
                    series.listed_sessions,
                    url=url,
                    academy_url=academy_url,
                    postal_code=codes.get(series.municipality_id, ""),
                )
            )
    return events


def _json(data, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def uitdatabank_activity(request, pk):
    """The events (one per series) of one public activity."""
    activity = activity_page(pk)
    if activity is None:
        raise Http404
    return _json(_events(request, [activity]), f"uitdatabank-activiteit-{pk}.json")


@require_GET
def uitdatabank_bulk(request):
    """The events of every public activity, or of one academy's (``?academie=<id>``)."""
    activities = public_activities().order_by("academy_id", "id")
    academy = request.GET.get("academie", "")
    if academy:
        if not academy.isdigit():
            raise Http404
        activities = activities.filter(academy_id=int(academy))
    suffix = f"-academie-{academy}" if academy else ""
    events = _events(request, with_series_and_sessions(activities))
    return _json(events, f"uitdatabank{suffix}.json")
