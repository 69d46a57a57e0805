"""The 2003 law's rule set starts when Nghị định 91/2017/NĐ-CP came into force (01/10/2017).

Before, its start was blank ("since ever"), so a 2016 year was judged by the rules of 2017 and
later. Years whose 31 December falls before that day (2016 and earlier: Nghị định 42/2010,
amended by 65/2014) now have no rule set: their awards are not judged by the app
(docs/awards.md). A start a council admin already set is left as it is.
"""

import datetime

from django.db import migrations

CODE = "LUAT-2003"
ND91_IN_FORCE = datetime.date(2017, 10, 1)


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleSet.objects.filter(code=CODE, valid_from__isnull=True).update(valid_from=ND91_IN_FORCE)


def backwards(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleSet.objects.filter(code=CODE, valid_from=ND91_IN_FORCE).update(valid_from=None)


class Migration(migrations.Migration):
    dependencies = [("awards", "0006_award_authority_required")]

    operations = [migrations.RunPython(forwards, backwards)]
