from django.db import migrations

from hamkke.audit import partitions


def forward(apps, schema_editor):
    partitions.partition_table(schema_editor.connection)  # PostgreSQL: by month; SQLite: nothing to do


def backward(apps, schema_editor):
    partitions.unpartition_table(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_accesslog_request_id")]
    operations = [migrations.RunPython(forward, backward)]
