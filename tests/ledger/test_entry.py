"""Entries: canonical form, signatures over the entry without ``sigs``, acceptance signatures."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest

from accord.ledger.agreement import agreement_message, verify_acceptance
from accord.ledger.canonical import canonicalize
from accord.ledger.entry import (
    EntrySignature,
    is_system_actor,
    make_entry,
    parse_entry,
    sign_entry,
    verify_entry_signatures,
)
from accord.ledger.errors import EntryError, SignatureError, UnknownKey
from accord.ledger.keys import PublicKey, SigningKey

from .scenario import build_ledger

LEDGER = build_ledger(8)
KEYS: dict[str, PublicKey] = {k.kid: k.public for k in LEDGER.party_keys}


def test_leaf_data_is_canonical_and_round_trips() -> None:
    for e in LEDGER.entries:
        data = e.leaf_data()
        assert data == canonicalize(json.loads(data))
        assert parse_entry(data) == dataclasses.replace(e, payload=json.loads(data)["payload"])


def test_signature_covers_the_entry_without_sigs_exactly() -> None:
    e = LEDGER.entries[1]
    obj = json.loads(e.leaf_data())
    del obj["sigs"]
    (sig,) = e.sigs
    assert KEYS[sig.kid].verify(sig.sig, canonicalize(obj))
    verify_entry_signatures(e, KEYS)


@pytest.mark.parametrize("field", ["seq", "tenant", "type", "time", "actor", "subjects", "payload"])
def test_editing_any_signed_field_breaks_the_signature(field: str) -> None:
    e = LEDGER.entries[0]
    changed = {
        "seq": 99,
        "tenant": "other",
        "type": "case.closed",
        "time": "2025-03-01T08:00:01Z",
        "actor": e.actor,
        "subjects": ("case:9",),
        "payload": {"debtor_id": "0" * 64},
    }[field]
    forged = dataclasses.replace(e, **{field: changed})
    if field == "actor":  # same actor, so instead claim the debtor authored it
        forged = dataclasses.replace(e, actor=LEDGER.debtor.party)
    with pytest.raises(SignatureError):
        verify_entry_signatures(forged, KEYS)


def test_actor_must_sign_and_keys_must_be_known() -> None:
    e = make_entry(
        seq=0, tenant="demo", type="note", time="2025-01-01T00:00:00Z", actor="creditor:acme"
    )
    with pytest.raises(SignatureError, match="no signature by its actor"):
        verify_entry_signatures(sign_entry(e, LEDGER.debtor), KEYS)
    with pytest.raises(UnknownKey):
        verify_entry_signatures(sign_entry(e, LEDGER.creditor), {})
    both = sign_entry(sign_entry(e, LEDGER.debtor), LEDGER.creditor)
    verify_entry_signatures(both, KEYS)
    assert [s.kid for s in both.sigs] == sorted(s.kid for s in both.sigs)


def test_system_entries_carry_no_signature_and_party_entries_must() -> None:
    sys_entry = make_entry(
        seq=3,
        tenant="demo",
        type="account.bucket_changed",
        time="2025-01-31T00:00:00Z",
        actor="system:tick",
        subjects=["account:A1"],
        payload={"from": "current", "to": "M1"},
    )
    assert is_system_actor(sys_entry.actor)
    assert not is_system_actor("creditor:acme")
    verify_entry_signatures(sys_entry, KEYS)  # vouched for by checkpoints, not by a key
    with pytest.raises(EntryError, match="not signed"):
        sign_entry(sys_entry, LEDGER.creditor)
    signed = dataclasses.replace(sys_entry, sigs=(EntrySignature(LEDGER.creditor.kid, b"x" * 64),))
    with pytest.raises(SignatureError, match="system entry by system:tick carries 1 signature"):
        verify_entry_signatures(signed, KEYS)
    party = dataclasses.replace(sys_entry, actor="creditor:acme")
    with pytest.raises(SignatureError, match="no signature by its actor"):
        verify_entry_signatures(party, KEYS)


def test_a_key_claiming_a_system_party_is_refused() -> None:
    impostor = SigningKey.from_seed("system:tick", b"\x05" * 32)
    e = make_entry(
        seq=0, tenant="demo", type="note", time="2025-01-01T00:00:00Z", actor="creditor:acme"
    )
    forged = dataclasses.replace(
        e, sigs=(EntrySignature(impostor.kid, impostor.sign(e.signed_bytes())),)
    )
    with pytest.raises(SignatureError, match="claims system party"):
        verify_entry_signatures(forged, {impostor.kid: impostor.public})


@pytest.mark.parametrize(
    "time", ["2025-01-01 00:00:00Z", "2025-01-01T00:00:00+08:00", "2025-02-30T00:00:00Z", "x"]
)
def test_time_must_be_rfc3339_utc(time: str) -> None:
    with pytest.raises(EntryError):
        make_entry(seq=0, tenant="t", type="x", time=time, actor="a")


def test_payload_floats_are_rejected() -> None:
    with pytest.raises(EntryError):
        make_entry(
            seq=0,
            tenant="t",
            type="x",
            time="2025-01-01T00:00:00Z",
            actor="a",
            payload={"amount": 12.5},
        )


def test_parse_rejects_extra_members_and_non_canonical_lines() -> None:
    data = LEDGER.entries[0].leaf_data()
    obj = json.loads(data)
    with pytest.raises(EntryError):
        parse_entry(canonicalize({**obj, "extra": 1}))
    with pytest.raises(EntryError):
        parse_entry(json.dumps(obj).encode())  # spaces, unsorted: valid JSON, not canonical


def test_acceptance_needs_both_parties() -> None:
    payload = dict(LEDGER.entries[3].payload)
    verify_acceptance(payload, KEYS)
    sigs = payload["signatures"]
    # Debtor's signature slot filled with the creditor's signature: the party check fails.
    swapped = {**payload, "signatures": {"creditor": sigs["creditor"], "debtor": sigs["creditor"]}}
    with pytest.raises(SignatureError):
        verify_acceptance(swapped, KEYS)
    with pytest.raises(EntryError):
        verify_acceptance({**payload, "signatures": {"creditor": sigs["creditor"]}}, KEYS)
    other = {**payload, "agreement_hash": "00" * 32}
    with pytest.raises(SignatureError):
        verify_acceptance(other, KEYS)


def test_agreement_message_is_domain_separated() -> None:
    digest = bytes(32)
    msg = agreement_message(digest)
    assert msg == b"accord.agreement.v1\n" + b"0" * 64 + b"\n"
    sig = base64.b64decode(LEDGER.entries[3].payload["signatures"]["debtor"]["sig"])
    assert not LEDGER.debtor.public.verify(
        sig, bytes.fromhex(LEDGER.entries[3].payload["agreement_hash"])
    )


def test_parse_rejects_wrongly_typed_arrays() -> None:
    obj = json.loads(LEDGER.entries[0].leaf_data())
    with pytest.raises(EntryError):
        parse_entry(canonicalize({**obj, "subjects": "case:0"}))
    with pytest.raises(EntryError):
        parse_entry(canonicalize({**obj, "sigs": [{**obj["sigs"][0], "extra": 1}]}))
