"""Regenerate ``corrupted_proofs.json`` from ``rfc6962_reference.json``.

Reproduce with ``python tests/ledger/vectors/make_corrupted.py`` (standard library only). The
probes follow ``corruptInclusionProof`` / ``corruptConsistencyProof`` of transparency-dev/merkle
proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472): wrong index or size,
wrong leaf or root, garbage before/after the proof, a removed or inserted element, and one flipped
bit per element. Every probe must be rejected. (Exhaustive single-bit flips of every proof byte are
generated inside the test instead of being committed.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SOME_HASH = "abacaba000000000000000000000000000000000000000000060061e00123456"
EMPTY = hashlib.sha256(b"").hexdigest()


def _flip(h: str, byte: int, mask: int) -> str:
    b = bytearray(bytes.fromhex(h))
    b[byte] ^= mask
    return b.hex()


def inclusion_probes(ref: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for v in ref["inclusion"]:
        if v["size"] < 2:
            continue
        i, n, p = v["index"], v["size"], v["proof"]
        leaf = hashlib.sha256(b"\x00" + bytes.fromhex(ref["leaves"][i])).hexdigest()
        root = ref["roots"][n]
        base = {"leaf_hash": leaf, "index": i, "size": n, "proof": p, "root": root}
        variants = [
            ("index - 1", {"index": i - 1}),
            ("index + 1", {"index": i + 1}),
            ("index ^ 2", {"index": i ^ 2}),
            ("size * 2", {"size": n * 2}),
            ("size // 2", {"size": n // 2}),
            ("wrong leaf", {"leaf_hash": hashlib.sha256(b"WrongLeaf").hexdigest()}),
            ("empty root", {"root": EMPTY}),
            ("random root", {"root": SOME_HASH}),
            ("trailing garbage", {"proof": [*p, ""]}),
            ("trailing root", {"proof": [*p, root]}),
            ("preceding garbage", {"proof": ["", *p]}),
            ("preceding root", {"proof": [root, *p]}),
            ("removed component", {"proof": p[:-1]}),
        ]
        if len(p) > 1:
            variants.append(("inserted component", {"proof": [p[0], SOME_HASH, *p[1:]]}))
        for k in range(len(p)):
            bad = list(p)
            bad[k] = _flip(bad[k], 0, 8)
            variants.append((f"modified proof[{k}] bit 3", {"proof": bad}))
        out += [{**base, **change, "desc": desc} for desc, change in variants]
    return out


def consistency_probes(ref: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for v in ref["consistency"]:
        if not v["proof"]:
            continue
        m, n, p = v["size1"], v["size2"], v["proof"]
        r1, r2 = ref["roots"][m], ref["roots"][n]
        base = {"size1": m, "size2": n, "proof": p, "root1": r1, "root2": r2}
        variants = [
            ("size1 - 1", {"size1": m - 1}),
            ("size1 + 1", {"size1": m + 1}),
            ("size1 ^ 2", {"size1": m ^ 2}),
            ("size2 * 2", {"size2": n * 2}),
            ("size2 // 2", {"size2": n // 2}),
            ("wrong root1", {"root1": SOME_HASH}),
            ("wrong root2", {"root2": SOME_HASH}),
            ("swapped roots", {"root1": r2, "root2": r1}),
            ("empty proof", {"proof": []}),
            ("trailing garbage", {"proof": [*p, ""]}),
            ("trailing root1", {"proof": [*p, r1]}),
            ("trailing root2", {"proof": [*p, r2]}),
            ("preceding garbage", {"proof": ["", *p]}),
            ("preceding root1", {"proof": [r1, *p]}),
            ("preceding root2", {"proof": [r2, *p]}),
            ("preceding proof[0]", {"proof": [p[0], *p]}),
            ("truncated proof", {"proof": p[:-1]}),
        ]
        for k in range(len(p)):
            bad = list(p)
            bad[k] = _flip(bad[k], 0, 16)
            variants.append((f"modified proof[{k}] bit 4", {"proof": bad}))
        out += [{**base, **change, "desc": desc} for desc, change in variants]
    return out


def main() -> None:
    ref = json.loads((HERE / "rfc6962_reference.json").read_text())
    doc = {
        "description": "Deliberately corrupted proofs derived from rfc6962_reference.json; "
        "every probe must fail verification.",
        "generated_by": "python tests/ledger/vectors/make_corrupted.py",
        "derived_from": ref["provenance"][1],
        "want": "fail",
        "inclusion": inclusion_probes(ref),
        "consistency": consistency_probes(ref),
    }
    (HERE / "corrupted_proofs.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
