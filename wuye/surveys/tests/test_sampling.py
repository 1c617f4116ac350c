"""Sample sizes against hand-computed examples, and the stratified sample."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wuye.surveys.sampling import sample_size, stratified_sample, z_value


def test_z_values():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(Decimal("0.99")) == pytest.approx(2.575829, abs=1e-6)
    assert z_value(0.90) == pytest.approx(1.644854, abs=1e-6)


@pytest.mark.parametrize(("population", "confidence", "margin", "expected"), [
    # 95 %, ±5 %: n0 = 1.959964² × 0.25 / 0.05² = 3.841459 × 100 = 384.146
    # N = 1000: 384.146 / (1 + 383.146 / 1000) = 384.146 / 1.383146 = 277.73 → 278
    (1000, "0.95", "0.05", 278),
    # N = 200: 384.146 / (1 + 383.146 / 200) = 384.146 / 2.915729 = 131.75 → 132
    (200, "0.95", "0.05", 132),
    # N = 50: 384.146 / (1 + 383.146 / 50) = 384.146 / 8.662918 = 44.34 → 45
    (50, "0.95", "0.05", 45),
    # 99 %, ±3 %: n0 = 2.575829² × 0.25 / 0.03² = 6.634897 × 0.25 / 0.0009 = 1843.03
    # N = 1000: 1843.03 / (1 + 1842.03 / 1000) = 1843.03 / 2.84203 = 648.49 → 649
    (1000, "0.99", "0.03", 649),
    # N = 10000: 1843.03 / (1 + 1842.03 / 10000) = 1843.03 / 1.184203 = 1556.34 → 1557
    (10000, "0.99", "0.03", 1557),
    # 90 %, ±10 %: n0 = 1.644854² × 0.25 / 0.01 = 67.64; N = 100: 67.64 / (1 + 66.64 / 100) = 40.59 → 41
    (100, "0.90", "0.10", 41),
    # small estates: never more than N, and every household of a one-household estate
    (5, "0.95", "0.05", 5),
    (1, "0.95", "0.05", 1),
    (0, "0.95", "0.05", 0),
])
def test_sample_size_hand_computed(population, confidence, margin, expected):
    assert sample_size(population, Decimal(confidence), Decimal(margin)) == expected


def test_sample_size_grows_with_confidence_and_shrinks_with_margin():
    assert sample_size(1000, 0.99, 0.05) > sample_size(1000, 0.95, 0.05) > sample_size(1000, 0.90, 0.05)
    assert sample_size(1000, 0.95, 0.03) > sample_size(1000, 0.95, 0.05)
    # a very large population approaches n0 (384.146 → 385 at most)
    assert sample_size(10_000_000, 0.95, 0.05) == 385


def test_sample_size_refuses_nonsense():
    with pytest.raises(ValueError):
        sample_size(100, 1.5, 0.05)
    with pytest.raises(ValueError):
        sample_size(100, 0.95, 0)


FRAME = {
    1: list(range(1000, 2000)),     # 1000 households → 278
    2: list(range(5000, 5200)),     # 200 → 132
    3: list(range(9000, 9050)),     # 50 → 45
    4: [7],                         # 1 → 1
    5: [],                          # nobody → 0
}


def test_stratified_sample_sizes_each_stratum():
    sample = stratified_sample(FRAME, Decimal("0.95"), Decimal("0.05"), seed=42)
    assert {k: len(v) for k, v in sample.items()} == {1: 278, 2: 132, 3: 45, 4: 1, 5: 0}


def test_stratified_sample_stays_in_its_stratum_without_duplicates():
    sample = stratified_sample(FRAME, 0.95, 0.05, seed=7)
    for estate_id, units in sample.items():
        assert set(units) <= set(FRAME[estate_id])          # no unit outside its estate, sample ⊆ frame
        assert len(set(units)) == len(units)                # no duplicates
    everything = [u for units in sample.values() for u in units]
    assert len(everything) == len(set(everything))


def test_same_seed_same_sample_other_seed_other_sample():
    first = stratified_sample(FRAME, 0.95, 0.05, seed=2026)
    # the frame's order (and the dictionary's) does not matter
    shuffled = {k: list(reversed(v)) for k, v in reversed(list(FRAME.items()))}
    assert stratified_sample(shuffled, 0.95, 0.05, seed=2026) == first
    assert stratified_sample(FRAME, 0.95, 0.05, seed=2027) != first
