from django.db import migrations, models

from hamkke.audit import triggers


def reinstall_triggers(apps, schema_editor):
    # SQLite adds this column by rebuilding the table, which drops its triggers: put them back
    # (idempotent on PostgreSQL, where the triggers survive ALTER TABLE).
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_monthlyreview")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="request_id",
            field=models.CharField(blank=True, db_default="", default="", max_length=36, verbose_name="요청 ID"),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
