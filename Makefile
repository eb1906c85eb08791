# Targets are the README's commands. Each one sets up what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages WeasyPrint and the tests need: Pango for layout, a font, poppler for pdftoppm,
# chromium for the test that opens the HTML in a real browser (driven by Playwright; never downloaded)
SYSPKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium
ECB    ?= ../shared/bench/ecbplus-dev

.PHONY: briefing test sysdeps bench-grouping bench-quality bench-real bench-render bench-scale bench-archive bench-adversarial bench-cluster lint clean

briefing: sysdeps $(STAMP)
	$(BIN)/reporter build seeds --out out

test: sysdeps $(STAMP)
	$(BIN)/python -m pytest

# Install missing system packages when root with apt-get; otherwise say the exact command and stop.
sysdeps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(SYSPKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing system packages:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	    else \
	      echo "missing system packages:$$missing" >&2; \
	      echo "run: sudo apt-get install -y$$missing" >&2; exit 1; \
	    fi; \
	  fi; \
	else \
	  echo "note: not a Debian system; install Pango, a TrueType font and poppler-utils yourself" >&2; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dev]'
	@touch $@

bench-grouping: $(STAMP)
	@test -d $(ECB)/articles || { echo "no ECB+ corpus at $(ECB) (set ECB=...)" >&2; exit 1; }
	@mkdir -p out/bench-grouping
	$(BIN)/reporter build $(ECB)/articles --format json --out out/bench-grouping --quiet
	$(BIN)/python tests/bench/eval_grouping.py out/bench-grouping/briefing.json $(ECB)/gold.json

bench-quality: $(STAMP)
	$(BIN)/python tests/bench/eval_quality.py tests/bench/quality
	$(BIN)/python tests/bench/eval_quality.py tests/bench/heldout

# real news: audited precision against tests/bench/real/labels.json and planted recall, on ECB+ dev
bench-real: $(STAMP)
	@test -d $(ECB)/articles || { echo "no ECB+ corpus at $(ECB) (set ECB=...)" >&2; exit 1; }
	$(BIN)/python tests/bench/real.py --ecb $(ECB)

SIZES ?= 100,1000,10000
REPEAT ?= 3
VARIANTS ?= dated,undated
bench-scale: $(STAMP)
	$(BIN)/python tests/bench/scale.py generate --sizes $(SIZES) --variants $(VARIANTS) --out out/bench-scale
	$(BIN)/python tests/bench/scale.py run --sizes $(SIZES) --variants $(VARIANTS) --repeat $(REPEAT) --out out/bench-scale

bench-archive: $(STAMP)
	@test -d $(ECB)/articles || { echo "no ECB+ corpus at $(ECB) (set ECB=...)" >&2; exit 1; }
	$(BIN)/python tests/bench/bench_archive.py 5 --ecb $(ECB)

# one article of each adversarial shape (years, ISO dates, quotation marks ...) at 290,000 characters
bench-adversarial: $(STAMP)
	$(BIN)/python tests/bench/adversarial.py

# a generated corpus of CLUSTER_SIZE articles built on a local Dask cluster of CLUSTER_WORKERS processes:
# stage times, each worker's rates, peak memory of the driver and the workers
CLUSTER_SIZE ?= 100000
CLUSTER_WORKERS ?= 2
bench-cluster: $(STAMP)
	@test -d $(ECB)/articles || { echo "no ECB+ corpus at $(ECB) (set ECB=...)" >&2; exit 1; }
	$(BIN)/python tests/bench/cluster.py --size $(CLUSTER_SIZE) --workers $(CLUSTER_WORKERS) --ecb $(ECB) --out out/bench-cluster

bench-render: sysdeps $(STAMP)
	$(BIN)/python tests/bench/bench_render.py 7

lint: $(STAMP)
	$(BIN)/ruff check reporter tests
	$(BIN)/ruff format --check reporter tests
	$(BIN)/mypy reporter

clean:
	rm -rf $(VENV) out/* build *.egg-info
