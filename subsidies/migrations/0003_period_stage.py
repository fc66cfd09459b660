# Whether reporting is closed is stored once, on the reporting period: the subsidy period
# keeps only the stages after it (calculated, approved, letters sent); its status is derived.

from django.db import migrations, models
from django.utils import timezone


def status_to_stage(apps, schema_editor):
    Period = apps.get_model("subsidies", "Period")
    for period in Period.objects.select_related("reporting_period"):
        if period.status in ("calculated", "approved", "letters_sent"):
            period.stage = period.status
            period.save(update_fields=["stage"])
        reporting = period.reporting_period
        if period.status != "open" and reporting.closed_at is None:
            reporting.closed_at = timezone.now()
            reporting.save(update_fields=["closed_at"])


def stage_to_status(apps, schema_editor):
    Period = apps.get_model("subsidies", "Period")
    for period in Period.objects.select_related("reporting_period"):
        closed = period.reporting_period.closed_at is not None
        period.status = period.stage or ("closed" if closed else "open")
        period.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [
        ("academies", "0003_recognition_withdrawn_private_files"),
        ("stemnet", "0001_initial"),
        ("subsidies", "0002_freeze_approved_amounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="period",
            name="stage",
            field=models.CharField(
                blank=True,
                choices=[
                    ("calculated", "Berekend (ontwerp)"),
                    ("approved", "Goedgekeurd"),
                    ("letters_sent", "Brieven verstuurd"),
                ],
                default="",
                max_length=20,
                verbose_name="fase",
            ),
        ),
        migrations.RunPython(status_to_stage, stage_to_status),
        migrations.RemoveConstraint(
            model_name="period",
            name="period_approved_run_only_when_approved",
        ),
        migrations.RemoveField(
            model_name="period",
            name="status",
        ),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("approved_run__isnull", True),
                    ("stage__in", ["approved", "letters_sent"]),
                    _connector="OR",
                ),
                name="period_approved_run_only_when_approved",
            ),
        ),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage__in", ["", "calculated", "approved", "letters_sent"])),
                name="period_stage_known",
            ),
        ),
    ]
