"""A score sheet as an Excel workbook: written for download, read back on upload.

Offices keep their figures in Excel; the workbook lets a unit (or the secretariat verifying) fill
the sheet there and upload it. Writing mirrors the grid: one row per criterion, parents in bold,
values as numeric cells. Reading is strict and says everything at once: each problem names the
sheet, the row, the column and the reason, and the view writes nothing while any remains. The
database is only touched by the caller, through ``scoring.services.sheets.sheet_save``.

The package is split by subdomain; import from the module that holds a name (nothing is
re-exported here):

- ``layout``: the sheet's name, its columns and where the table starts, shared by both ways;
- ``write``: the workbook for download (``sheet_export``, ``sheet_workbook``);
- ``cells``: reading one cell of an upload (numbers, text, codes, formulas refused);
- ``read``: reading an upload into entries, and its problems (``read_sheet_workbook``).
"""
