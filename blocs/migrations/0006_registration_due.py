from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blocs", "0005_reset_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="blocyear",
            name="registration_due",
            field=models.DateField(blank=True, null=True, verbose_name="hạn đăng ký thi đua"),
        ),
    ]
