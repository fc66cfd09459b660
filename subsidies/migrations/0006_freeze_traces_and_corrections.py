"""The frozen trace of an approved run (AwardSession) is protected like its awards and
lines: the trigger function of 0002 already looks the run up through ``award_id``, so it
only needs to be attached. A correction is a decision: once stored it is never changed or
deleted (a wrong one is set right by another correction). PostgreSQL only, as in 0002."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER subsidies_awardsession_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON subsidies_awardsession
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();

CREATE FUNCTION subsidies_refuse_correction_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'correction % is a decision and cannot change', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER subsidies_correction_frozen BEFORE UPDATE OR DELETE ON subsidies_correction
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_correction_change();
"""

BACKWARD = """
DROP TRIGGER subsidies_correction_frozen ON subsidies_correction;
DROP FUNCTION subsidies_refuse_correction_change();
DROP TRIGGER subsidies_awardsession_frozen ON subsidies_awardsession;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0005_awards_objections_corrections")]

    operations = [migrations.RunPython(forward, backward)]
