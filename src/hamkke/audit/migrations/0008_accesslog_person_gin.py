from django.db import migrations

INDEX = "accesslog_person_ids"


def create(apps, schema_editor):
    # PostgreSQL only: the viewer's and the access request's "rows about this person" is JSON containment
    # (person_ids @> [id]); without an index it reads every row of the period (bench_access_log: seconds
    # on a month of a metro district). jsonb_path_ops: smaller, and containment is all it is asked.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON audit_accesslog USING gin (person_ids jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_accesslog_viewer_indexes")]
    operations = [migrations.RunPython(create, drop)]
