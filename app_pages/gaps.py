"""The chain-gaps page: segment x area counts, ranked investment targets, distant suppliers.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import streamlit as st

import geo.io
import zoning
from app_pages import common
from layers.i18n import t
from zoning import tables

__all__ = ["render"]


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    project = common.project()
    firms, areas, chain = project.enterprises, project.areas, project.chain
    st.write(t("gaps.intro", lang))
    # The point-in-area test runs once: counts feed the matrix, the gaps and the targets.
    counts = zoning.segment_counts(firms, areas=areas, chain=chain)
    gaps = zoning.chain_gaps(firms, areas=areas, chain=chain, counts=counts)
    st.subheader(t("gaps.matrix", lang))
    st.dataframe(
        tables.gap_matrix(counts, gaps, areas=areas, chain=chain, lang=lang), width="stretch"
    )
    st.caption(t("gaps.matrix_caption", lang))
    targets = zoning.investment_targets(firms, areas=areas, chain=chain, gaps=gaps)
    st.subheader(t("gaps.targets", lang))
    st.dataframe(
        tables.targets_table(targets, areas=areas, lang=lang), hide_index=True, width="stretch"
    )
    st.download_button(
        t("gaps.download", lang),
        geo.io.table_csv(targets),
        file_name="investment_targets.csv",
        mime="text/csv",
    )
    st.subheader(t("gaps.suppliers", lang))
    threshold = zoning.settings.supplier_threshold_m
    st.caption(t("gaps.suppliers_intro", lang, km=threshold / 1000))
    flags = zoning.supplier_flags(firms, chain=chain, threshold_m=threshold)
    if not len(flags):
        st.write(t("gaps.no_flags", lang))
        return
    st.dataframe(
        tables.supplier_table(flags, firms, chain=chain, lang=lang),
        hide_index=True,
        width="stretch",
    )


if __name__ == "__main__":
    render()
