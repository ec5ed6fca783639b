# The README's commands. `make test` installs everything the tests need (Debian's
# raptor2-utils, chromium, virtuoso-opensource and npm, the Python test extras with
# the oxigraph server, nkrel itself as an editable install, axe-core from npm for the
# accessibility checks) and runs the whole suite; browser and server tests fail,
# never skip, if they cannot run.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test test-deps system-deps lint docs bench bench-network bench-draft bench-scale screenshots mutation mutation-report

build:
	$(PYTHON) -m pip install .
	nkrel build

system-deps:
	@# each Debian package only where its command is missing: an image whose Node.js
	@# comes from elsewhere ships its own npm, which Debian's npm package conflicts with
	@missing=""; \
	command -v rapper >/dev/null || missing="$$missing raptor2-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -e /usr/include/linux/audit.h ] || missing="$$missing linux-libc-dev"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-deps: system-deps
	$(PYTHON) -m pip install -q -e '.[test]'
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

test: test-deps
	$(PYTHON) -m pytest

lint:
	ruff check . && ruff format --check . && lint-imports

# the reference in docs/ as a site (site/); --strict: a broken link or missing page fails
docs:
	$(PYTHON) -m mkdocs build --strict

bench:
	$(PYTHON) tests/benchmark.py

bench-network:
	$(PYTHON) tests/benchmark_network.py

bench-scale:
	$(PYTHON) tests/benchmark_scale.py --sizes 1,10,100,1000

bench-draft:
	$(PYTHON) tests/benchmark_draft.py

# the pictures of each view of the network page, desktop and phone (docs/screenshots/*.png)
screenshots:
	$(PYTHON) tests/screenshots.py docs/screenshots

# mutation testing of load, build, coverage, query, safety, write, sandbox, publish, api, workspace, review, runner, server, pipeline (cosmic-ray)
# (tests/mutation/; README "Development"): it rewrites nkrel/ in place, one mutant at
# a time, so leave the checkout alone while it runs. An interrupted run resumes.
mutation: test-deps
	$(PYTHON) -m pip install -q -e '.[test,mutation]'
	$(PYTHON) tests/mutation/mutate.py

mutation-report:
	$(PYTHON) tests/mutation/mutate.py --report
