"""The table of the window's articles that candidates are narrowed on."""

import numpy as np

from pipelines.clustering.features import DocVector
from pipelines.clustering.index import Signer
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Node
from pipelines.clustering.table import NodeTable

PARAMS = ClusterParams()
SIGNER = Signer(PARAMS)
EMPTY = DocVector(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint8))


def _node(seq: int, time: float | None = None, terms: list[int] | None = None) -> Node:
    return Node(key=f"a{seq}", seq=seq, source=None, time=time, seen=None, text_hash="",
                vector=EMPTY, shingle_sig=None, story_terms=np.zeros(0, dtype=np.uint32),
                cluster=1, story_sig=SIGNER.sign(terms or []))


def test_rows_outlive_growth_and_are_reused_after_removal():
    table = NodeTable(PARAMS.num_perm)
    nodes = [_node(seq, time=float(seq), terms=[seq]) for seq in range(3000)]
    for node in nodes:
        table.add(node)
    for node in nodes[:1000]:
        table.remove(node.key)
    late = _node(3000, time=3000.0, terms=[3000])
    table.add(late)
    assert len(table) == 2001
    rows = table.rows(["a2999", "a5", "a3000", "unknown", "a1500"])
    assert [n.key for n in table.nodes(rows)] == ["a2999", "a3000", "a1500"]
    assert table.times[rows].tolist() == [2999.0, 3000.0, 1500.0]
    assert table.seqs[rows].tolist() == [2999, 3000, 1500]
    assert table.rows(["a3000"])[0] < 1000  # a freed row, not a new one


def test_agreement_counts_shared_hash_values_and_is_zero_without_a_signature():
    table = NodeTable(PARAMS.num_perm)
    same, half, unsigned, undated = (_node(0, terms=[1, 2, 3, 4]), _node(1, terms=[1, 2, 5, 6]),
                                     _node(2), _node(3, terms=[9]))
    for node in (same, half, unsigned, undated):
        table.add(node)
    rows = table.rows(["a0", "a1", "a2", "a3"])
    agreement = table.agreement(SIGNER.sign([1, 2, 3, 4]), rows)
    assert agreement[0] == PARAMS.num_perm
    assert 0 < agreement[1] < PARAMS.num_perm
    assert agreement[2] == 0
    assert np.isnan(table.times[rows][3])
    assert table.agreement(None, rows).tolist() == [0, 0, 0, 0]
