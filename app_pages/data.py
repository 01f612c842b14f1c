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
from geo.io import table_csv
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
_QML: Final = "application/xml"
ROW_HEIGHT: Final = 68
"""Pixels of an editor's row: two lines, so a long note or basis wraps instead of being cut
(Streamlit wraps cell text only in rows taller than 4 rem, 64 px)."""
_REPORT_ROW_HEIGHT: Final = 90
UNSET: Final = "-"
"""An editor's choice meaning "not used" (a column) or "not chosen yet" (a segment)."""
# What the page offers for download (a suitability surface once one is on the map).
DOWNLOADS: Final = tuple(k for k in exports.KINDS if k not in (*layers.TABLES, "suitability"))


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
    file = common.file_uploader(
        st, t("upload.file", lang), types=UPLOAD_TYPES, key="upload_file", lang=lang, registry=True
    )
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
        _offer_reset(lang, digest)
        return
    # Widgets keyed by the file and the mapping read with: a new mapping shows fresh tables.
    key = hashlib.sha256(f"{digest}|{result.mapping.to_yaml()}".encode()).hexdigest()[:16]
    _columns_editor(lang, result.columns, result.mapping, digest, key=key)
    project = common.project()
    data, problems = _chosen_segments(lang, result, project.chain, key=key)
    # What the pages' results depend on: the file, its mapping and the segments chosen.
    chosen = ",".join(data["segment"].astype(str).tolist())
    common.set_upload(
        data,
        problems,
        name=file.name,
        key=hashlib.sha256(f"{key}|{chosen}".encode()).hexdigest(),
    )
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
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        # Three lines a row: a problem names the file, row, value and fix, and wraps.
        row_height=_REPORT_ROW_HEIGHT,
        column_config={
            t("problem.row", lang): st.column_config.NumberColumn(width=50),
            t("problem.column", lang): st.column_config.TextColumn(width=110),
            t("problem.value", lang): st.column_config.TextColumn(width=110),
            t("problem.problem", lang): st.column_config.TextColumn(width=560),
            t("problem.action", lang): st.column_config.TextColumn(width=90),
        },
    )
    st.download_button(
        t("upload.download_report", lang),
        # The report as the user reads it on the page: their language, their file's name.
        geo.io.table_csv(shown),
        file_name="validation_report.csv",
        mime="text/csv",
    )


def _mapping(lang: Lang, digest: str) -> ColumnMapping | None:
    """Return the column mapping to read the file with: a saved one, the user's, or None."""
    saved = common.file_uploader(
        st, t("upload.mapping_file", lang), types=("yaml", "yml"), key="map_file", lang=lang
    )
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


def _offer_reset(lang: Lang, digest: str) -> None:
    """After a mapping the user chose made the file unreadable: offer the detected one."""
    chosen = st.session_state.get("column_mapping")
    if chosen is not None and chosen[0] == digest and st.button(t("upload.reset_mapping", lang)):
        st.session_state["column_mapping"] = None
        st.rerun()


def _chosen(value: object) -> str | None:
    """Return the choice in an editor's selectbox cell; None for "not used" / "not chosen"."""
    return None if value is None or value in ("", UNSET) else str(value)


def _height(rows: int) -> int:
    """Pixels for an editor showing up to 20 rows without scrolling (and its 35 px header)."""
    return 35 + ROW_HEIGHT * min(rows, 20) + 3


def _field_label(field: object, lang: Lang) -> str:
    """Return a field as the mapping editor offers it: its name in ``lang`` and its key."""
    if _chosen(field) is None:
        return t("upload.ignored", lang)
    return t("upload.option", lang, label=t(f"upload.field.{field}", lang), key=field)


def _columns_editor(
    lang: Lang, columns: pd.DataFrame, mapping: ColumnMapping, digest: str, *, key: str
) -> None:
    """Show the mapping used; a changed field reads the file again with the new mapping."""
    st.subheader(t("upload.columns", lang))
    st.caption(t("upload.columns_hint", lang))
    source_col, field_col = t("field.source_column", lang), t("field.field", lang)
    shown = tables.columns_table(columns, lang)
    shown[field_col] = shown[field_col].replace("", UNSET)
    edited = st.data_editor(
        shown,
        hide_index=True,
        width="stretch",
        height=_height(len(shown)),
        row_height=ROW_HEIGHT,
        disabled=[c for c in shown.columns if c != field_col],
        column_config={
            source_col: st.column_config.TextColumn(width=130),
            t("field.samples", lang): st.column_config.TextColumn(width=170),
            field_col: st.column_config.SelectboxColumn(
                # "-" is "not used" (as in a mapping file), with its own label; required:
                # the grid draws an empty cell as "None" and offers a second, blank choice.
                options=[UNSET, *FIELDS],
                required=True,
                format_func=lambda f: _field_label(f, lang),
                width=230,
            ),
            t("field.factor", lang): st.column_config.TextColumn(width=70),
            # The rest of a 930 px page: a fixed width, so a long note wraps in its row.
            t("field.note", lang): st.column_config.TextColumn(width=330),
        },
        key=f"columns_{key}",
    )
    before = dict(zip(shown[source_col], shown[field_col], strict=True))
    after = zip(edited[source_col], edited[field_col], strict=True)
    # Only what the user changed: the rest of the mapping (e.g. the columns the reader adds)
    # stays as it was read.
    changes = {s: _chosen(f) for s, f in after if _chosen(f) != _chosen(before.get(s))}
    if changes:
        changed = ColumnMapping(
            columns={**mapping.columns, **changes},
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
    lang: Lang, result: EnterpriseRead, chain: pd.DataFrame, *, key: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """List the rows that need a segment; apply the segments the user chooses for them."""
    data, problems = result.data, result.problems
    table = tables.needs_segment_table(data, chain=chain, lang=lang)
    if not len(table):
        return data, problems
    st.subheader(t("upload.needs_segment", lang))
    st.caption(t("upload.needs_segment_hint", lang))
    segment_col = t("field.segment", lang)
    table[segment_col] = UNSET
    names = chain[f"name_{lang}"].astype(str).to_dict()
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        height=_height(len(table)),
        row_height=ROW_HEIGHT,
        disabled=[c for c in table.columns if c != segment_col],
        column_config={
            t("field.id", lang): st.column_config.TextColumn(width=60),
            t("field.name", lang): st.column_config.TextColumn(width=180),
            t("field.candidates", lang): st.column_config.TextColumn(width=220),
            segment_col: st.column_config.SelectboxColumn(
                # "-" (not chosen yet) has a label: an empty cell would read "None".
                options=[UNSET, *(str(k) for k in chain.index)],
                format_func=lambda k: (
                    t("upload.option", lang, label=names.get(str(k), str(k)), key=k)
                    if _chosen(k)
                    else t("upload.not_chosen", lang)
                ),
                required=True,
                width=220,
            ),
            t("field.basis", lang): st.column_config.TextColumn(width=250),
        },
        # The choice next to the candidates, before the (long) basis.
        column_order=[
            t("field.id", lang),
            t("field.name", lang),
            t("field.candidates", lang),
            segment_col,
            t("field.basis", lang),
        ],
        key=f"segments_{key}",
    )
    choices = {label: str(v) for label, v in edited[segment_col].items() if _chosen(v)}
    if not choices:
        return data, problems
    chosen = choose_segments(data, choices, chain=chain)
    st.success(t("upload.segment_chosen", lang, n=len(choices)))
    # The rows a person settled no longer need a segment: their problem is answered.
    rows = set(result.rows.loc[pd.Index(list(choices))].tolist())
    answered = (problems["column"] == "segment") & problems["row"].isin(rows)
    return chosen, problems.loc[~answered].reset_index(drop=True)


def _downloads(lang: Lang) -> None:
    """Every layer and result as GeoJSON (RFC 7946), GeoPackage, CSV and its QGIS style.

    File names carry the layer, the date and the zones' store version; one button hands
    out every layer and result in a single GeoPackage with a metadata table.
    """
    project = common.project()
    st.subheader(t("download.title", lang))
    st.write(t("download.intro", lang))
    surface = str(st.session_state.get("surface_segment") or "")
    offered = surface in project.chain.index
    st.caption(t("download.everything_hint", lang))
    st.download_button(
        t("download.everything", lang),
        _everything(common.project_key(), surface if offered else "", _project=project),
        file_name=exports.file_name(exports.EVERYTHING, "gpkg", project),
        mime=edits.MIME_TYPES["gpkg"],
        on_click="ignore",
        key="download_everything",
    )
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
    fmts = [f for f in (*edits.FILE_FORMATS, "qml") if f in files]
    for col, fmt in zip(st.columns(len(fmts)), fmts, strict=True):
        col.download_button(
            t(f"download.format.{fmt}", lang),
            files[fmt],
            file_name=exports.file_name(str(kind), fmt, project),
            mime=edits.MIME_TYPES.get(fmt, _QML),
            on_click="ignore",
            key=f"download_{fmt}",
        )
    # The dated facts are a table without places: CSV only (the GeoPackage above has them).
    # An uploaded list has none of its own (the shipped ones are about the shipped firms).
    if project.events.empty:
        return
    version = project.events_version
    source = f"store v{version}" if version else "data/events.csv"
    st.download_button(
        t("download.events", lang, n=len(project.events), source=source),
        table_csv(project.layer("events")),
        file_name=exports.file_name("events", "csv", project),
        mime=edits.MIME_TYPES["csv"],
        on_click="ignore",
        key="download_events",
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _files(
    kind: str, project_key: tuple[object, ...], segment: str, *, _project: layers.Project
) -> dict[str, bytes]:
    """One layer or result in every download format and its QGIS style, cached on cheap keys.

    ``project_key`` stands for ``_project`` (not hashed: a GeoDataFrame of ten thousand
    firms would be hashed on every rerun).
    """
    del project_key  # a cache key only
    return exports.downloads(kind, _project, segment=segment or None)


@st.cache_data(show_spinner=False, max_entries=4)
def _everything(
    project_key: tuple[object, ...], segment: str, *, _project: layers.Project
) -> bytes:
    """Return the all-layers GeoPackage (with the map's suitability surface if chosen)."""
    del project_key  # a cache key only
    return exports.everything_bytes(_project, segment=segment or None)


if __name__ == "__main__":
    render()
