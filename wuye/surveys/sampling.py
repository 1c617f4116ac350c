"""Sample sizes and the stratified random sample of a survey campaign (pure functions, no database).

- ``sample_size``: Cochran's formula for a proportion, n0 = z²·p(1−p)/e², with the finite population correction
  n = n0 / (1 + (n0 − 1)/N), rounded up, never more than N (0 for N = 0). p = 0.5 is the most cautious guess (the
  largest sample).
- ``stratified_sample``: each estate is a stratum sized by ``sample_size`` on its own household count. This asks
  more households than one sample over all estates allocated in proportion (which would hold the margin only for
  the company as a whole), but every estate's own result — the figure the manager acts on, compared across
  campaigns — then holds the chosen confidence and margin. Drawn with ``random.Random(seed)``: the same frame and
  seed give the same sample (the seed is kept on the campaign, so a sample can be re-drawn and checked).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from statistics import NormalDist

Number = float | Decimal


def z_value(confidence: Number) -> float:
    """The two-sided z of a confidence level (0.95 → 1.95996…)."""
    c = float(confidence)
    if not 0 < c < 1:
        raise ValueError("confidence must be between 0 and 1")
    return NormalDist().inv_cdf((1 + c) / 2)


def sample_size(population: int, confidence: Number, margin: Number, p: Number = 0.5) -> int:
    """How many of ``population`` households to ask so a proportion holds ``margin`` at ``confidence``."""
    n_pop = int(population)
    if n_pop <= 0:
        return 0
    e, p = float(margin), float(p)
    if not 0 < e < 1:
        raise ValueError("margin must be between 0 and 1")
    z = z_value(confidence)
    n0 = z * z * p * (1 - p) / (e * e)
    n = n0 / (1 + (n0 - 1) / n_pop)
    # a hair under an integer from floating point error must not round up to the next household
    return min(n_pop, max(1, math.ceil(n - 1e-9)))


def stratified_sample(frame: dict, confidence: Number, margin: Number, seed: int) -> dict:
    """``frame``: {estate id: [unit ids]} → {estate id: [unit ids drawn]}, each stratum sized by ``sample_size`` on
    its own count, drawn without replacement, reproducible for a seed (strata are drawn in estate-id order and each
    result is sorted, so the outcome does not depend on dictionary or list order)."""
    rng = random.Random(seed)
    out: dict = {}
    for estate_id in sorted(frame):
        units = sorted(set(frame[estate_id]))
        size = sample_size(len(units), confidence, margin)
        out[estate_id] = sorted(rng.sample(units, size))
    return out
