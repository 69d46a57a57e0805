"""The bloc issues its papers, in its own yearly series; a draft has no number; a draft may wait
for its event's date.

Every document learns its bloc (the series a number belongs to). Drafts move to the bloc's
header ("KHỐI THI ĐUA …", "…/BC-KTĐ") and lose the number they were given at creation: the
number is now taken when a document is issued. Issued documents keep what they were issued
with (an issued document never changes), so the series is the bloc's under the issuer code:
an old issue "01/BC-SYT" and a new "01/BC-KTĐ" do not collide.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

SERIES_CODES = {"bloc": "KTĐ", "cluster": "CTĐ"}
OLD_ANNEX_SUBJECT = "Kèm theo Báo cáo tổng kết công tác thi đua năm"


def to_bloc_series(apps, schema_editor):
    Document = apps.get_model("reports", "Document")
    for document in Document.objects.select_related("bloc_year__bloc").iterator():
        bloc = document.bloc_year.bloc
        document.bloc_id = bloc.pk
        fields = ["bloc"]
        if document.state == "draft":
            document.number = None
            document.issuer_name = bloc.name.upper()
            document.issuer_code = SERIES_CODES.get(bloc.kind, "KTĐ")
            fields += ["number", "issuer_name", "issuer_code"]
            if document.kind == "score_table" and document.subject.startswith(OLD_ANNEX_SUBJECT):
                document.subject = (
                    "Bảng tổng hợp kết quả chấm điểm thi đua năm "
                    f"{document.bloc_year.year} của {bloc.name}"
                )
                fields.append("subject")
        document.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_documents"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="document",
            name="document_number_unique_in_issuer_year",
        ),
        migrations.AddField(
            model_name="document",
            name="bloc",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="documents",
                to="blocs.bloc",
                verbose_name="khối",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày ban hành"),
        ),
        migrations.AlterField(
            model_name="document",
            name="issuer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="blocs.unit",
                verbose_name="đơn vị Trưởng khối ký văn bản",
            ),
        ),
        # The rows are written here and the column tightened in 0003: PostgreSQL refuses to
        # alter a table with pending deferred checks in the same transaction.
        migrations.RunPython(to_bloc_series, migrations.RunPython.noop),
    ]
