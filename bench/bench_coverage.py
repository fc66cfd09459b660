"""Coverage of all of Flanders (and of one partnership's region): the page's server time,
p50 and p95 over repeated requests, against the bare SQL aggregate of the same figures per
municipality (a hand-written query over the same tables) measured in the same run."""

from datetime import date

from django.db import connection, transaction
from django.test import Client

from academies.kind_hours import reach_by_municipality
from bench.timing import p50_p95, table, timed

REACH_SQL = """
SELECT s.municipality_id,
       COUNT(DISTINCT s.academy_id), COUNT(DISTINCT sr.activity_id), COUNT(DISTINCT s.series_id),
       COUNT(DISTINCT s.id), SUM(s.counted_minutes), COUNT(DISTINCT a.participant_id)
FROM academies_attendance a
JOIN academies_session s ON s.id = a.session_id
JOIN academies_series sr ON sr.id = s.series_id
JOIN academies_participant p ON p.id = a.participant_id
JOIN stemnet_municipality m ON m.refnis = s.municipality_id
WHERE s.date BETWEEN %s AND %s
  AND s.counted_minutes > 0
  AND m.region = '02000'
  AND {year}(s.date) - p.birth_year BETWEEN 5 AND 18
  AND EXISTS (SELECT 1 FROM academies_recognition r
              WHERE r.academy_id = s.academy_id AND r.valid_from <= s.date
                AND (r.valid_until IS NULL OR r.valid_until >= s.date))
GROUP BY s.municipality_id
ORDER BY s.municipality_id
"""


def _bare(start, end):
    if connection.vendor == "postgresql":
        sql = REACH_SQL.replace("{year}(s.date)", "EXTRACT(YEAR FROM s.date)::int")
    else:
        sql = REACH_SQL.replace("{year}(s.date)", "CAST(strftime('%%Y', s.date) AS INTEGER)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return cursor.fetchall()


def run(args) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from partnerships.models import Partnership
    from reporting.maps import canton_map
    from stemnet.models import Municipality
    from tests.clients import record_mfa_in_session

    start, end = date(2016, 1, 1), date(2016, 6, 30)
    n = max(20, args.repeat * 10)
    canton_map()  # built (or read from its cache file) once per process, not per request
    rows = _bare(start, end)
    orm = reach_by_municipality(start, end)
    assert [
        (code, r.academies, r.activities, r.series, r.sessions, r.child_minutes, r.children)
        for code, r in orm.items()
    ] == [tuple(row) for row in rows], "ORM and hand-written SQL disagree"

    with transaction.atomic():
        user = get_user_model().objects.create(username="bench-coverage", email="bench@x.org")
        user.groups.add(Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)[0])
        TOTP.activate(user, generate_totp_secret())
        region = Partnership.objects.create(name="Bench Oost-Vlaanderen")
        region.municipalities.add(*Municipality.objects.flemish().filter(province="40000"))
        region.leads.add(user)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        record_mfa_in_session(client, user)  # staff powers need a session that passed MFA
        flanders_url = "/staff/dekking/?periode=2016-1"
        region_url = f"/dekking/partnerschap/{region.pk}/?periode=2016-1&gebied=gent-1"
        assert client.get(flanders_url).status_code == 200  # warm up session and caches
        assert client.get(region_url).status_code == 200
        sizes = {}
        samples = {}
        # Interleave, so that load from other processes hits both alike.
        bare, page, reg = [], [], []
        for _ in range(n):
            bare.append(timed(lambda: _bare(start, end))[0])
            s, response = timed(lambda: client.get(flanders_url))
            page.append(s)
            sizes["flanders"] = len(response.content)
            s, response = timed(lambda: client.get(region_url))
            reg.append(s)
            sizes["region"] = len(response.content)
        # The first request after a change of the period's data computes the figures again
        # (reporting.figure_cache): timed with the cache emptied.
        from django.core.cache import cache

        cold = []
        for _ in range(max(3, n // 5)):
            cache.clear()
            cold.append(timed(lambda: client.get(flanders_url))[0])
        samples = {"bare": bare, "flanders": page, "region": reg, "cold": cold}
        transaction.set_rollback(True)

    b50, b95 = p50_p95(samples["bare"])
    f50, f95 = p50_p95(samples["flanders"])
    r50, r95 = p50_p95(samples["region"])
    c50, c95 = p50_p95(samples["cold"])
    reached = sum(1 for r in orm.values() if r.child_minutes > 0)
    print(
        f"2016-1: {reached} municipalities reached; {n} requests each; page sizes "
        f"{sizes['flanders'] // 1024} KB (Flanders), {sizes['region'] // 1024} KB (region) "
        f"({connection.vendor})"
    )
    table(
        [
            ("reach per municipality, bare SQL aggregate, p50", b50, None),
            ("reach per municipality, bare SQL aggregate, p95", b95, None),
            ("coverage page, all of Flanders, p50", f50, b50),
            ("coverage page, all of Flanders, p95", f95, b95),
            ("coverage page, region Oost-Vlaanderen, p50", r50, b50),
            ("coverage page, region Oost-Vlaanderen, p95", r95, b95),
            ("coverage page, Flanders, figures computed, p50", c50, b50),
            ("coverage page, Flanders, figures computed, p95", c95, b95),
        ]
    )
