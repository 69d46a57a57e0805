"""Fuzzing the forms with numbers in them: a unit's staff figures, the secret-ballot tally, a
document's number and a decision's number.

Each page is read as a person's browser would read it (the form and its current values), some
fields are replaced with hostile text, and the form is sent. The answer is a redirect with the
values stored as read, or the page again with an error summary and nothing written; never 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from awards.models import Ballot, BallotResult, Decision, UnitYearFacts
from awards.services.decisions import normalise_number
from blocs.models import AuditEntry, User
from reports.models import Document
from tests.conftest import client_for
from tests.reports.worlds import written
from tests.security.fuzz import FUZZ, has_error_summary, long_text, post_form, rolled_back, typed

FACT_COUNTS = [
    "headcount",
    "completing_tasks",
    "advanced_workers",
    "emulation_fighters",
    "women",
    "disciplined",
]
BALLOT_COUNTS = ["members_present", "ballots_issued", "ballots_returned", "ballots_valid"]
dates = st.one_of(
    typed,
    st.sampled_from(["15/01/2020", "31/02/2020", "2020-01-15", "15/13/2020", "00/00/0000"]),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
)
NUMBERS_READ = forms.IntegerField(required=False)


def _as_read(text: str) -> int | None:
    """What Django's number field makes of the text (the form accepted it)."""
    return NUMBERS_READ.clean(text)


def _fuzz(data: st.DataObject, form: dict[str, str], fields: dict[str, Any]) -> dict[str, str]:
    """Replace a non-empty subset of ``fields`` with drawn values."""
    chosen = data.draw(
        st.sets(st.sampled_from(sorted(fields)), min_size=1), label="fields replaced"
    )
    posted = dict(form)
    for name in sorted(chosen):
        posted[name] = data.draw(fields[name], label=name)
    return posted


def _send(client: Any, url: str, posted: dict[str, str], state: Any) -> tuple[Any, bool]:
    """POST; on a refusal check that nothing changed and the page says what is wrong."""
    before = state()
    response = client.post(url, posted)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert state() == before, "a refused form wrote something"
        assert has_error_summary(response.content.decode())
        return response, False
    return response, True


# ---------------------------------------------------------------- a unit's staff figures


@FUZZ
@given(data=st.data())
def test_the_staff_figures_form_never_fails(
    awards_world: Any, focal_point: User, data: st.DataObject
) -> None:
    client = client_for(focal_point)
    url = reverse("awards:unit-facts", args=[awards_world.member.pk, 2019])
    form = post_form(client.get(url).content.decode(), "headcount")
    fields: dict[str, Any] = dict.fromkeys(FACT_COUNTS, typed)
    fields["investigation_note"] = long_text
    fields["under_investigation"] = st.sampled_from(["on", ""])

    def state() -> Any:
        facts = UnitYearFacts.objects.get(unit=awards_world.member, year=2019)
        return model_to_dict(facts), AuditEntry.objects.count()

    with rolled_back():
        posted = _fuzz(data, form, fields)
        _response, saved = _send(client, url, posted, state)
        if saved:
            facts = UnitYearFacts.objects.get(unit=awards_world.member, year=2019)
            for name in FACT_COUNTS:
                assert getattr(facts, name) == _as_read(posted[name]), name


# ---------------------------------------------------------------- the ballot tally


@FUZZ
@given(data=st.data())
def test_the_ballot_tally_form_never_fails(
    awards_world: Any, secretariat: User, data: st.DataObject
) -> None:
    client = client_for(secretariat)
    url = reverse("awards:ballot", args=[awards_world.bloc.pk, 2019])
    form = post_form(client.get(url).content.decode(), "ballots_valid")
    votes = [name for name in form if name.startswith("votes-")]
    assert votes, "the tally has vote cells"
    fields: dict[str, Any] = dict.fromkeys([*BALLOT_COUNTS, *votes], typed)
    fields["held_on"] = dates
    fields["note"] = long_text
    fields["place"] = long_text

    def state() -> Any:
        ballot = Ballot.objects.get(bloc_year=awards_world.provisional_year)
        results = sorted(
            BallotResult.objects.filter(ballot=ballot).values_list(
                "award_type_id", "unit_id", "votes_for"
            )
        )
        return model_to_dict(ballot), results, AuditEntry.objects.count()

    with rolled_back():
        posted = _fuzz(data, form, fields)
        _response, saved = _send(client, url, posted, state)
        if saved:
            ballot = Ballot.objects.get(bloc_year=awards_world.provisional_year)
            for name in BALLOT_COUNTS:
                assert getattr(ballot, name) == _as_read(posted[name]), name


# ---------------------------------------------------------------- a document's number


@FUZZ
@given(data=st.data())
def test_the_document_number_field_never_fails(
    awards_world: Any, secretariat: User, data: st.DataObject
) -> None:
    """The number is given at issue (blank: the next free one of the bloc's series)."""
    client = client_for(secretariat)
    document = written(awards_world.provisional_year, "submission")
    url = reverse("reports:issue", args=[document.pk])
    form = post_form(client.get(url).content.decode(), "number")
    fields = {"number": typed}

    def state() -> Any:
        return model_to_dict(Document.objects.get(pk=document.pk)), AuditEntry.objects.count()

    with rolled_back():
        posted = _fuzz(data, form, fields)
        _response, saved = _send(client, url, posted, state)
        if saved:
            stored = Document.objects.get(pk=document.pk)
            assert stored.state == Document.State.ISSUED and stored.number is not None
            asked = _as_read(posted["number"])
            assert asked is None or stored.number == asked


# ---------------------------------------------------------------- a decision's number


@FUZZ
@given(data=st.data())
def test_the_decision_number_field_never_fails(
    awards_world: Any, council_admin: User, data: st.DataObject
) -> None:
    client = client_for(council_admin)
    url = reverse("awards:decisions")
    form = post_form(client.get(url).content.decode(), "number")
    form |= {"number": "45/QĐ-UBND", "date": "01/03/2020"}
    fields = {
        "number": st.one_of(typed, st.sampled_from(["45/QD-UBND", "45 / qđ-ubnd", "/QĐ-"])),
        "date": dates,
        "signer_name": long_text,
    }

    def state() -> Any:
        return Decision.objects.count(), AuditEntry.objects.count()

    with rolled_back():
        posted = _fuzz(data, form, fields)
        _response, saved = _send(client, url, posted, state)
        if saved:
            assert Decision.objects.filter(number=normalise_number(posted["number"])).exists()
