"""Approved amounts never change (domain.md, Periods), enforced by PostgreSQL itself: no
award or award line of an approved run can be inserted, changed or deleted, and a period's
approved run cannot be swapped or removed. Other databases (SQLite in development) rely on
the services and the read-only admin."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION subsidies_refuse_approved_change() RETURNS trigger AS $$
DECLARE
    run bigint;
BEGIN
    IF TG_TABLE_NAME = 'subsidies_period' THEN
        IF OLD.approved_run_id IS NOT NULL
           AND NEW.approved_run_id IS DISTINCT FROM OLD.approved_run_id THEN
            RAISE EXCEPTION 'approved run of period % is frozen', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'subsidies_award' THEN
        run := CASE WHEN TG_OP = 'INSERT' THEN NEW.run_id ELSE OLD.run_id END;
    ELSE
        SELECT a.run_id INTO run FROM subsidies_award a
        WHERE a.id = CASE WHEN TG_OP = 'INSERT' THEN NEW.award_id ELSE OLD.award_id END;
    END IF;
    IF EXISTS (SELECT 1 FROM subsidies_period p WHERE p.approved_run_id = run) THEN
        RAISE EXCEPTION 'amounts of approved run % are frozen', run
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER subsidies_award_frozen BEFORE INSERT OR UPDATE OR DELETE ON subsidies_award
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();
CREATE TRIGGER subsidies_awardline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON subsidies_awardline
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();
CREATE TRIGGER subsidies_period_frozen BEFORE UPDATE ON subsidies_period
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();
"""

BACKWARD = """
DROP TRIGGER subsidies_period_frozen ON subsidies_period;
DROP TRIGGER subsidies_awardline_frozen ON subsidies_awardline;
DROP TRIGGER subsidies_award_frozen ON subsidies_award;
DROP FUNCTION subsidies_refuse_approved_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
