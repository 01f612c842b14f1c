"""Streamlit map of Nanchang's new-energy-storage plan (thin: widgets in, library out)."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

DATA = Path(__file__).parent / "data"

st.set_page_config(page_title="南昌新型储能产业规划 · Nanchang storage zoning", layout="wide")
st.title("南昌新型储能产业空间规划 · Nanchang new-energy-storage zoning")


@st.cache_data
def _districts_geojson(path: str) -> str:
    gdf = gpd.read_file(path)
    return str(gdf.to_json(drop_id=True))


path = DATA / "districts.geojson"
if not path.exists():
    st.error(f"Shipped district layer not found at {path}. Re-run `make run` from a full clone.")
    st.stop()

fmap = folium.Map(location=[28.68, 115.89], zoom_start=9, tiles="OpenStreetMap")
folium.GeoJson(
    _districts_geojson(str(path)),
    name="区县 Districts",
    style_function=lambda _: {"color": "#444", "weight": 1.5, "fillOpacity": 0.05},
    tooltip=folium.GeoJsonTooltip(fields=["name_zh", "name_en"], aliases=["区县", "District"]),
).add_to(fmap)
folium.LayerControl().add_to(fmap)
st_folium(fmap, height=640, use_container_width=True, returned_objects=[])
