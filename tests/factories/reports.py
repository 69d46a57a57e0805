"""Factories of the reports app: a bloc-year's documents."""

from __future__ import annotations

import factory

from reports.models import Document
from tests.factories.blocs import BlocYearFactory, UnitFactory


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    """A draft report of a bloc-year (no number, no date), issued in the name of a unit of its
    council. For the documents the app prepares itself, use ``reports.services``."""

    class Meta:
        model = Document

    bloc_year = factory.SubFactory(BlocYearFactory)
    kind = Document.Kind.REPORT
    issuer = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )
    issuer_parent = "UBND TỈNH QUẢNG NAM"
    issuer_name = factory.LazyAttribute(lambda document: document.bloc_year.bloc.name.upper())
    issuer_code = "KTĐ"
    place = "Quảng Nam"
    subject = factory.LazyAttribute(
        lambda document: f"Tổng kết công tác thi đua năm {document.bloc_year.year}"
    )
