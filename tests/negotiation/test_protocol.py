"""Alternating offers and mediation: a story, convergence, policy, and event records."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.negotiation.errors import ProtocolError
from accord.negotiation.examples import cny, example_case
from accord.negotiation.mediator import mediate
from accord.negotiation.protocol import accept, counter, open_session


def test_story_debtor_haggles_then_agent_accepts_within_reservation() -> None:
    s = open_session(example_case(wages=9000), deadline=5, beta=0.5)
    assert s.status == "open"
    assert s.events[0].type == "negotiation.opened"
    assert s.events[-1].type == "offer.made"
    opening_value = float(s.values.creditor_value[0, s.offer])
    assert opening_value == pytest.approx(s.best)
    # a cheeky counter at a tiny monthly amount is refused and countered
    s = counter(s, monthly=cny(300))
    assert s.status == "open"
    assert [e.type for e in s.events[-3:]] == ["offer.countered", "counter.rejected", "offer.made"]
    # the debtor then asks for a payment it can afford; the agent accepts once it is worth enough
    while s.status == "open":
        s = counter(s, monthly=cny(1600))
    assert s.status in {"agreed", "pending_approval", "expired"}
    for e in s.events:
        assert json.dumps(e.to_json(), ensure_ascii=False)
        assert e.reason.render("en")
        assert e.reason.render("zh-CN")


@settings(max_examples=15, deadline=None)
@given(beta=st.sampled_from([0.3, 1.0, 3.0]), deadline=st.integers(2, 8))
def test_targets_fall_monotonically_to_the_batna(beta: float, deadline: int) -> None:
    s = open_session(example_case(wages=9000), deadline=deadline, beta=beta)
    targets = [s.target(t) for t in range(1, deadline + 1)]
    assert all(a >= b for a, b in itertools.pairwise(targets))
    assert targets[0] == pytest.approx(s.best)
    assert targets[-1] == pytest.approx(s.floor)


def test_accepting_the_opening_offer_and_errors() -> None:
    s = accept(open_session(example_case(wages=9000)))
    assert s.status in {"agreed", "pending_approval"}
    assert s.events[-1].type in {"offer.accepted", "approval.required"}
    with pytest.raises(ProtocolError):
        accept(s)
    with pytest.raises(ProtocolError):
        counter(open_session(example_case(wages=9000)))


def test_deep_relief_goes_to_staff_approval() -> None:
    s = accept(open_session(example_case(wages=6200)))
    assert s.status == "pending_approval"
    assert s.events[-1].type == "approval.required"


def test_no_plan_session() -> None:
    s = open_session(example_case(wages=5800, liquid=0))
    assert s.status == "no_plan"


def test_mediation_overlap_settles_at_midpoint_and_gap_gets_a_proposal() -> None:
    case = example_case(wages=9000)
    m = mediate(case, creditor_floor=cny(40000), debtor_ceiling=cny(50000))
    assert m.settled
    assert m.amount == cny(45000)
    assert all(e.payload.get("sealed") for e in m.events[:2])
    assert "40000" not in json.dumps([e.to_json() for e in m.events[:2]])
    g = mediate(case, creditor_floor=cny(60000), debtor_ceiling=cny(30000))
    assert not g.settled
    assert g.gap == cny(30000)
    assert g.proposal is not None
    assert g.events[-1].type == "mediation.proposed"
