"""Every award type says who decides it (filled by 0005); the free-text "decided_by" it
replaces goes; both authority columns only take the known values."""

from django.db import migrations, models

AUTHORITIES = [
    ("president", "Chủ tịch nước"),
    ("prime_minister", "Thủ tướng Chính phủ"),
    ("provincial_chairman", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("agency_head", "Thủ trưởng cơ quan, đơn vị"),
]
KNOWN = models.Q(authority__in=[value for value, _label in AUTHORITIES])


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_seed_award_authority")]

    operations = [
        migrations.AlterField(
            model_name="awardtype",
            name="authority",
            field=models.CharField(
                choices=AUTHORITIES,
                help_text=(
                    "Người có thẩm quyền quyết định tặng theo luật của giai đoạn: tờ trình, báo "
                    "cáo và quyết định ghi nhận theo cấp này."
                ),
                max_length=20,
                verbose_name="cấp quyết định",
            ),
        ),
        migrations.RemoveField(model_name="awardtype", name="decided_by"),
        migrations.AddConstraint(
            model_name="awardtype",
            constraint=models.CheckConstraint(condition=KNOWN, name="award_type_authority_known"),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(condition=KNOWN, name="decision_authority_known"),
        ),
    ]
