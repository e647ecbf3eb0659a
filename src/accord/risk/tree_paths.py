"""Fast per-feature attributions for a LightGBM model by decision-path decomposition.

Exact TreeSHAP (LightGBM's ``pred_contrib``) costs tens of times a prediction, too much to
explain a whole portfolio. The path decomposition (Saabas; XGBoost's ``approx_contribs``)
credits each split on a row's path with the change in the node's expected value, so that for
every row ``bias + sum(contributions) == margin`` exactly. Because every leaf's attribution
vector is fixed, it is precomputed once per model (:class:`PathTables`); scoring then needs only
the leaf index of each row in each tree (LightGBM's ``pred_leaf``, about the cost of a
prediction) and a sparse gather-and-sum. Margins come out of the same tables, so prediction and
explanation share one pass over the trees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, slots=True)
class PathTables:
    """Per-leaf attribution rows: ``contrib`` (leaves x features, dense: a few thousand rows of
    a few dozen features), ``leaf_value``,
    ``offset`` (first global leaf id of each tree) and the summed root values ``bias``."""

    contrib: np.ndarray
    leaf_value: np.ndarray
    offset: np.ndarray
    bias: float

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
        contrib = sp.csr_matrix(
            (vals, (rows, cols)), shape=(len(leaf_values), n_features), dtype=np.float64
        ).toarray()  # duplicates (a feature split twice on a path) are summed here
        return cls(contrib, np.asarray(leaf_values), np.asarray(offsets, dtype=np.int32), bias)

    def margin_and_contrib(self, leaves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Margin (log-odds) and (n, features) attributions from a ``pred_leaf`` matrix."""
        n, t = leaves.shape
        ids = (leaves.astype(np.int32, copy=False) + self.offset[None, :]).ravel()
        margin = self.leaf_value[ids].reshape(n, t).sum(axis=1)
        # row i of ``hits`` marks the t leaves row i lands in; hits @ contrib sums their rows
        hits = sp.csr_matrix(
            (np.ones(n * t), ids, np.arange(0, n * t + 1, t)), shape=(n, len(self.leaf_value))
        )
        contrib = np.asarray(hits @ self.contrib)
        return margin, contrib
