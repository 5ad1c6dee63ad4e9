"""How close a float32 result can be asked to be: tolerances tied to the size of the values.

float32 keeps about 7 significant digits (machine epsilon 1.19e-7), so a result computed from
inputs of size M carries an absolute error of a few ulps of M, whatever the result's own size.
A bare `rtol` fails on results near zero (a loss of 0.002 computed from logits of size 10), so
property tests compare with `atol=float32_atol(inputs)` instead.
"""

import numpy as np

EPS32 = float(np.finfo(np.float32).eps)


def float32_atol(*arrays, ulps: float = 8) -> float:
    """`ulps` float32 ulps of the largest finite |value| in `arrays` (and at least of 1).

    Example: float32_atol([0.5, -12.0]) -> 8 * 1.19e-7 * 13 = 1.24e-05
    """
    biggest = 0.0
    for a in arrays:
        values = np.abs(np.asarray(a, dtype=np.float64))
        finite = values[np.isfinite(values)]
        biggest = max(biggest, float(finite.max(initial=0.0)))
    return ulps * EPS32 * (1.0 + biggest)
