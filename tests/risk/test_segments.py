"""Segments (ability vs willingness) and early-warning flags, as stories."""

import polars as pl
import pytest

from accord.risk.early_warning import band_of, early_warnings
from accord.risk.errors import SchemaError
from accord.risk.reasons import catalogue
from accord.risk.segments import SEGMENTS, SegmentInputs, SegmentPolicy, segment


def test_unreachable_comes_first() -> None:
    s = segment(SegmentInputs(dpd=45, contact_attempts=5, contacts_answered=0, affordability=0.2))
    assert s.label == "unreachable"
    assert s.reasons[0].message_id == "risk.segment.no_answer"


def test_hardship_when_unable_to_pay() -> None:
    s = segment(SegmentInputs(dpd=60, contact_attempts=2, contacts_answered=2, affordability=0.4))
    assert s.label == "hardship"
    assert s.confident
    assert dict(s.reasons[0].params) == {"ratio": "0.40"}
    inferred = segment(
        SegmentInputs(
            dpd=60, contact_attempts=1, contacts_answered=1, util=0.97, pay_ratio_trend=-0.3
        )
    )
    assert inferred.label == "hardship"


def test_forgetful_payer() -> None:
    """Twelve clean months, 8 days late, paid after the reminder: forgetful, not strategic."""
    s = segment(
        SegmentInputs(
            dpd=8,
            contact_attempts=1,
            contacts_answered=1,
            affordability=3.0,
            months_paid_full_before=12,
            paid_in_window=True,
        )
    )
    assert s.label == "forgetful"


def test_strategic_defaulter() -> None:
    """Can afford it, answers the phone, breaks promises and pays nothing: strategic."""
    s = segment(
        SegmentInputs(
            dpd=75, contact_attempts=4, contacts_answered=3, affordability=2.5, promises_broken=3
        )
    )
    assert s.label == "strategic"
    assert {r.message_id for r in s.reasons} == {
        "risk.segment.no_payment",
        "risk.segment.broken_promises",
    }


def test_policy_thresholds_matter() -> None:
    a = SegmentInputs(
        dpd=45,
        contact_attempts=1,
        contacts_answered=1,
        affordability=2.0,
        months_paid_full_before=6,
        paid_in_window=True,
    )
    assert segment(a).label == "hardship"  # partial payer past the short-delay limit
    assert segment(a, SegmentPolicy(short_dpd=60)).label == "forgetful"


def test_every_message_is_catalogued_in_both_languages() -> None:
    messages = catalogue()["messages"]
    for mid, texts in messages.items():
        assert set(texts) == {"zh-CN", "en"}, mid
    assert set(SEGMENTS) == {"unreachable", "hardship", "forgetful", "strategic"}


def test_band_edges() -> None:
    assert band_of([0.0, 0.0199, 0.02, 0.05, 0.3, 0.9]).tolist() == ["A", "A", "B", "C", "E", "F"]


def test_early_warnings_flag_only_current_accounts() -> None:
    frame = pl.DataFrame(
        {
            "account_id": [1, 2, 3, 4, 5],
            "dpd": [0, 0, 0, 15, 0],
            "pd_prev": [0.03, 0.001, 0.04, 0.03, 0.12],
            "pd_now": [0.12, 0.003, 0.06, 0.30, 0.13],
        }
    )
    flags = early_warnings(frame)
    got = {(r["account_id"], r["flag"]) for r in flags.iter_rows(named=True)}
    # 1 jumped and changed band (B->D); 2 tripled but stays tiny; 3 crossed B->C;
    # 4 is past due (collections, not EWS); 5 barely moved inside band D
    assert got == {(1, "pd_jump"), (1, "band_worse"), (3, "band_worse")}
    assert flags.filter(pl.col("account_id") == 3)["band_now"].item() == "C"
    with pytest.raises(SchemaError, match="needs columns"):
        early_warnings(frame.drop("dpd"))
