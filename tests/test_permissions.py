"""Every URL of the project × every persona, with the expected status in one table.

The table is checked against the URL conf: a new URL without a row here fails
``test_every_url_has_a_row``, so no page ships without a decision about who may open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, client_for
from tests.notifications.worlds import focal_point_notification
from tests.reports.worlds import draft, issued_quickly

ALL = dict.fromkeys(PERSONAS, 200)
LOGGED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}


def S(
    anonymous: int,
    council_admin: int,
    secretariat: int,
    focal_point: int,
    outsider: int,
    leader: int,
) -> dict[str, int]:
    """Expected statuses in the order of PERSONAS."""
    return dict(
        zip(
            PERSONAS,
            [anonymous, council_admin, secretariat, focal_point, outsider, leader],
            strict=True,
        )
    )


# url name → (how to build the URL from the world, HTTP method, {persona: status}).
# The scoring world: the focal point's unit has a draft sheet; the deputy (not the focal point's
# unit) has a submitted sheet with an answered explanation; the other bloc scores by peers and
# the outsider's unit is one of its members.
Row = tuple[Callable[[Any], str], str, dict[str, int]]
TABLE: dict[str, Row] = {
    "blocs:home": (lambda w: reverse("blocs:home"), "get", ALL),
    "blocs:council": (lambda w: reverse("blocs:council", args=[w.council.code]), "get", ALL),
    "blocs:bloc": (lambda w: reverse("blocs:bloc", args=[w.bloc.pk]), "get", ALL),
    "bloc-year": (lambda w: reverse("bloc-year", args=[w.bloc.pk, 2020]), "get", ALL),
    "unit": (lambda w: reverse("unit", args=[w.member.pk]), "get", ALL),
    "my-work": (lambda w: reverse("my-work"), "get", LOGGED_IN),
    # Everybody searches; what each finds is tests/search/test_access.py.
    "search": (lambda w: reverse("search"), "get", ALL),
    "login": (lambda w: reverse("login"), "get", {**ALL, **dict.fromkeys(PERSONAS[1:], 302)}),
    "logout": (lambda w: reverse("logout"), "post", dict.fromkeys(PERSONAS, 302)),
    "set-language": (lambda w: reverse("set-language"), "post", dict.fromkeys(PERSONAS, 302)),
    "healthz": (lambda w: reverse("healthz"), "get", ALL),
    "favicon": (lambda w: reverse("favicon"), "get", dict.fromkeys(PERSONAS, 302)),
    # Signing in (tests/accounts/): the personas here have passed the second step and have no
    # authenticator; the province's login is not configured.
    "accounts:verify": (lambda w: reverse("accounts:verify"), "get", dict.fromkeys(PERSONAS, 302)),
    "accounts:enrol": (lambda w: reverse("accounts:enrol"), "get", LOGGED_IN),
    "accounts:security": (lambda w: reverse("accounts:security"), "get", LOGGED_IN),
    "accounts:recovery-codes": (
        lambda w: reverse("accounts:recovery-codes"),
        "post",
        dict.fromkeys(PERSONAS, 302),
    ),
    "accounts:turn-off": (
        lambda w: reverse("accounts:turn-off"),
        "post",
        S(302, 403, 302, 302, 302, 403),
    ),
    "accounts:sso-start": (
        lambda w: reverse("accounts:sso-start"),
        "post",
        dict.fromkeys(PERSONAS, 404),
    ),
    "accounts:sso-callback": (
        lambda w: reverse("accounts:sso-callback"),
        "get",
        dict.fromkeys(PERSONAS, 404),
    ),
    # Score sheets
    "scoring:sheet": (
        lambda w: reverse("scoring:sheet", args=[w.draft_sheet.pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:sheet-submit": (
        lambda w: reverse("scoring:sheet-submit", args=[w.draft_sheet.pk]),
        "get",
        S(302, 200, 200, 200, 404, 403),
    ),
    # Only the unit's own focal points take back its sent sheet (tests/scoring/test_recall.py).
    "scoring:sheet-recall": (
        lambda w: reverse("scoring:sheet-recall", args=[w.submitted_sheet.pk]),
        "post",
        S(302, 403, 403, 404, 404, 403),
    ),
    # Accepting, returning, answering, deciding and reopening are buttons of the sheet page:
    # tests/scoring/test_sheet_page.py tries each with each persona. This is the check page.
    "scoring:sheet-verify": (
        lambda w: reverse("scoring:sheet-verify", args=[w.submitted_sheet.pk]),
        "get",
        S(302, 200, 200, 404, 404, 403),
    ),
    "scoring:line": (
        lambda w: reverse("scoring:line", args=[w.draft_sheet.pk, w.leaf.pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:line-not-applicable": (
        lambda w: reverse("scoring:line-not-applicable", args=[w.draft_sheet.pk, w.leaf.pk]),
        "post",
        S(302, 302, 302, 403, 404, 403),
    ),
    "scoring:line-council": (
        lambda w: reverse("scoring:line-council", args=[w.draft_sheet.pk, w.leaf.pk]),
        "post",
        S(302, 302, 403, 403, 404, 403),
    ),
    "scoring:evidence": (
        lambda w: reverse("scoring:evidence", args=[w.evidence.pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:evidence-delete": (
        lambda w: reverse("scoring:evidence-delete", args=[w.evidence.pk]),
        "post",
        S(302, 302, 302, 302, 404, 403),
    ),
    "scoring:sheet-print": (
        lambda w: reverse("scoring:sheet-print", args=[w.draft_sheet.pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:sheet-xlsx": (
        lambda w: reverse("scoring:sheet-xlsx", args=[w.draft_sheet.pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:sheet-xlsx-upload": (
        lambda w: reverse("scoring:sheet-xlsx-upload", args=[w.draft_sheet.pk]),
        "get",
        S(302, 200, 200, 200, 404, 403),
    ),
    # A bloc-year's scoring
    "scoring:progress": (
        lambda w: reverse("scoring:progress", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 200, 403, 403, 200),
    ),
    "scoring:verify-batch": (
        lambda w: reverse("scoring:verify-batch", args=[w.bloc.pk, 2020]),
        "post",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:open": (
        lambda w: reverse("scoring:open", args=[w.bloc.pk, 2020]),
        "post",
        S(302, 302, 302, 403, 403, 403),
    ),
    # One criterion for every member: those who manage the year (the secretariat reads a
    # council line), leaders read; other members do not see it (tests/scoring/
    # test_outside_scoring.py tries a department's focal points).
    "scoring:criterion-scores": (
        lambda w: _council_column(w),
        "get",
        S(302, 200, 200, 404, 404, 200),
    ),
    "scoring:peer-progress": (
        lambda w: reverse("scoring:peer-progress", args=[w.other_bloc.pk, 2020]),
        "get",
        S(302, 200, 403, 403, 200, 200),
    ),
    "scoring:peer-sheet": (
        lambda w: reverse("scoring:peer-sheet", args=[w.other_bloc.pk, 2020, w.admin_unit.pk]),
        "get",
        S(302, 403, 403, 403, 200, 403),
    ),
    "scoring:peer-apply": (
        lambda w: reverse("scoring:peer-apply", args=[w.other_bloc.pk, 2020]),
        "post",
        S(302, 302, 403, 403, 403, 403),
    ),
    # Ranking. 2020 is still being scored (the live ranking is for the secretariat, council
    # admins and leaders); 2019 is finalized and provisionally published to the members, with an
    # open complaint of the focal point's unit. Anonymous visitors are sent to log in.
    "scoring:ranking": (
        lambda w: reverse("scoring:ranking", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "scoring:finalize": (
        lambda w: reverse("scoring:finalize", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:snapshots": (
        lambda w: reverse("scoring:snapshots", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "scoring:correct": (
        lambda w: reverse("scoring:correct", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:ranking-rules": (
        lambda w: reverse("scoring:ranking-rules", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:council-ranking-rules": (
        lambda w: reverse("scoring:council-ranking-rules", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:band-quotas": (
        lambda w: reverse("scoring:band-quotas", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:band-quota": (
        lambda w: reverse("scoring:band-quota", args=[w.council.code, _band_quota(w).pk]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:publish": (
        lambda w: reverse("scoring:publish", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:complaints": (
        lambda w: reverse("scoring:complaints", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "scoring:complaint": (
        lambda w: reverse("scoring:complaint", args=[w.bloc.pk, 2019, w.complaint.pk]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    # A file of that complaint: those who see the complaints; anyone else finds nothing.
    "scoring:complaint-file": (
        lambda w: reverse("scoring:complaint-file", args=[_complaint_file(w).pk]),
        "get",
        S(302, 200, 200, 200, 404, 200),
    ),
    "scoring:ranking-download": (
        lambda w: reverse("scoring:ranking-download", args=[w.bloc.pk, 2019, "csv"]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "scoring:import": (lambda w: reverse("scoring:import"), "get", S(302, 200, 403, 403, 403, 403)),
    # Awards (the awards world: 2019 published, ballot recorded, the head's Government-flag
    # proposal submitted, the focal point's unit's provincial-flag proposal a draft).
    "awards:rule-sets": (lambda w: reverse("awards:rule-sets"), "get", LOGGED_IN),
    "awards:rule-set": (
        lambda w: reverse("awards:rule-set", args=[w.submitted_proposal.award_type.rule_set_id]),
        "get",
        LOGGED_IN,
    ),
    "awards:award-type": (
        lambda w: reverse("awards:award-type", args=[w.submitted_proposal.award_type_id]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "awards:quotas": (
        lambda w: reverse("awards:quotas", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "awards:facts": (
        lambda w: reverse("awards:facts", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "awards:facts-check-batch": (
        lambda w: reverse("awards:facts-check-batch", args=[w.bloc.pk, 2019]),
        "post",
        S(302, 302, 302, 403, 403, 403),
    ),
    "awards:unit-facts": (
        lambda w: reverse("awards:unit-facts", args=[w.member.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "awards:ballot": (
        lambda w: reverse("awards:ballot", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "awards:ballot-paper": (
        lambda w: reverse("awards:ballot-paper", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "awards:ballot-tally": (
        lambda w: reverse("awards:ballot-tally", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "awards:proposals": (
        lambda w: reverse("awards:proposals", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "awards:proposals-submit": (
        lambda w: reverse("awards:proposals-submit", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "awards:proposal": (
        lambda w: reverse("awards:proposal", args=[w.submitted_proposal.pk]),
        "get",
        S(302, 200, 200, 404, 404, 200),
    ),
    "awards:review-queue": (
        lambda w: reverse("awards:review-queue"),
        "get",
        S(302, 403, 403, 403, 403, 200),
    ),
    "awards:review-batch": (
        lambda w: reverse("awards:review-batch"),
        "post",
        S(302, 403, 403, 403, 403, 200),
    ),
    "awards:proposal-review": (
        lambda w: reverse("awards:proposal-review", args=[w.submitted_proposal.pk]),
        "post",
        S(302, 403, 403, 403, 403, 302),
    ),
    "awards:decisions": (
        lambda w: reverse("awards:decisions"),
        "get",
        S(302, 200, 403, 403, 403, 200),
    ),
    "awards:decision": (
        lambda w: reverse("awards:decision", args=[w.decision.pk]),
        "get",
        S(302, 200, 403, 403, 403, 200),
    ),
    "awards:decision-file": (
        lambda w: reverse("awards:decision-file", args=[w.decision.pk]),
        "get",
        S(302, 200, 403, 403, 403, 200),
    ),
    "awards:council-view": (
        lambda w: reverse("awards:council-view", args=[w.council.code, 2019]),
        "get",
        S(302, 200, 403, 403, 403, 200),
    ),
    "awards:council-export": (
        lambda w: reverse("awards:council-export", args=[w.council.code, 2019]),
        "get",
        S(302, 200, 403, 403, 403, 200),
    ),
    # Notifications: one's own only; someone else's notification is 404.
    "notifications:list": (lambda w: reverse("notifications:list"), "get", LOGGED_IN),
    "notifications:preferences": (
        lambda w: reverse("notifications:preferences"),
        "get",
        LOGGED_IN,
    ),
    "notifications:read-all": (
        lambda w: reverse("notifications:read-all"),
        "post",
        S(302, 302, 302, 302, 302, 302),
    ),
    "notifications:open": (
        lambda w: reverse("notifications:open", args=[focal_point_notification(w).pk]),
        "post",
        S(302, 404, 404, 302, 404, 404),
    ),
    "notifications:read": (
        lambda w: reverse("notifications:read", args=[focal_point_notification(w).pk]),
        "post",
        S(302, 404, 404, 302, 404, 404),
    ),
    # The leaders' dashboard (leaders and council admins) and the stage deadlines (managers).
    "dashboard": (lambda w: reverse("dashboard"), "get", S(302, 200, 403, 403, 403, 200)),
    "blocs:deadlines": (
        lambda w: reverse("blocs:deadlines", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    # Open data: public tables, the same for everyone; unpublished years are not open data.
    "open-data": (lambda w: reverse("open-data"), "get", ALL),
    "open-data-council-blocs": (
        lambda w: reverse("open-data-council-blocs", args=[w.council.code, 2020, "csv"]),
        "get",
        ALL,
    ),
    "open-data-bloc-members": (
        lambda w: reverse("open-data-bloc-members", args=[w.bloc.pk, "csv"]),
        "get",
        ALL,
    ),
    "open-data-bloc-year-members": (
        lambda w: reverse("open-data-bloc-year-members", args=[w.bloc.pk, 2020, "csv"]),
        "get",
        ALL,
    ),
    # 2019 is published only provisionally: not open data, for anybody.
    "open-data-ranking": (
        lambda w: reverse("open-data-ranking", args=[w.bloc.pk, 2019, "csv"]),
        "get",
        S(404, 404, 404, 404, 404, 404),
    ),
    "open-data-awards": (
        lambda w: reverse("open-data-awards", args=[w.bloc.pk, 2019, "csv"]),
        "get",
        S(404, 404, 404, 404, 404, 404),
    ),
    "open-data-unit-results": (
        lambda w: reverse("open-data-unit-results", args=[w.member.pk, "csv"]),
        "get",
        ALL,
    ),
    "open-data-unit-awards": (
        lambda w: reverse("open-data-unit-awards", args=[w.member.pk, "csv"]),
        "get",
        ALL,
    ),
    # Reorganisations and the next year: council admins only; the lineage page is public.
    "blocs:council-lineage": (
        lambda w: reverse("blocs:council-lineage", args=[w.council.code]),
        "get",
        ALL,
    ),
    "blocs:reorganisation": (
        lambda w: reverse("blocs:reorganisation", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "blocs:reorganisation-form": (
        lambda w: reverse("blocs:reorganisation-form", args=[w.council.code, "merge"]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    # People and accounts: the council's admins only (tests/blocs/test_people_views.py tries
    # another council's admin). The person is the focal point's account.
    "blocs:people": (
        lambda w: reverse("blocs:people", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "blocs:person-new": (
        lambda w: reverse("blocs:person-new", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "blocs:person": (
        lambda w: _person_url("blocs:person", w),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "blocs:person-deactivate": (
        lambda w: _person_url("blocs:person-deactivate", w),
        "post",
        S(302, 302, 403, 403, 403, 403),
    ),
    "blocs:person-reactivate": (
        lambda w: _person_url("blocs:person-reactivate", w),
        "post",
        S(302, 302, 403, 403, 403, 403),
    ),
    "blocs:person-password-link": (
        lambda w: _person_url("blocs:person-password-link", w),
        "post",
        S(302, 302, 403, 403, 403, 403),
    ),
    "blocs:people-upload": (
        lambda w: reverse("blocs:people-upload", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    # Nothing uploaded yet: back to the upload page.
    "blocs:people-upload-preview": (
        lambda w: reverse("blocs:people-upload-preview", args=[w.council.code]),
        "get",
        S(302, 302, 403, 403, 403, 403),
    ),
    "blocs:people-upload-template": (
        lambda w: reverse("blocs:people-upload-template", args=[w.council.code]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    # Passwords: the reset pages are everyone's (a link that does not work says so); the
    # change page is a signed-in person's.
    "password-reset": (lambda w: reverse("password-reset"), "get", ALL),
    "password-reset-sent": (lambda w: reverse("password-reset-sent"), "get", ALL),
    "password-reset-confirm": (
        lambda w: reverse("password-reset-confirm", args=["MQ", "no-such-token"]),
        "get",
        ALL,
    ),
    "password-reset-complete": (lambda w: reverse("password-reset-complete"), "get", ALL),
    "password-change": (lambda w: reverse("password-change"), "get", LOGGED_IN),
    "password-change-done": (lambda w: reverse("password-change-done"), "get", LOGGED_IN),
    "rollover": (
        lambda w: reverse("rollover", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    # Documents (on the awards world: 2019 published with its ballot, 2020 being scored).
    # Drafts are the managers' only; the issued report of a published year is public.
    "reports:documents": (
        lambda w: reverse("reports:documents", args=[w.bloc.pk, 2020]),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "reports:document": (
        lambda w: reverse("reports:document", args=[draft(w.provisional_year, "submission").pk]),
        "get",
        S(302, 200, 200, 404, 404, 404),
    ),
    "reports:preview": (
        lambda w: reverse(
            "reports:preview", args=[issued_quickly(w.provisional_year, "minutes").pk]
        ),
        "get",
        S(302, 200, 200, 200, 403, 200),
    ),
    "reports:download": (
        lambda w: reverse(
            "reports:download", args=[issued_quickly(w.provisional_year, "report").pk, "pdf"]
        ),
        "get",
        ALL,
    ),
    "reports:issue": (
        lambda w: reverse("reports:issue", args=[draft(w.provisional_year, "submission").pk]),
        "get",
        S(302, 200, 200, 404, 404, 404),
    ),
    "reports:pack": (
        lambda w: reverse("reports:pack", args=[w.bloc.pk, 2019]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    # Criteria sets (the 2020 set is frozen since scoring opened; the 2021 set is a draft)
    "scoring:criteria-sets": (lambda w: reverse("scoring:criteria-sets"), "get", LOGGED_IN),
    "scoring:criteria-set-new": (
        lambda w: reverse("scoring:criteria-set-new"),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:criteria-set": (
        lambda w: reverse("scoring:criteria-set", args=[w.criteria_set.pk]),
        "get",
        LOGGED_IN,
    ),
    "scoring:criteria-set-edit": (
        lambda w: reverse("scoring:criteria-set-edit", args=[w.draft_set.pk]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:criteria-set-clone": (
        lambda w: reverse("scoring:criteria-set-clone", args=[w.criteria_set.pk]),
        "get",
        S(302, 200, 200, 403, 403, 403),
    ),
    "scoring:criteria-set-unfreeze": (
        lambda w: reverse("scoring:criteria-set-unfreeze", args=[w.criteria_set.pk]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:criterion-new": (
        lambda w: reverse("scoring:criterion-new", args=[w.draft_set.pk]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:criterion-edit": (
        lambda w: reverse("scoring:criterion-edit", args=[w.draft_set.pk, w.draft_criterion.pk]),
        "get",
        S(302, 200, 403, 403, 403, 403),
    ),
    "scoring:criterion-delete": (
        lambda w: reverse("scoring:criterion-delete", args=[w.draft_set.pk, w.draft_criterion.pk]),
        "post",
        S(302, 302, 403, 403, 403, 403),
    ),
}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                # Django's admin has its own permission model, tested in blocs/test_admin.py.
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def _council_column(w: Any) -> str:
    """The column page of a line the council's office scores (III.1 of 2020, made so)."""
    from scoring import totals
    from scoring.models import Criterion, ScoreSheet

    criterion = Criterion.objects.get(criteria_set=w.criteria_set, code="III.1")
    Criterion.objects.filter(pk=criterion.pk).update(scored_by=Criterion.ScoredBy.COUNCIL)
    # Who scores a line is part of the sheets' kept parts: refreshed, as the criteria service does.
    totals.refresh(
        ScoreSheet.objects.filter(bloc_year__scoring__criteria_set=w.criteria_set).values_list(
            "pk", flat=True
        )
    )
    return reverse("scoring:criterion-scores", args=[w.bloc.pk, 2020, criterion.pk])


def _band_quota(w: Any) -> Any:
    """A quota counted across blocs on the council's 2020 (a row, as a factory writes it)."""
    from scoring.models import BandQuota

    quota = BandQuota.objects.create(
        council=w.council, year=2020, name="Cụm 1", band="Xuất sắc", share_percent=20
    )
    quota.bloc_years.set([w.world.bloc_year])
    return quota


def _complaint_file(w: Any) -> Any:
    """A minutes PDF sent with the world's open complaint."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scoring.services.ranking.complaints import files_keep

    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf")
    files_keep(w.complaint, "complaint", [upload], ["application/pdf"], by=None)
    return w.complaint.files.get()


def _person_url(name: str, w: Any) -> str:
    """A page of the focal point's account (a persona, made before the URL is built)."""
    from blocs.models import User

    return reverse(name, args=[w.council.code, User.objects.get(username="daumoi").pk])


def test_every_url_has_a_row() -> None:
    names = set(_named_patterns(get_resolver()))
    assert names - TABLE.keys() == set(), "add these URLs to the permission table"
    assert TABLE.keys() - names == set(), "these rows name URLs that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_status_for_each_persona(
    name: str, persona: str, personas: dict, request: pytest.FixtureRequest
) -> None:
    build, method, expected = TABLE[name]
    # Award pages need the richer world; everything else is tried on the ranking world.
    world = request.getfixturevalue(
        "awards_world" if name.startswith(("awards:", "reports:")) else "ranking_world"
    )
    client = client_for(personas[persona])
    response = getattr(client, method)(build(world))
    assert response.status_code == expected[persona], (name, persona)
