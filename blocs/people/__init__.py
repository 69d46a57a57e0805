"""People and their accounts, managed by council admins from the app's pages (docs/accounts.md).

Import from the module that defines a name (nothing is re-exported here):

* ``rules``: what a new or changed account must be (``person_problems``, ``unit_choices``,
  ``role_from_text``), by field, shared by the forms, the upload and the services;
* ``services``: every write — ``person_create``, ``person_change``, ``person_deactivate``,
  ``person_reactivate``, ``people_create_many`` (the upload's confirmation, all or nothing),
  ``password_set`` (the person's own change or reset) and ``password_link_record``; each in a
  transaction, with an audit entry of context ``user:<id>``;
* ``mail``: the e-mail with a set-password link (Django's token), for a new account or on the
  admin's request;
* ``reading``: a list of accounts as read (columns, rows, the problems at their cells), kept in
  the session between the preview and the confirmation;
* ``upload``: reading a list of accounts from an ``.xlsx`` or a CSV into that;
* ``template``: the workbook to fill in;
* ``selectors``: the people list and a person's history.
"""
