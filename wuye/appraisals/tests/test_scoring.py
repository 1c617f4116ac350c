"""The arithmetic of an appraisal (``appraisals.scoring``): hand-computed examples and a property test (the total
stays within the scale and never falls when one score rises)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wuye.appraisals import scoring
from wuye.appraisals.models import FormVersion

from .factories_appraisals import make_version

pytestmark = pytest.mark.django_db


def ids(version) -> list[list[int]]:
    return [[item.pk for item in items] for _section, items in scoring.structure(version)]


def scored(version, values: list[list[int | None]]) -> dict:
    return {pk: value for section, row in zip(ids(version), values, strict=True)
            for pk, value in zip(section, row, strict=True)}


def test_equal_weights():
    version = make_version((("受命准备", "1", 3), ("业务活动", "1", 2), ("成果", "1", 2)))
    result = scoring.compute(version, scored(version, [[5, 4, 3], [4, 4], [3, 2]]))
    assert [s.average for s in result.sections] == [Decimal("4.00"), Decimal("4.00"), Decimal("2.50")]
    assert result.total == Decimal("3.50")  # (4 + 4 + 2.5) / 3
    assert result.grade == "良好" and result.complete


def test_unequal_weights_round_half_up():
    version = make_version((("受命准备", "2", 3), ("业务活动", "1", 2), ("成果", "1", 2)))
    result = scoring.compute(version, scored(version, [[5, 4, 3], [4, 4], [3, 2]]))
    assert result.total == Decimal("3.63")  # (2×4 + 1×4 + 1×2.5) / 4 = 3.625


def test_a_section_without_a_score_does_not_count():
    version = make_version((("受命准备", "3", 3), ("业务活动", "1", 2), ("成果", "2", 2)))
    result = scoring.compute(version, scored(version, [[5, 4, 4], [5, 4], [None, None]]))
    averages = [s.average for s in result.sections]
    assert averages == [Decimal("4.33"), Decimal("4.50"), None]
    # (3 × 4.33 + 1 × 4.50) / (3 + 1) = 17.49 / 4 = 4.3725
    assert result.total == Decimal("4.37") and result.grade == "良好"
    assert [line.text for line in result.unscored] == ["成果第1项", "成果第2项"] and not result.complete


def test_partly_scored_section_and_equal_weights():
    version = make_version((("受命准备", "1", 3), ("业务活动", "1", 2)))
    result = scoring.compute(version, scored(version, [[5, None, 4], [None, 3]]))
    assert [s.average for s in result.sections] == [Decimal("4.50"), Decimal("3.00")]
    assert [s.scored for s in result.sections] == [2, 1]
    assert result.total == Decimal("3.75")


def test_nothing_scored_no_total_no_grade():
    version = make_version()
    result = scoring.compute(version, {})
    assert result.total is None and result.grade == ""
    assert all(s.average is None for s in result.sections)


def test_weights_all_zero_count_equally():
    version = make_version((("甲", "0", 1), ("乙", "0", 1)))
    assert scoring.compute(version, scored(version, [[5], [2]])).total == Decimal("3.50")


@pytest.mark.parametrize(("total", "grade"), [("5.00", "优秀"), ("4.50", "优秀"), ("4.49", "良好"), ("3.50", "良好"),
                                              ("2.50", "合格"), ("1.50", "待改进"), ("1.49", "不合格"),
                                              ("1.00", "不合格")])
def test_grade_bands(total, grade):
    version = make_version()
    assert scoring.grade(version, Decimal(total)) == grade


def test_custom_bands_and_scale():
    version = make_version((("甲", "1", 2),), scale=[{"value": 3, "label": "好"}, {"value": 2, "label": "中"},
                                                     {"value": 1, "label": "差"}],
                           bands=[{"min": 0, "grade": "C"}, {"min": 2.5, "grade": "A"}, {"min": 1.8, "grade": "B"}])
    assert version.scale_values == [3, 2, 1]
    result = scoring.compute(version, scored(version, [[3, 2]]))
    assert result.total == Decimal("2.50") and result.grade == "A"  # bands in any order: the highest that fits
    assert scoring.grade(version, Decimal("1.79")) == "C"


SECTIONS = (("受命准备", "1", 4), ("业务活动", "1", 2), ("成果", "1", 3))
SIZES = [count for _title, _weight, count in SECTIONS]
SCALE = [1, 2, 3, 4, 5]


@st.composite
def cases(draw):
    weights = [draw(st.decimals(min_value=0, max_value=10, places=2)) for _ in SIZES]
    values = [[draw(st.one_of(st.none(), st.sampled_from(SCALE))) for _ in range(n)] for n in SIZES]
    return weights, values


def test_total_stays_within_the_scale_and_is_monotone():
    version = FormVersion.objects.prefetch_related("sections__items").get(pk=make_version(SECTIONS).pk)
    sections = list(version.sections.all())

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases(), st.data())
    def check(case, data):
        weights, values = case
        for section, weight in zip(sections, weights, strict=True):
            section.weight = weight  # in memory: compute() reads the prefetched sections
        scores = scored(version, values)
        result = scoring.compute(version, scores)
        if all(v is None for v in scores.values()):
            assert result.total is None
            return
        assert Decimal(min(SCALE)) <= result.total <= Decimal(max(SCALE))
        raisable = [pk for pk, v in scores.items() if v is not None and v < max(SCALE)]
        if not raisable:
            return
        pk = data.draw(st.sampled_from(raisable))
        higher = data.draw(st.sampled_from([v for v in SCALE if v > scores[pk]]))
        raised = scoring.compute(version, {**scores, pk: higher})
        assert raised.total >= result.total

    check()
