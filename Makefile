# One command per chore; CI calls the same ones (.ci/run -> make test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The venv is (re)built when pyproject.toml or the C source of the gate's shingles changes.
STAMP := $(VENV)/.installed

.PHONY: run test lint bench docs clean chromium bench-tools fonts oidc verifier

$(STAMP): pyproject.toml src/sharebound/domain/_scan.c
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# The demo instance lets visitors sign up organizations of their own.
run: export SHAREBOUND_OPEN_SIGNUP ?= true
run: $(STAMP) fonts
	$(BIN)/sharebound init
	$(BIN)/sharebound demo
	@# The worker runs beside the server; both stop together (Ctrl-C, or either one ending).
	$(BIN)/sharebound worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/sharebound serve --host 127.0.0.1 --port 8000

# The standalone verifier (verifier/) installed alone in a venv of its own, as a partner would:
# the end-to-end test runs its `sharebound-verify` against a live server.
VERIFIER_VENV := .verifier-venv
VERIFIER_STAMP := $(VERIFIER_VENV)/.installed

$(VERIFIER_STAMP): verifier/pyproject.toml $(wildcard verifier/src/sharebound_verify/*.py)
	test -x $(VERIFIER_VENV)/bin/python || $(PYTHON) -m venv $(VERIFIER_VENV)
	$(VERIFIER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check ./verifier
	touch $(VERIFIER_STAMP)

verifier: $(VERIFIER_STAMP)

test: $(STAMP) $(VERIFIER_STAMP) chromium fonts oidc
	$(BIN)/python -m pytest -n auto --dist loadgroup -q --durations=25

# The SSO tests' OpenID provider: the certified oidc-provider from npm, run by Node (Debian's).
oidc:
	@command -v node >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	@test -d tests/oidc/node_modules || npm ci --prefix tests/oidc --no-audit --no-fund

# The browser tests drive Debian's Chromium; never a browser download.
chromium:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

# Stamps draw Chinese, Japanese and Korean names in Debian's Droid Sans Fallback (no CJK font
# is on PyPI); the other scripts' fonts are Python dependencies.
fonts:
	@test -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf || \
		{ apt-get update -q && apt-get install -y -q fonts-droid-fallback; }

# The benchmarks' references: Debian's qpdf (stamping) and nginx (streaming); wrk drives the
# load benchmark (bench_load.py).
bench-tools:
	@command -v qpdf >/dev/null && test -x /usr/sbin/nginx && command -v wrk >/dev/null || \
		{ apt-get update -q && apt-get install -y -q qpdf nginx-light wrk; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench verifier
	$(BIN)/mypy

bench: $(STAMP) bench-tools
	$(BIN)/python bench/bench_rules.py
	$(BIN)/python bench/bench_stream.py
	$(BIN)/python bench/bench_gate.py
	$(BIN)/python bench/bench_stamp.py
	$(BIN)/python bench/bench_verifier.py

docs: $(STAMP)
	$(BIN)/typer sharebound.cli utils docs --name sharebound --output docs/cli-reference.md

clean:
	rm -rf $(VENV) $(VERIFIER_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
