"""Numbers are taken at issue, race-safe: two documents of a bloc issued at the same moment
queue on the series' lock and take two numbers; a document issued twice at once is issued
once. PostgreSQL only (SQLite serialises writers; the unique constraint is the last guard)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from blocs.models import AuditEntry
from reports import services
from reports.models import Document
from tests.awards.test_review import ensure_rule_sets
from tests.reports.worlds import DocumentsYear, written

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _rule_sets() -> None:
    """The flush after another transactional test took the rule sets and award types the
    migrations seeded: seed them again before the year is built."""
    ensure_rule_sets()


def _race(*actions: Callable[[], object]) -> list[str]:
    """Run the actions in threads released together; "ok" or the exception's name for each."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except Exception as error:  # the outcome is the point of the test
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _issue(pk: int) -> Callable[[], object]:
    return lambda: services.document_issue(document=Document.objects.get(pk=pk), by=None)


def test_two_documents_issued_at_once_take_two_numbers(year: DocumentsYear) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    report = written(year.year, Document.Kind.REPORT)
    minutes = written(year.year, Document.Kind.MINUTES)
    assert _race(_issue(report.pk), _issue(minutes.pk)) == ["ok", "ok"]
    numbers = set(
        Document.objects.filter(pk__in=[report.pk, minutes.pk]).values_list("number", flat=True)
    )
    assert numbers == {1, 2}


def test_a_document_issued_twice_at_once_is_issued_once(year: DocumentsYear) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    report = written(year.year, Document.Kind.REPORT)
    assert sorted(_race(_issue(report.pk), _issue(report.pk))) == ["ValidationError", "ok"]
    report.refresh_from_db()
    assert report.number == 1
    assert AuditEntry.objects.filter(action="document.issue").count() == 1
