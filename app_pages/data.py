"""The data page: upload an enterprises file (with a validation report), download anything.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import hashlib
from typing import Final

import geopandas as gpd
import pandas as pd
import streamlit as st

import geo
import layers
from app_pages import common
from geo.crs import COORD_SYSTEMS
from layers import edits
from layers.columns import FIELDS, ColumnMapping
from layers.enterprises import EnterpriseRead
from layers.i18n import Lang, error_text, t
from layers.segments import choose_segments
from layers.template import template_bytes
from zoning import exports, tables

__all__ = ["render"]

UPLOAD_TYPES: Final = ("csv", "xlsx", "geojson", "json", "gpkg", "zip", "kml", "parquet")
_XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the page offers for download (a suitability surface once one is on the map).
DOWNLOADS: Final = tuple(k for k in exports.KINDS if k not in ("chain", "suitability"))


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    _upload(lang)
    _downloads(lang)


def _upload(lang: Lang) -> None:
    st.write(t("upload.intro", lang))
    st.download_button(
        t("upload.template", lang),
        template_bytes("xlsx", lang=lang),
        file_name="enterprises_template.xlsx",
        mime=_XLSX,
        key="download_template",
    )
    coord = st.selectbox(
        t("upload.coord_system", lang),
        COORD_SYSTEMS,
        format_func=lambda c: t(f"coord.{c}", lang),
        key="upload_coord",
    )
    file = st.file_uploader(t("upload.file", lang), type=list(UPLOAD_TYPES), key="upload_file")
    if file is None:
        if st.session_state.get("upload") is not None and st.button(t("app.use_shipped", lang)):
            st.session_state["upload"] = None
            st.rerun()
        return
    content = file.getvalue()
    digest = hashlib.sha256(content + coord.encode()).hexdigest()
    mapping = _mapping(lang, digest)
    try:
        # The bytes and the user's own file name: messages name the file as the user knows
        # it, and geo.io only takes its extension (it never becomes a path).
        result = layers.read_enterprises(
            content, name=file.name, coord_system=coord, columns=mapping
        )
    except (geo.InputError, ValueError) as exc:
        st.error(common.md(t("upload.rejected", lang, error=error_text(exc, lang))))
        return
    _columns_editor(lang, result.columns, result.mapping, digest)
    project = common.project()
    data, problems = _chosen_segments(lang, result, project.chain, digest)
    # What the pages' results depend on: the file, its mapping and the segments chosen.
    chosen = ",".join(data["segment"].astype(str).tolist())
    key = hashlib.sha256(f"{digest}|{result.mapping.to_yaml()}|{chosen}".encode()).hexdigest()
    common.set_upload(data, problems, name=file.name, key=key)
    summary = t(
        "upload.summary",
        lang,
        source=file.name,
        rows=len(data) + int((problems["action"] == "rejected").sum()),
        located=int(data["located"].sum()),
        problems=len(problems),
    )
    st.success(common.md(summary))
    st.info(t("upload.in_use", lang))
    st.subheader(t("upload.problems", lang))
    if not len(problems):
        st.write(t("upload.no_problems", lang))
        return
    shown = tables.problems_table(problems, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        t("upload.download_report", lang),
        # The report as the user reads it on the page: their language, their file's name.
        geo.io.table_csv(shown),
        file_name="validation_report.csv",
        mime="text/csv",
    )


def _mapping(lang: Lang, digest: str) -> ColumnMapping | None:
    """Return the column mapping to read the file with: a saved one, the user's, or None."""
    saved = st.file_uploader(t("upload.mapping_file", lang), type=["yaml", "yml"], key="map_file")
    if saved is not None:
        try:
            text = saved.getvalue().decode("utf-8-sig")
            return ColumnMapping.from_yaml(text, source_name=saved.name)
        except (UnicodeDecodeError, ValueError) as exc:
            st.error(common.md(t("upload.mapping_rejected", lang, error=error_text(exc, lang))))
    chosen = st.session_state.get("column_mapping")
    if chosen is not None and chosen[0] == digest:
        return ColumnMapping.from_yaml(chosen[1], source_name="mapping.yaml")
    return None


def _columns_editor(lang: Lang, columns: pd.DataFrame, mapping: ColumnMapping, digest: str) -> None:
    """Show the mapping used; a changed field reads the file again with the new mapping."""
    st.subheader(t("upload.columns", lang))
    st.caption(t("upload.columns_hint", lang))
    shown = tables.columns_table(columns, lang)
    field_col = t("field.field", lang)
    edited = st.data_editor(
        shown,
        hide_index=True,
        width="stretch",
        disabled=[c for c in shown.columns if c != field_col],
        column_config={
            field_col: st.column_config.SelectboxColumn(options=["", *FIELDS], required=False)
        },
        key=f"columns_{digest}",
    )
    sources = columns["source"].astype(str).tolist()
    fields = [str(f or "") for f in edited[field_col].tolist()]
    before = [str(f or "") for f in shown[field_col].tolist()]
    if fields != before:
        changed = ColumnMapping(
            columns={s: (f or None) for s, f in zip(sources, fields, strict=True)},
            units=dict(mapping.units),
            capacity_unit=mapping.capacity_unit,
        )
        st.session_state["column_mapping"] = (digest, changed.to_yaml())
        st.rerun()
    st.download_button(
        t("upload.save_mapping", lang),
        mapping.to_yaml().encode("utf-8"),
        file_name="mapping.yaml",
        mime="application/yaml",
        key="download_mapping",
    )


def _chosen_segments(
    lang: Lang, result: EnterpriseRead, chain: pd.DataFrame, digest: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """List the rows that need a segment; apply the segments the user chooses for them."""
    data, problems = result.data, result.problems
    table = tables.needs_segment_table(data, chain=chain, lang=lang)
    if not len(table):
        return data, problems
    st.subheader(t("upload.needs_segment", lang))
    st.caption(t("upload.needs_segment_hint", lang))
    segment_col = t("field.segment", lang)
    names = chain[f"name_{lang}"].astype(str).to_dict()
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=[c for c in table.columns if c != segment_col],
        column_config={
            segment_col: st.column_config.SelectboxColumn(
                options=[str(k) for k in chain.index],
                format_func=lambda k: f"{names.get(str(k), k)} ({k})",
            )
        },
        key=f"segments_{digest}",
    )
    choices = {label: str(v) for label, v in edited[segment_col].items() if v}
    if not choices:
        return data, problems
    chosen = choose_segments(data, choices, chain=chain)
    st.success(t("upload.segment_chosen", lang, n=len(choices)))
    # The rows a person settled no longer need a segment: their problem is answered.
    rows = set(result.rows.loc[pd.Index(list(choices))].tolist())
    answered = (problems["column"] == "segment") & problems["row"].isin(rows)
    return chosen, problems.loc[~answered].reset_index(drop=True)


def _downloads(lang: Lang) -> None:
    """Every layer and result as GeoJSON (RFC 7946), GeoPackage and CSV."""
    project = common.project()
    st.subheader(t("download.title", lang))
    st.write(t("download.intro", lang))
    surface = str(st.session_state.get("surface_segment") or "")
    offered = surface in project.chain.index
    kinds = (*DOWNLOADS, "suitability") if offered else DOWNLOADS
    segment_name = project.chain.loc[surface, f"name_{lang}"] if offered else ""
    kind = st.selectbox(
        t("download.layer", lang),
        kinds,
        format_func=lambda k: t(f"download.kind.{k}", lang, segment=segment_name),
        key="download_kind",
    )
    segment = surface if kind == "suitability" else ""
    files = _files(str(kind), common.project_key(), segment, _project=project)
    for col, fmt in zip(st.columns(len(edits.FILE_FORMATS)), edits.FILE_FORMATS, strict=True):
        col.download_button(
            t(f"download.format.{fmt}", lang),
            files[fmt],
            file_name=f"{kind}.{fmt}",
            mime=edits.MIME_TYPES[fmt],
            on_click="ignore",
            key=f"download_{fmt}",
        )


@st.cache_data(show_spinner=False, max_entries=32)
def _files(
    kind: str, project_key: tuple[object, ...], segment: str, *, _project: layers.Project
) -> dict[str, bytes]:
    """One layer or result in every download format, cached on cheap keys.

    ``project_key`` stands for ``_project`` (not hashed: a GeoDataFrame of ten thousand
    firms would be hashed on every rerun).
    """
    del project_key  # a cache key only
    data = exports.layer(kind, _project, segment=segment or None)
    return {fmt: edits.file_bytes(data, fmt, layer=kind) for fmt in edits.FILE_FORMATS}


if __name__ == "__main__":
    render()
