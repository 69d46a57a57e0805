"""Who decides an award, and who issued a decision: the columns (filled by 0005, made
required by 0006 — a required column is added in steps)."""

from django.db import migrations, models

AUTHORITIES = [
    ("president", "Chủ tịch nước"),
    ("prime_minister", "Thủ tướng Chính phủ"),
    ("provincial_chairman", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("agency_head", "Thủ trưởng cơ quan, đơn vị"),
]


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_proposal_submitted_late")]

    operations = [
        migrations.AddField(
            model_name="awardtype",
            name="authority",
            field=models.CharField(
                choices=AUTHORITIES,
                help_text=(
                    "Người có thẩm quyền quyết định tặng theo luật của giai đoạn: tờ trình, báo "
                    "cáo và quyết định ghi nhận theo cấp này."
                ),
                max_length=20,
                null=True,
                verbose_name="cấp quyết định",
            ),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="authority_basis",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Điều luật quy định thẩm quyền, ví dụ: Luật Thi đua, khen thưởng 2022, Điều 78.",
                max_length=200,
                verbose_name="căn cứ thẩm quyền",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decision",
            name="authority",
            field=models.CharField(
                choices=AUTHORITIES,
                default="provincial_chairman",
                max_length=20,
                verbose_name="cấp quyết định",
            ),
        ),
    ]
