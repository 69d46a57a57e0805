from django.urls import path

import common.converters  # noqa: F401 - registers the id, year and code converters
from awards.views import (
    ballots,
    catalogue,
    council,
    decisions,
    facts,
    proposals,
    registration,
    review,
)

app_name = "awards"

urlpatterns = [
    # The award catalogue and its rule sets
    path("rule-sets/", catalogue.rule_sets, name="rule-sets"),
    path("rule-sets/<id:rule_set_id>/", catalogue.rule_set, name="rule-set"),
    path("award-types/<id:award_type_id>/", catalogue.award_type, name="award-type"),
    path("<id:bloc_id>/<year:year>/quotas/", catalogue.quotas, name="quotas"),
    # Emulation registration (đăng ký thi đua)
    path(
        "<id:bloc_id>/<year:year>/registration/",
        registration.registrations,
        name="registrations",
    ),
    path(
        "<id:bloc_id>/<year:year>/registration/<id:unit_id>/",
        registration.unit_registration,
        name="registration",
    ),
    # Unit-year facts
    path("<id:bloc_id>/<year:year>/facts/", facts.facts, name="facts"),
    path(
        "<id:bloc_id>/<year:year>/facts/check/", facts.facts_check_batch, name="facts-check-batch"
    ),
    path("facts/<id:unit_id>/<year:year>/", facts.unit_facts, name="unit-facts"),
    # The secret ballot of the year-end conference
    path("<id:bloc_id>/<year:year>/ballot/", ballots.ballot, name="ballot"),
    path("<id:bloc_id>/<year:year>/ballot/paper/", ballots.ballot_paper, name="ballot-paper"),
    path("<id:bloc_id>/<year:year>/ballot/tally/", ballots.ballot_tally, name="ballot-tally"),
    # Proposals and their review
    path("<id:bloc_id>/<year:year>/proposals/", proposals.proposals, name="proposals"),
    path(
        "<id:bloc_id>/<year:year>/proposals/submit/",
        proposals.proposals_submit,
        name="proposals-submit",
    ),
    path("proposals/<id:proposal_id>/", proposals.proposal, name="proposal"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/batch/", review.review_batch, name="review-batch"),
    path("proposals/<id:proposal_id>/review/", review.proposal_review, name="proposal-review"),
    # Decisions and the council's view of a year
    path("decisions/", decisions.decisions, name="decisions"),
    path("decisions/<id:decision_id>/", decisions.decision, name="decision"),
    path("decisions/<id:decision_id>/file/", decisions.decision_file, name="decision-file"),
    path("councils/<code:code>/<year:year>/", council.council_view, name="council-view"),
    path(
        "councils/<code:code>/<year:year>/proposals.xlsx",
        council.council_export,
        name="council-export",
    ),
]
