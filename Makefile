# Two commands set up a fresh machine: `make run` (the app) and `make test` (everything).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# The stamp changes whenever the declared dependencies or their pins change.
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench clean venv assets

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,dev,data]'
	@touch $(STAMP)

venv: $(STAMP)

# The map's scripts, stylesheets and fonts, served by the app itself (works offline):
# pinned by package-lock.json, installed from npm, copied to static/vendor/.
ASSETS := static/vendor/.stamp
$(ASSETS): $(STAMP) package.json package-lock.json layers/assets.py
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && \
	  $(BIN)/python -m layers.assets && touch $@; \
	else \
	  echo "npm not found: the map will load Leaflet and its plugins from public CDNs and needs internet;"; \
	  echo "install npm (apt-get install npm) and re-run 'make run' to serve them from the app."; \
	fi

assets: $(ASSETS)

run: $(STAMP) $(ASSETS)
	@echo "Starting the app on http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy geo layers zoning benchmarks

pytest: $(STAMP) $(ASSETS)
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: $(STAMP) $(ASSETS)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache node_modules static/vendor
