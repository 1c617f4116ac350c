import datetime as dt

import factory

from wuye.core.personal import id_check_digit
from wuye.estates.models import (
    Building,
    CommitteeMember,
    Customer,
    Estate,
    Occupancy,
    OwnersCommittee,
    Unit,
)
from wuye.org.tests.factories import CompanyFactory


def resident_id(n: int, birth: str = "19850312") -> str:
    first17 = f"110105{birth}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


class EstateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Estate

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"测试花园{n}期")
    code = factory.Sequence(lambda n: f"e{n}")
    address = factory.Sequence(lambda n: f"北京市朝阳区测试路{n}号")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    estate = factory.SubFactory(EstateFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.LazyAttribute(lambda b: f"{b.number}号楼")
    floors = 18
    entrances = 2


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    entrance = "1"
    floor = 12
    number = factory.Sequence(lambda n: f"{1200 + n % 90 + 1}")
    floor_area = "89.50"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    estate = factory.SubFactory(EstateFactory)
    name = factory.Faker("name", locale="zh_CN")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    id_number = factory.Sequence(resident_id)


class OccupancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupancy

    unit = factory.SubFactory(UnitFactory)
    customer = factory.SubFactory(CustomerFactory, estate=factory.SelfAttribute("..unit.estate"))
    start_date = dt.date(2020, 1, 1)


class OwnersCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnersCommittee

    estate = factory.SubFactory(EstateFactory)
    term_number = 1
    established_on = dt.date(2022, 5, 1)
    term_start = dt.date(2022, 5, 1)
    term_end = dt.date(2027, 4, 30)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(OwnersCommitteeFactory)
    customer = factory.SubFactory(CustomerFactory, estate=factory.SelfAttribute("..committee.estate"))
