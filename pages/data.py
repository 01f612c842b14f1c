"""The data page: upload an enterprises file (with a validation report), download anything.

Run by ``st.navigation`` (``app.py``) as a script; importing it renders nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Final

import streamlit as st

import geo
import layers
from geo.crs import COORD_SYSTEMS
from layers import edits
from layers.i18n import Lang, t
from pages import common
from zoning import exports, tables

__all__ = ["render"]

UPLOAD_TYPES: Final = ("csv", "xlsx", "geojson", "json", "gpkg", "zip", "kml")
# What the page offers for download (a suitability surface once one is on the map).
DOWNLOADS: Final = tuple(k for k in exports.KINDS if k not in ("chain", "suitability"))


def render() -> None:
    """Draw the page."""
    lang = common.lang()
    _upload(lang)
    _downloads(lang)


def _upload(lang: Lang) -> None:
    st.write(t("upload.intro", lang))
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
    suffix = PurePosixPath(file.name.replace("\\", "/")).suffix.lower().lstrip(".")
    ext = next((e for e in UPLOAD_TYPES if e == suffix), "csv")
    content = file.getvalue()
    try:
        # Bytes with a fixed name: the user's file name never becomes a path.
        result = layers.read_enterprises(content, name=f"upload.{ext}", coord_system=coord)
    except (geo.InputError, ValueError) as exc:
        st.error(common.md(t("upload.rejected", lang, error=exc)))
        return
    data, problems = result.data, result.problems
    digest = hashlib.sha256(content + coord.encode()).hexdigest()
    common.set_upload(data, problems, name=file.name, key=digest)
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
    st.dataframe(tables.problems_table(problems, lang), hide_index=True, width="stretch")
    st.download_button(
        t("upload.download_report", lang),
        geo.io.table_csv(problems),
        file_name="validation_report.csv",
        mime="text/csv",
    )


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
