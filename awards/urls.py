from django.urls import path

from awards.views import ballots, catalogue, council, decisions, facts, proposals, review

app_name = "awards"

urlpatterns = [
    # The award catalogue and its rule sets
    path("rule-sets/", catalogue.rule_sets, name="rule-sets"),
    path("rule-sets/<int:rule_set_id>/", catalogue.rule_set, name="rule-set"),
    path("award-types/<int:award_type_id>/", catalogue.award_type, name="award-type"),
    path("<int:bloc_id>/<int:year>/quotas/", catalogue.quotas, name="quotas"),
    # Unit-year facts
    path("<int:bloc_id>/<int:year>/facts/", facts.facts, name="facts"),
    path("facts/<int:unit_id>/<int:year>/", facts.unit_facts, name="unit-facts"),
    # The secret ballot of the year-end conference
    path("<int:bloc_id>/<int:year>/ballot/", ballots.ballot, name="ballot"),
    path("<int:bloc_id>/<int:year>/ballot/paper/", ballots.ballot_paper, name="ballot-paper"),
    path("<int:bloc_id>/<int:year>/ballot/tally/", ballots.ballot_tally, name="ballot-tally"),
    # Proposals and their review
    path("<int:bloc_id>/<int:year>/proposals/", proposals.proposals, name="proposals"),
    path(
        "<int:bloc_id>/<int:year>/proposals/submit/",
        proposals.proposals_submit,
        name="proposals-submit",
    ),
    path("proposals/<int:proposal_id>/", proposals.proposal, name="proposal"),
    path("review/", review.review_queue, name="review-queue"),
    path("proposals/<int:proposal_id>/review/", review.proposal_review, name="proposal-review"),
    # Decisions and the council's view of a year
    path("decisions/", decisions.decisions, name="decisions"),
    path("decisions/<int:decision_id>/", decisions.decision, name="decision"),
    path("decisions/<int:decision_id>/file/", decisions.decision_file, name="decision-file"),
    path("councils/<str:code>/<int:year>/", council.council_view, name="council-view"),
    path(
        "councils/<str:code>/<int:year>/proposals.xlsx",
        council.council_export,
        name="council-export",
    ),
]
