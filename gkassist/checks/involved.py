"""The official cells a finding is about, so that a grid can mark each of them.

Found from the finding's ids only (its rule code and Location), never from its text: a failing
identity marks the total and all its parts (A1 down a column, A3 along a row, A6 on 上年结转);
a finding on a cell marks that cell; on a row or a column, that row's or column's cells; a
table-wide finding, the cells it lists (``Finding.cells``).
"""

from __future__ import annotations

from gkassist.checks.identities import identity_cells
from gkassist.checks.rulebook import load_specs
from gkassist.findings import Finding, Location
from gkassist.layouts import table_layout

CellId = tuple[str, str]


def finding_cells(finding: Finding) -> tuple[CellId, ...]:
    """(row id, column id) of every official cell of the finding's table the finding is about."""
    loc = finding.location
    if loc.table is None or loc.sub_row is not None:
        return ()
    if loc.format is None:  # table-wide: the cells it lists, if any
        return tuple((c.row, c.column) for c in finding.cells if _official(c) and c.row and c.column)
    spec = load_specs().get(finding.code)
    if spec is not None and spec.identity is not None and spec.identity.table == loc.table:
        cells = identity_cells(spec.identity, loc.format, loc.address)
        if cells:
            return cells
    return _cells_at(loc)


def _official(place: Location) -> bool:
    return place.sub_row is None and place.row is not None


def _cells_at(loc: Location) -> tuple[CellId, ...]:
    assert loc.format is not None and loc.table is not None
    layout = table_layout(loc.format, loc.table)
    cells: list[CellId] = []
    for block in layout.blocks:
        for row in block.rows:
            if loc.row not in (None, row.id):
                continue
            cells += [(row.id, col.id) for col in block.columns if loc.column in (None, col.id)]
    return tuple(cells)
