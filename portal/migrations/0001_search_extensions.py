# The search's PostgreSQL extensions (docs/search.md); nothing happens on SQLite.

from django.db import migrations

import common.db.extensions


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        common.db.extensions.Unaccent(),
        common.db.extensions.Trigram(),
    ]
