"""Fast per-feature attributions for a LightGBM model by decision-path decomposition.

Exact TreeSHAP (LightGBM's ``pred_contrib``) costs tens of times a prediction, too much to
explain a whole portfolio. The path decomposition (Saabas; XGBoost's ``approx_contribs``)
credits each split on a row's path with the change in the node's expected value, so that for
every row ``bias + sum(contributions) == margin`` exactly. Because every leaf's attribution
vector is fixed, it is precomputed once per model (:class:`PathTables`); scoring then needs only
the leaf index of each row in each tree (LightGBM's ``pred_leaf``, about the cost of a
prediction) and a sparse gather-and-sum. Margins come out of the same tables (a last column of
leaf values, summed in the same product), so prediction and explanation share one pass over the
trees. The sum is done a block of rows at a time and over pairs of trees, whose combined leaves
are tabulated too, so each row adds half as many table rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp

#: rows per LightGBM leaf-index call and sparse product: bounds the working memory (LightGBM
#: returns a float64 per row and tree) and lets the index buffers below be reused; measured
#: best between 4,096 and 16,384 rows on the Taiwan model (158 trees)
BLOCK = 8192
#: largest pair table (bytes) built. On the Taiwan model (158 trees of 15 leaves) the 6 MB pair
#: table sums about a quarter faster than single leaves; tabulating triples (59 MB, no longer
#: held in cache) was slower than pairs
PAIR_BUDGET = 8 << 20


def _hit_buffers(rows: int, trees: int) -> tuple[np.ndarray, np.ndarray]:
    """Ones and row pointers of a CSR matrix with ``trees`` unit entries in each of ``rows``
    rows; up to :data:`BLOCK` rows they are prefixes of cached read-only buffers."""
    if rows > BLOCK:
        return np.ones(rows * trees), np.arange(0, rows * trees + 1, trees, dtype=np.int32)
    ones, indptr = _block_buffers(BLOCK, trees)
    return ones[: rows * trees], indptr[: rows + 1]


@lru_cache(maxsize=4)
def _block_buffers(rows: int, trees: int) -> tuple[np.ndarray, np.ndarray]:
    ones = np.ones(rows * trees)
    indptr = np.arange(0, rows * trees + 1, trees, dtype=np.int32)
    ones.flags.writeable = False
    indptr.flags.writeable = False
    return ones, indptr


@dataclass(frozen=True, slots=True)
class PathTables:
    """Per-leaf rows of ``table`` (leaves x (features + 1), dense: a few thousand rows of a few
    dozen features): the leaf's attribution to each feature, then the leaf's value in the last
    column; ``offset`` is the first global leaf id of each tree and ``bias`` the summed root
    values.

    Scoring sums one table row per tree, so it costs a row of work per tree. To halve that, the
    first ``2 * pairs`` trees are taken two at a time: ``pair_table`` holds, for every
    combination of a leaf of tree 2j and a leaf of tree 2j+1, the sum of their two rows (at
    ``pair_offset[j] + leaf(2j) * leaves(2j+1) + leaf(2j+1)``), and the remaining trees keep
    their own rows, appended after the pairs at ``pair_offset[pairs:]``. ``pairs`` is as large as
    :data:`PAIR_BUDGET` allows (few leaves per tree keep the combinations few).
    """

    table: np.ndarray
    offset: np.ndarray
    bias: float
    pairs: int
    pair_table: np.ndarray
    pair_offset: np.ndarray

    @classmethod
    def from_table(cls, table: np.ndarray, offset: np.ndarray, bias: float) -> PathTables:
        """Tables for per-leaf rows ``table`` of trees starting at ``offset``, with tree pairs."""
        table = np.ascontiguousarray(table, dtype=np.float64)
        offset = np.asarray(offset, dtype=np.int32)
        n_leaves = np.diff(np.append(offset, len(table)))
        row_bytes = table.shape[1] * table.itemsize
        rows = np.cumsum(n_leaves[0:-1:2] * n_leaves[1::2])
        pairs = int(np.searchsorted(rows, PAIR_BUDGET // row_bytes, side="right"))
        blocks: list[np.ndarray] = []
        for j in range(pairs):
            a = table[offset[2 * j] : offset[2 * j] + n_leaves[2 * j]]
            b = table[offset[2 * j + 1] : offset[2 * j + 1] + n_leaves[2 * j + 1]]
            blocks.append((a[:, None, :] + b[None, :, :]).reshape(-1, table.shape[1]))
        single = 2 * pairs
        sizes = [len(x) for x in blocks] + list(n_leaves[single:])
        pair_offset = np.cumsum([0, *sizes])[:-1].astype(np.int32)
        blocks.append(table[offset[single] :] if single < len(offset) else table[:0])
        return cls(table, offset, bias, pairs, np.concatenate(blocks), pair_offset)

    @property
    def contrib(self) -> np.ndarray:
        """Attribution rows (leaves x features), a view of ``table``."""
        out: np.ndarray = self.table[:, :-1]
        return out

    @property
    def leaf_value(self) -> np.ndarray:
        """Leaf values by global leaf id, a view of ``table``."""
        out: np.ndarray = self.table[:, -1]
        return out

    @classmethod
    def from_booster(cls, booster: lgb.Booster) -> PathTables:
        """Walk every tree of ``booster`` once and tabulate its leaves."""
        dump = booster.dump_model()
        n_features = len(dump["feature_names"])
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        leaf_values: list[float] = []
        offsets: list[int] = []
        bias = 0.0
        for tree in dump["tree_info"]:
            offsets.append(len(leaf_values))
            root = tree["tree_structure"]
            n_leaves = int(tree["num_leaves"])
            values = [0.0] * n_leaves
            if "split_feature" not in root:  # a single-leaf tree
                values[int(root.get("leaf_index", 0))] = float(root["leaf_value"])
                bias += float(root["leaf_value"])
                leaf_values.extend(values)
                continue
            bias += float(root["internal_value"])
            base = len(leaf_values)
            stack: list[tuple[dict[str, Any], dict[int, float]]] = [(root, {})]
            while stack:
                node, acc = stack.pop()
                parent_value = float(node["internal_value"])
                feature = int(node["split_feature"])
                for child in (node["left_child"], node["right_child"]):
                    is_leaf = "leaf_index" in child
                    value = float(child["leaf_value"] if is_leaf else child["internal_value"])
                    path = dict(acc)
                    path[feature] = path.get(feature, 0.0) + value - parent_value
                    if is_leaf:
                        leaf = int(child["leaf_index"])
                        values[leaf] = value
                        for f, v in path.items():
                            rows.append(base + leaf)
                            cols.append(f)
                            vals.append(v)
                    else:
                        stack.append((child, path))
            leaf_values.extend(values)
        n_leaves_total = len(leaf_values)
        rows.extend(range(n_leaves_total))  # the leaf values, in the last column
        cols.extend([n_features] * n_leaves_total)
        vals.extend(leaf_values)
        table = sp.csr_matrix(
            (vals, (rows, cols)), shape=(n_leaves_total, n_features + 1), dtype=np.float64
        ).toarray()  # duplicates (a feature split twice on a path) are summed here
        return cls.from_table(table, np.asarray(offsets, dtype=np.int32), bias)

    def margin_and_contrib(self, leaves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Margin (log-odds) and (n, features) attributions from a ``pred_leaf`` matrix.

        Both are views of one (n, features + 1) array: the margin is summed from the leaf
        values in the same sparse product that sums the attributions.
        """
        n = len(leaves)
        out = np.empty((n, self.table.shape[1]))
        for lo in range(0, n, BLOCK):
            self.accumulate(leaves[lo : lo + BLOCK], out[lo : lo + BLOCK])
        return out[:, -1], out[:, :-1]

    def accumulate(self, leaves: np.ndarray, out: np.ndarray) -> None:
        """Write into ``out`` (m, features + 1) the summed table rows of each row's leaves.

        Row i of the hit matrix marks the pair-table rows row i lands in (one per tree pair and
        per unpaired tree), so the product with ``pair_table`` sums their attribution rows and,
        in the last column, their leaf values.
        """
        m, t = leaves.shape
        if t != len(self.offset):
            raise ValueError(f"expected leaf indices of {len(self.offset)} trees, got {t}")
        k = self.pairs
        n_leaves = np.diff(self.offset, append=np.int32(len(self.table)))  # int32, like ids
        groups = t - k
        ids = np.empty((m, groups), dtype=np.int32)
        # pair j: leaf(2j) * leaves(2j+1) + leaf(2j+1), then the unpaired trees' own leaves
        np.multiply(leaves[:, 0 : 2 * k : 2], n_leaves[1 : 2 * k : 2], out=ids[:, :k])
        ids[:, :k] += leaves[:, 1 : 2 * k : 2]
        ids[:, k:] = leaves[:, 2 * k :]
        ids += self.pair_offset
        ones, indptr = _hit_buffers(m, groups)
        hits = sp.csr_matrix((ones, ids.ravel(), indptr), shape=(m, len(self.pair_table)))
        out[...] = hits @ self.pair_table
