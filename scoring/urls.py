from django.urls import path

import common.converters  # noqa: F401 - registers the id, year and code converters
from scoring.views import (
    columns,
    complaints,
    criteria,
    criteria_sets,
    exports,
    imports,
    lines,
    peer,
    progress,
    publication,
    quotas,
    ranking,
    recall,
    rules,
    sheets,
    votes,
)

app_name = "scoring"

urlpatterns = [
    # The score sheet and its transitions
    path("sheets/<id:sheet_id>/", sheets.sheet, name="sheet"),
    path("sheets/<id:sheet_id>/submit/", sheets.submit, name="sheet-submit"),
    path("sheets/<id:sheet_id>/recall/", recall.recall, name="sheet-recall"),
    # Accepting, returning, answering, deciding and reopening are buttons of the sheet page
    # (its one form keeps what was typed with them); these two are check pages.
    path("sheets/<id:sheet_id>/verify/", sheets.verify, name="sheet-verify"),
    # One line: evidence, not applicable, council adjustment
    path("sheets/<id:sheet_id>/lines/<id:criterion_id>/", lines.line, name="line"),
    path(
        "sheets/<id:sheet_id>/lines/<id:criterion_id>/not-applicable/",
        lines.not_applicable,
        name="line-not-applicable",
    ),
    path(
        "sheets/<id:sheet_id>/lines/<id:criterion_id>/council/",
        lines.council,
        name="line-council",
    ),
    path("evidence/<id:evidence_id>/", lines.evidence, name="evidence"),
    path("evidence/<id:evidence_id>/delete/", lines.evidence_delete, name="evidence-delete"),
    # Paper and Excel
    path("sheets/<id:sheet_id>/print/", exports.sheet_print, name="sheet-print"),
    path("sheets/<id:sheet_id>/xlsx/", exports.sheet_xlsx, name="sheet-xlsx"),
    path("sheets/<id:sheet_id>/xlsx/upload/", exports.sheet_xlsx_upload, name="sheet-xlsx-upload"),
    # A bloc-year's scoring: progress, opening, peer scoring
    path("<id:bloc_id>/<year:year>/", progress.progress, name="progress"),
    path("<id:bloc_id>/<year:year>/open/", progress.open_scoring, name="open"),
    path("<id:bloc_id>/<year:year>/verify/", progress.verify_batch, name="verify-batch"),
    path(
        "<id:bloc_id>/<year:year>/criteria/<id:criterion_id>/scores/",
        columns.criterion_scores,
        name="criterion-scores",
    ),
    path("<id:bloc_id>/<year:year>/peer/", peer.peer_progress, name="peer-progress"),
    path("<id:bloc_id>/<year:year>/peer/<id:unit_id>/", peer.peer_sheet, name="peer-sheet"),
    path("<id:bloc_id>/<year:year>/peer/apply/", peer.peer_apply, name="peer-apply"),
    # Ranking, finalization and corrections
    path("ranking/<id:bloc_id>/<year:year>/", ranking.ranking, name="ranking"),
    path("ranking/<id:bloc_id>/<year:year>/finalize/", ranking.finalize, name="finalize"),
    path("ranking/<id:bloc_id>/<year:year>/votes/", votes.votes, name="votes"),
    path("ranking/<id:bloc_id>/<year:year>/snapshots/", ranking.snapshots, name="snapshots"),
    path("ranking/<id:bloc_id>/<year:year>/correct/", ranking.correct, name="correct"),
    # Rules, publication, complaints, downloads
    path("ranking/<id:bloc_id>/<year:year>/rules/", rules.ranking_rules, name="ranking-rules"),
    path(
        "councils/<code:code>/ranking-rules/",
        rules.council_ranking_rules,
        name="council-ranking-rules",
    ),
    path("councils/<code:code>/band-quotas/", quotas.band_quotas, name="band-quotas"),
    path(
        "councils/<code:code>/band-quotas/<id:quota_id>/",
        quotas.band_quota,
        name="band-quota",
    ),
    path("ranking/<id:bloc_id>/<year:year>/publish/", publication.publish, name="publish"),
    path("ranking/<id:bloc_id>/<year:year>/complaints/", complaints.complaints, name="complaints"),
    path(
        "ranking/<id:bloc_id>/<year:year>/complaints/<id:complaint_id>/",
        complaints.complaint,
        name="complaint",
    ),
    path("complaint-files/<id:file_id>/", complaints.complaint_file, name="complaint-file"),
    path(
        "ranking/<id:bloc_id>/<year:year>/ranking.<str:fmt>",
        publication.download,
        name="ranking-download",
    ),
    # The bloc-year workbook contract
    path("import/", imports.import_workbook, name="import"),
    # Criteria sets
    path("criteria-sets/", criteria_sets.criteria_sets, name="criteria-sets"),
    path("criteria-sets/new/", criteria_sets.criteria_set_new, name="criteria-set-new"),
    path("criteria-sets/<id:set_id>/", criteria_sets.criteria_set, name="criteria-set"),
    path(
        "criteria-sets/<id:set_id>/edit/",
        criteria_sets.criteria_set_edit,
        name="criteria-set-edit",
    ),
    path(
        "criteria-sets/<id:set_id>/clone/",
        criteria_sets.criteria_set_clone,
        name="criteria-set-clone",
    ),
    path(
        "criteria-sets/<id:set_id>/unfreeze/",
        criteria_sets.criteria_set_unfreeze,
        name="criteria-set-unfreeze",
    ),
    path("criteria-sets/<id:set_id>/criteria/new/", criteria.criterion_new, name="criterion-new"),
    path(
        "criteria-sets/<id:set_id>/criteria/<id:criterion_id>/",
        criteria.criterion_edit,
        name="criterion-edit",
    ),
    path(
        "criteria-sets/<id:set_id>/criteria/<id:criterion_id>/delete/",
        criteria.criterion_delete,
        name="criterion-delete",
    ),
]
