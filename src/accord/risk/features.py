"""Feature policy and the Taiwan behavioural feature set.

Two things live here. First, the *feature policy*: which columns may never be model features
(protected attributes, excluded by default everywhere, see :data:`PROTECTED`) and which features
must act monotonically on risk (more delay never lowers risk, see :data:`MONOTONE_INCREASING`).
Second, :func:`taiwan_features`, which turns one row of the UCI "default of credit card clients"
table into behavioural features: utilisation, payment-to-bill ratios, maximum delay, months
delinquent and trends. Month 1 is the most recent (September 2005), month 6 the oldest (April).

``EDUCATION`` is not a protected attribute in the usual legal lists, but it is a strong proxy for
socio-economic background and says nothing about repayment *behaviour*; we leave it out of the
Taiwan feature set (:data:`POLICY_EXCLUDED`), which costs about 0.002 AUC on the holdout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import pandas as pd

from accord.risk.errors import ProtectedFeatureError, SchemaError

#: Attribute names (lower-case, matched as whole words inside column names) never used as features.
PROTECTED: Final[tuple[str, ...]] = (
    "sex",
    "gender",
    "age",
    "marriage",
    "marital",
    "marital_status",
    "personal_status",
    "race",
    "ethnicity",
    "religion",
    "nationality",
    "foreign_worker",
    "disability",
    "pregnancy",
)
#: Not legally protected but excluded from the Taiwan model by policy (socio-economic proxy).
POLICY_EXCLUDED: Final[tuple[str, ...]] = ("EDUCATION",)

MONTHS: Final = (1, 2, 3, 4, 5, 6)
_PAY_COLS: Final = ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6")
TAIWAN_TARGET: Final = "default.payment.next.month"
TAIWAN_ID: Final = "ID"
TAIWAN_RAW: Final[tuple[str, ...]] = (
    "LIMIT_BAL",
    *_PAY_COLS,
    *(f"BILL_AMT{m}" for m in MONTHS),
    *(f"PAY_AMT{m}" for m in MONTHS),
)

#: Features whose effect on the probability of default must be non-decreasing.
MONOTONE_INCREASING: Final[frozenset[str]] = frozenset(
    {
        *(f"delay_{m}" for m in MONTHS),
        "max_delay",
        "max_delay_recent3",
        "months_delinquent",
        "months_delinquent_recent3",
        *(f"status_{m}" for m in MONTHS[:2]),
    }
)


def is_protected(column: str, protected: Iterable[str] = PROTECTED) -> bool:
    """True when ``column`` names a protected attribute: a protected word appears in it as a token.

    Tokens are split on non-alphanumerics and camel case, so ``AGE``, ``applicant_age``,
    ``MaritalStatus`` and ``personal_status_sex`` are caught while ``page_views`` or ``usage`` are
    not. The check is deliberately conservative: a false positive can be overridden by renaming.
    """
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", column)
    tokens = [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]
    joined = "_".join(tokens)
    for word in protected:
        w = word.lower()
        if w in tokens or (("_" in w) and re.search(rf"(^|_){re.escape(w)}(_|$)", joined)):
            return True
    return False


def select_features(
    columns: Sequence[str],
    *,
    exclude: Iterable[str] = (),
    protected: Iterable[str] = PROTECTED,
    allow_protected: bool = False,
) -> tuple[str, ...]:
    """Return ``columns`` minus ``exclude`` and minus every protected attribute, order kept.

    ``allow_protected=True`` is for fairness *analysis* only (never for training); without it a
    protected column is silently dropped here. Use :func:`assert_no_protected` at the point where a
    feature list is about to be fitted, which raises instead.
    """
    excluded = set(exclude)
    prot = tuple(protected)
    return tuple(
        c for c in columns if c not in excluded and (allow_protected or not is_protected(c, prot))
    )


def assert_no_protected(features: Iterable[str], protected: Iterable[str] = PROTECTED) -> None:
    """Raise :class:`ProtectedFeatureError` if any of ``features`` is a protected attribute."""
    prot = tuple(protected)
    bad = [f for f in features if is_protected(f, prot)]
    if bad:
        raise ProtectedFeatureError(f"protected attributes may not be model features: {bad}")


def _ratio(num: np.ndarray, den: np.ndarray, cap: float) -> np.ndarray:
    """num/den where den > 0, else NaN (no bill to pay), clipped to [-cap, cap]."""
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    clipped: np.ndarray = np.clip(out, -cap, cap, out=out)
    return clipped


def taiwan_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Behavioural features for the Taiwan table (one row per card holder), index preserved.

    Delay codes ``PAY_k`` (-2 no use, -1 paid in full, 0 revolving, k>0 months late) become
    ``delay_m = max(PAY, 0)`` (monotone) plus counts of each non-delinquent status, so the model
    can use the status information without being allowed to reward delinquency. Ratios divide by
    the credit limit or by the previous month's bill (month m's payment settles bill m+1).
    Protected and policy-excluded columns (SEX, AGE, MARRIAGE, EDUCATION) are never read.
    """
    missing = [c for c in TAIWAN_RAW if c not in frame.columns]
    if missing:
        raise SchemaError(f"Taiwan table lacks columns {missing}")
    limit = frame["LIMIT_BAL"].to_numpy(float)
    status = frame[list(_PAY_COLS)].to_numpy(float)
    bill = frame[[f"BILL_AMT{m}" for m in MONTHS]].to_numpy(float)
    paid = frame[[f"PAY_AMT{m}" for m in MONTHS]].to_numpy(float)
    delay = np.clip(status, 0, None)
    safe_limit = np.where(limit > 0, limit, np.nan)
    util = bill / safe_limit[:, None]
    # payment in month m against the bill of month m+1 (the bill it settles)
    pay_ratio = _ratio(paid[:, :5], bill[:, 1:], cap=10.0)
    cols: dict[str, np.ndarray] = {"limit": limit}
    for i, m in enumerate(MONTHS):
        cols[f"delay_{m}"] = delay[:, i]
    # status of the two latest months with every delinquent code collapsed to 1: keeps the
    # no-use / paid-in-full / revolving distinction without ranking the delays themselves
    for i, m in enumerate(MONTHS[:2]):
        cols[f"status_{m}"] = np.minimum(status[:, i], 1.0)
    cols |= {
        "max_delay": delay.max(axis=1),
        "max_delay_recent3": delay[:, :3].max(axis=1),
        "months_delinquent": (status > 0).sum(axis=1).astype(float),
        "months_delinquent_recent3": (status[:, :3] > 0).sum(axis=1).astype(float),
        "months_no_use": (status == -2).sum(axis=1).astype(float),
        "months_paid_full": (status == -1).sum(axis=1).astype(float),
        "months_revolving": (status == 0).sum(axis=1).astype(float),
        "delay_trend": delay[:, :3].mean(axis=1) - delay[:, 3:].mean(axis=1),
    }
    for i, m in enumerate(MONTHS):
        cols[f"bill_{m}"] = bill[:, i]
        cols[f"paid_{m}"] = paid[:, i]
    cols |= {
        "util_1": util[:, 0],
        "util_mean": util.mean(axis=1),
        "util_max": util.max(axis=1),
        "util_trend": util[:, 0] - util[:, 5],
        "pay_ratio_1": pay_ratio[:, 0],
        "pay_ratio_mean": _nanmean(pay_ratio),
        "pay_ratio_min": _nanmin(pay_ratio),
        "paid_to_limit_mean": paid.mean(axis=1) / safe_limit,
        "months_zero_paid": (paid == 0).sum(axis=1).astype(float),
        "bill_trend": (bill[:, 0] - bill[:, 5]) / safe_limit,
        "paid_trend": (paid[:, :3].mean(axis=1) - paid[:, 3:].mean(axis=1)) / safe_limit,
        "headroom_1": (limit - bill[:, 0]) / safe_limit,
    }
    return pd.DataFrame(cols, index=frame.index)


def _nanmean(a: np.ndarray) -> np.ndarray:
    """Row mean ignoring NaN; NaN for an all-NaN row (no warning)."""
    n = (~np.isnan(a)).sum(axis=1)
    s = np.nansum(a, axis=1)
    return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def _nanmin(a: np.ndarray) -> np.ndarray:
    """Row minimum ignoring NaN; NaN for an all-NaN row (no warning)."""
    filled = np.where(np.isnan(a), np.inf, a)
    m = filled.min(axis=1)
    return np.where(np.isinf(m), np.nan, m)


def monotone_map(features: Sequence[str]) -> dict[str, int]:
    """Monotone-constraint direction (+1) for each of ``features`` that the domain constrains."""
    return {f: 1 for f in features if f in MONOTONE_INCREASING}
