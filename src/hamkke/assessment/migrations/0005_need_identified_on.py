"""Needs get their own event date (issue 13 item 1); existing needs were heard the day they were typed."""

import zoneinfo

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate
from django.utils import timezone


def fill_from_created_at(apps, schema_editor):
    seoul = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for name in ("Need", "HistoricalNeed"):
        model = apps.get_model("assessment", name)
        model.objects.filter(identified_on__isnull=True).update(identified_on=TruncDate("created_at", tzinfo=seoul))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_crisis_ratings")]

    operations = [
        migrations.AddField(
            model_name="need", name="identified_on", field=models.DateField(null=True, verbose_name="파악일")
        ),
        migrations.AddField(
            model_name="historicalneed", name="identified_on", field=models.DateField(null=True, verbose_name="파악일")
        ),
        migrations.RunPython(fill_from_created_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="need",
            name="identified_on",
            field=models.DateField(default=timezone.localdate, verbose_name="파악일"),
        ),
        migrations.AlterField(
            model_name="historicalneed",
            name="identified_on",
            field=models.DateField(default=timezone.localdate, verbose_name="파악일"),
        ),
    ]
