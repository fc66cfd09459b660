"""Drive the run command's own configuration from a test: no DATABASE_URL, no REDIS_URL,
so SQLite in ``$STEMNET_VAR_DIR/db.sqlite3`` and Kombu's filesystem broker there, exactly as
``./dev.sh run`` starts it. Each command runs in a process of its own and prints one line
of JSON:

    python -m tests.embedded setup N     approved period 2026-1 with N awards
    python -m tests.embedded send        staff send the letters (published to the broker)
    python -m tests.embedded retry       staff retry the missing letters
    python -m tests.embedded status      letters, failures, period status
    python -m tests.embedded inject N    the database refuses the letter of award #N
    python -m tests.embedded uninject    ... and accepts it again
"""

import json
import os
import sys


def _setup(n: int) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from academies.models import Academy
    from stemnet.reference import load_municipalities
    from subsidies import services
    from subsidies.models import Award, AwardLine, CalculationRun, PeriodStatus, RunStatus
    from tests.factories import valid_enterprise_number

    call_command("migrate", verbosity=0, interactive=False)
    load_municipalities()
    period = services.ensure_period("2026-1")
    period.budget_cents = 100_000 * n
    period.save()
    academies = Academy.objects.bulk_create(
        Academy(
            name=f"Academie {i:04d}",
            enterprise_number=valid_enterprise_number(i),
            legal_form="vzw",
            street="Kerkstraat 1",
            postal_code="9000",
            municipality_id="44021",
            email=f"academie{i}@example.org",
            iban="BE68539007547034" if i % 2 else "",
        )
        for i in range(1, n + 1)
    )
    run = CalculationRun.objects.create(
        period=period,
        status=RunStatus.SUCCEEDED,
        progress=100,
        parameters=services.params_json(services.parameters_of(period)),
        total_cents=100_000 * n,
        unspent_cents=0,
    )
    awards = Award.objects.bulk_create(
        Award(
            run=run,
            academy=academy,
            reference=f"STEM-2026-1-{academy.pk:05d}-R{run.pk}",
            child_minutes=600,
            points="10",
            amount_cents=100_000,
        )
        for academy in academies
    )
    AwardLine.objects.bulk_create(
        AwardLine(award=a, municipality_id="44021", child_minutes=600, amount_cents=100_000)
        for a in awards
    )
    rp = period.reporting_period
    rp.closed_at = timezone.now()  # reporting closed, then the stages after it
    rp.save()
    period.stage = PeriodStatus.APPROVED
    period.approved_run = run
    period.save()
    return {"awards": [a.pk for a in awards]}


def _status() -> dict:
    from subsidies.models import AwardLetter, LetterFailure, Period

    period = Period.objects.get(reporting_period__code="2026-1")
    letters = AwardLetter.objects.all()
    return {
        "letters": letters.count(),
        "files": sum(1 for letter in letters if letter.file.storage.exists(letter.file.name)),
        "failures": list(LetterFailure.objects.values_list("award_id", "error")),
        "status": period.status,
    }


def main(argv):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemnet.settings")
    django.setup()
    from django.db import connection

    from subsidies import services
    from subsidies.models import Period

    command = argv[0]
    if command == "setup":
        out = _setup(int(argv[1]))
    elif command in ("send", "retry"):
        period = Period.objects.get(reporting_period__code="2026-1")
        n = services.send_letters(actor=None, period=period, only_missing=command == "retry")
        out = {"requested": n}
    elif command == "status":
        out = _status()
    elif command == "inject":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TRIGGER test_refuse_letter BEFORE INSERT ON subsidies_awardletter "
                f"WHEN NEW.award_id = {int(argv[1])} "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        out = {"injected": int(argv[1])}
    elif command == "uninject":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_letter")
        out = {"injected": None}
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
