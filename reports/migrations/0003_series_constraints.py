"""The series' constraints, once 0002 has given every document its bloc and drafts no number:
a number once in the bloc's series of a year (per issuer code), a draft without a number, an
issued document with a date."""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_bloc_series_and_numbers_at_issue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="bloc",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="blocs.bloc",
                verbose_name="khối",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                models.F("bloc"),
                models.F("issuer_code"),
                django.db.models.functions.datetime.ExtractYear("date"),
                models.F("number"),
                condition=models.Q(("number__isnull", False)),
                name="document_number_unique_in_series_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("state", "issued"), ("number__isnull", True), _connector="OR"),
                name="document_draft_has_no_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("state", "draft"), ("date__isnull", False), _connector="OR"),
                name="document_issued_is_dated",
            ),
        ),
    ]
