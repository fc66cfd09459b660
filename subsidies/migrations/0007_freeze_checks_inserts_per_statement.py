"""The freeze of approved amounts (0002, 0006) checks inserts once per statement instead of
once per row: a calculation stores its ~1,000 awards and ~2,500 lines in two statements,
and approving a run copies its trace in one, so a row trigger ran its lookup thousands of
times. An AFTER INSERT statement trigger sees the inserted rows as a transition table and
refuses the whole statement, with the same error, when any of them belongs to an approved
run. Changes and deletions keep the row trigger of 0002. PostgreSQL only, as before."""

from django.db import migrations

TABLES = ("award", "awardline", "awardsession")

FUNCTION = """
CREATE FUNCTION subsidies_refuse_approved_insert() RETURNS trigger AS $$
DECLARE
    run bigint;
BEGIN
    IF TG_TABLE_NAME = 'subsidies_award' THEN
        SELECT n.run_id INTO run FROM inserted n
        JOIN subsidies_period p ON p.approved_run_id = n.run_id LIMIT 1;
    ELSE
        SELECT a.run_id INTO run FROM inserted n
        JOIN subsidies_award a ON a.id = n.award_id
        JOIN subsidies_period p ON p.approved_run_id = a.run_id LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'amounts of approved run % are frozen', run
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

PER_STATEMENT = """
DROP TRIGGER subsidies_{t}_frozen ON subsidies_{t};
CREATE TRIGGER subsidies_{t}_frozen BEFORE UPDATE OR DELETE ON subsidies_{t}
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();
CREATE TRIGGER subsidies_{t}_frozen_insert AFTER INSERT ON subsidies_{t}
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION subsidies_refuse_approved_insert();
"""

PER_ROW = """
DROP TRIGGER subsidies_{t}_frozen_insert ON subsidies_{t};
DROP TRIGGER subsidies_{t}_frozen ON subsidies_{t};
CREATE TRIGGER subsidies_{t}_frozen BEFORE INSERT OR UPDATE OR DELETE ON subsidies_{t}
    FOR EACH ROW EXECUTE FUNCTION subsidies_refuse_approved_change();
"""

FORWARD = FUNCTION + "".join(PER_STATEMENT.format(t=t) for t in TABLES)
BACKWARD = "".join(PER_ROW.format(t=t) for t in TABLES) + (
    "DROP FUNCTION subsidies_refuse_approved_insert();"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0006_freeze_traces_and_corrections")]

    operations = [migrations.RunPython(forward, backward)]
