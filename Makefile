# Photo Desk: `make run` opens the bundled story, `make test` runs every check.
# Both create .venv on first use and only reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NOQT   := .venv-noqt
# The tests that must pass without Qt installed: all of tests/unit, which mirrors the
# Qt-free modules of viewer/ (tests/unit/test_mirror.py checks both). No list to keep.
NOQT_TESTS := tests/unit

.PHONY: run test lint typecheck pytest test-noqt screenshot gallery clean bench bundle deb deb-check icons fuzz

run: $(VENV)/.installed-run
	$(BIN)/photodesk $(ARGS)

test: lint typecheck pytest test-noqt

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Photo Desk needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything below the ui must work without Qt: run tests/unit where PySide6 is absent.
$(NOQT)/.installed: pyproject.toml
	$(PYTHON) -m venv $(NOQT)
	$(NOQT)/bin/python -m pip install --quiet --upgrade pip
	$(NOQT)/bin/python -m pip install --quiet 'Pillow>=10.3' 'ExifRead>=3.0' 'defusedxml>=0.7' 'pillow-heif>=0.18' 'exiv2>=0.19,<0.20' 'c2pa-python>=0.38.1,<0.39' 'cryptography>=41' 'pytest>=8.0' 'hypothesis>=6.100'
	touch $@

test-noqt: $(NOQT)/.installed
	@! $(NOQT)/bin/python -c 'import PySide6' 2>/dev/null || (echo "PySide6 must be absent from $(NOQT)"; exit 1)
	PYTHONPATH=. $(NOQT)/bin/python -m pytest -c tests/noqt.ini --rootdir=. $(NOQT_TESTS)

# The README's screenshot, made by the app itself.
screenshot: $(VENV)/.installed-run
	QT_QPA_PLATFORM=offscreen $(BIN)/photodesk --screenshot resources/screenshot.png --appearance light
	QT_QPA_PLATFORM=offscreen $(BIN)/photodesk --screenshot resources/screenshot-dark.png --appearance dark
	@echo "wrote resources/screenshot.png and resources/screenshot-dark.png"

# Re-render the bundled stand-in illustrations (deterministic).
gallery: $(VENV)/.installed-run
	$(BIN)/python resources/render_zhurong.py resources/gallery/zhurong

# The PyInstaller bundle (dist/photodesk/), the Debian package built from it, and the
# check CI runs on that package as root (install, use, validate, remove). See packaging/.
$(VENV)/.installed-package: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $@

bundle: $(VENV)/.installed-package
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/photodesk.spec
	@du -sh dist/photodesk

deb: bundle
	$(BIN)/python packaging/build_deb.py

deb-check: deb
	$(BIN)/python packaging/smoke.py dist/photodesk/photodesk
	bash packaging/check_deb.sh dist/photodesk_*.deb $(BIN)/python

# Coverage-guided fuzzing with atheris (open-ended, so not part of `make test`).
FUZZ_RUNS ?= 20000
fuzz: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	for target in manifest decode metadata; do \
		PYTHONPATH=. $(BIN)/python tests/fuzz/atheris_harness.py $$target -runs=$(FUZZ_RUNS) || exit 1; \
	done

# PNG sizes of the app icon for desktops and installers (committed; redo after editing the SVG).
icons: $(VENV)/.installed-run
	$(BIN)/python packaging/render_icons.py

clean:
	rm -rf $(VENV) $(NOQT) build dist .pytest_cache .mypy_cache .ruff_cache

# Speed and memory beside vipsthumbnail and a bare PySide6 script (needs Debian's
# libvips-tools for the thumbnail comparison; see bench/run.py). Takes several minutes.
bench: $(VENV)/.installed-test
	@command -v vipsthumbnail >/dev/null || echo "vipsthumbnail not found: apt-get install libvips-tools"
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run $(BENCH_ARGS)
