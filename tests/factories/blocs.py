"""Factories of the blocs app: councils, units and their names and lineage, blocs, bloc-years,
memberships and people."""

from __future__ import annotations

import datetime

import factory

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, UnitName, User


class CouncilFactory(factory.django.DjangoModelFactory[Council]):
    class Meta:
        model = Council

    code = factory.Sequence(lambda n: f"HD{n}")
    name = factory.Sequence(lambda n: f"Hội đồng Thi đua - Khen thưởng tỉnh số {n}")
    province = factory.Sequence(lambda n: f"Tỉnh số {n}")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    council = factory.SubFactory(CouncilFactory)
    code = factory.Sequence(lambda n: f"DV{n}")
    name = factory.Sequence(lambda n: f"Sở số {n}")
    short_name = factory.LazyAttribute(lambda unit: unit.name)
    leader_title = "Giám đốc"
    leader_name = factory.Faker("name", locale="vi_VN")


class UnitNameFactory(factory.django.DjangoModelFactory[UnitName]):
    class Meta:
        model = UnitName

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Tên cũ số {n}")
    # One former name per end date: each a day apart.
    valid_until = factory.Sequence(lambda n: datetime.date(2019, 12, 31) - datetime.timedelta(n))


class UnitLineageFactory(factory.django.DjangoModelFactory[UnitLineage]):
    class Meta:
        model = UnitLineage

    predecessor = factory.SubFactory(UnitFactory)
    successor = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..predecessor.council")
    )
    kind = UnitLineage.Kind.MERGED_INTO
    effective_date = datetime.date(2025, 7, 1)


class BlocFactory(factory.django.DjangoModelFactory[Bloc]):
    class Meta:
        model = Bloc

    council = factory.SubFactory(CouncilFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Khối thi đua số {n}")


class BlocYearFactory(factory.django.DjangoModelFactory[BlocYear]):
    class Meta:
        model = BlocYear

    bloc = factory.SubFactory(BlocFactory)
    year = 2020


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    bloc_year = factory.SubFactory(BlocYearFactory)
    unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )
    role = Membership.Role.MEMBER


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    unit = factory.SubFactory(UnitFactory)
    role = User.Role.FOCAL_POINT
    password = factory.django.Password("mat-khau-thu-nghiem")
