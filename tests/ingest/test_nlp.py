"""The trained pipeline the desk reads with: entities at the right offsets, text read in
bounded pieces."""

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.nlp import BLOCK_CHARS, blocks, entities, parse
from ingest.people import _LOWER_WORD, _may_name, clean_name, mention_counts

ROOT = Path(__file__).resolve().parents[2]


def test_blocks_cover_the_text_in_order_and_none_is_over_the_limit():
    text = ("word " * 4000) + "\n\nA second paragraph.\nA line.\n" + ("x" * 12_000)
    pieces = list(blocks(text))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= BLOCK_CHARS for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


def test_a_run_of_blank_lines_is_cut_in_linear_time():
    text = "Start.\n" + " \n" * 200_000 + "End."
    assert "".join(p for _, p in blocks(text)) == text


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("the Smith Group’s", "Smith Group"),
        ("Ms. Lively", "Lively"),
        ("GRANTS Toshiba", "Toshiba"),
        ("TABLE OF AUTHORITIES", None),
        ("Exhibit 12", None),
        ("Jane\nDoe", None),
    ],
)
def test_an_entitys_words_are_cleaned_to_a_name_or_refused(words, name):
    assert clean_name(words) == name


@pytest.mark.integration
def test_entities_stand_at_their_offsets_in_the_text():
    text = (
        "Objection. Primary Telephone\n\nJudge Lewis Liman of the Southern District of New York "
        "ruled on May 5, 2025. Baldoni’s lawyer, Bryan Freedman, spoke to Reuters."
    )
    found = entities(text)
    assert all(text[e.start : e.end] == e.words for e in found)
    assert {"Lewis Liman", "Bryan Freedman"} <= {e.words for e in found if e.label == "PERSON"}
    assert "May 5, 2025" in {e.words for e in found if e.label == "DATE"}


@pytest.mark.integration
def test_headings_and_form_labels_are_not_counted_as_people():
    text = (
        "TABLE OF AUTHORITIES\nObjection\nPrimary Telephone\nVia Electronic Mail\n\n"
        "Blake Lively sued Justin Baldoni in December. Lively said the case was about "
        "safety. Ms. Lively’s lawyers, Mike Gottlieb and Esra Hudson, filed the complaint "
        "with Willkie Farr & Gallagher LLP."
    )
    named = mention_counts(text)
    assert named.counts["Blake Lively"] >= 2  # "Lively" counts with her
    assert named.aliases["Lively"] == "Blake Lively"
    assert {"Justin Baldoni", "Mike Gottlieb", "Esra Hudson"} <= set(named.counts)
    for fragment in (
        "TABLE OF AUTHORITIES",
        "Objection",
        "Primary Telephone",
        "Via Electronic Mail",
    ):
        assert fragment not in named.counts
    start, end = named.first["Blake Lively"]
    assert text[start:end] == "Blake Lively"
    assert named.kinds["Blake Lively"] == "person"


@pytest.mark.integration
def test_citation_abbreviations_and_case_names_are_not_listed_as_organisations():
    text = (
        "See Heller Decl. ¶ 4; Fed. R. Civ. P. 23. In Hanlon v. Chrysler Corp., 150 F.3d "
        "1011 (9th Cir. 1998), the court approved the settlement. Chrysler Corporation "
        "appealed, and Apple Inc. filed a brief."
    )
    named = mention_counts(text)
    assert not any("Decl" in name or " v. " in name for name in named.counts)
    assert "Civ" not in named.counts


@pytest.mark.integration
def test_a_docket_entrys_capitalised_verbs_are_not_names_but_a_name_after_to_is():
    text = (
        "Docket Text: NOTICE OF MOTION AND MOTION to Dismiss Plaintiffs' Second Amended "
        "Complaint filed by Defendant Acme Widgets Inc.\n"
        "Docket Text: APPLICATION for attorney Mark Andrew Klapow to Appear Pro Hac Vice.\n"
        "Docket Text: NOTICE OF MOTION AND MOTION to Certify Pursuant to 28 U.S.C. Section "
        "1292(b) filed by Mark Andrew Klapow.\n"
        "The clerk mailed the order to Mary Ellen Jones, counsel for Acme Widgets Inc."
    )
    named = mention_counts(text)
    assert not any(name.startswith(("Dismiss", "Appear", "Certify")) for name in named.counts), (
        named.counts
    )
    assert {"Mark Andrew Klapow", "Mary Ellen Jones"} <= set(named.counts)


def test_the_recogniser_reads_the_words_around_names_not_whole_sentences():
    filler = " ".join(["the court reviewed the record and the briefs"] * 8)
    sentence = f"On appeal {filler} before Maria Gonzalez wrote {filler} in the end."
    text = f"{sentence} The court ruled for her."
    common = set(_LOWER_WORD.findall(text))
    regions = _may_name(text, [], common)
    read = "".join(text[start:end] for start, end in regions)
    assert "Maria Gonzalez" in read
    assert len(read) < len(sentence) / 3  # the rest of the long sentence is not read
    assert "ruled" not in read  # a sentence with no name is not read at all


def test_a_sentences_first_word_is_read_when_it_is_a_name_not_when_it_is_a_word():
    filler = " ".join(["the court reviewed the record and the briefs"] * 3)
    text = (
        f"Okafor said that {filler} before Maria Gonzalez ruled. "
        f"The court said that {filler} before Maria Gonzalez ruled."
    )
    regions = _may_name(text, [], set(_LOWER_WORD.findall(text)))
    assert text.startswith("Okafor said")
    assert regions[0][0] == 0  # "Okafor": a word never written in lower case
    second = text.index("The court")
    assert not any(s <= second < e for s, e in regions)  # "The" alone is no reason to read


def _probe(code: str) -> None:
    """Run `code` in a new interpreter (PyTorch not yet imported); it prints ok."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.integration
def test_spacy_loads_without_pytorch_and_pytorch_still_imports_after():
    _probe(
        "import sys, importlib.util\n"
        "from ingest.nlp import pipeline\n"
        "pipeline()\n"
        "assert 'torch' not in sys.modules, 'spaCy brought PyTorch in'\n"
        "if importlib.util.find_spec('torch'):\n"
        "    import torch\n"
        "    assert torch.zeros(1).sum().item() == 0\n"
        "print('ok')\n"
    )


@pytest.mark.integration
def test_pytorch_is_refused_only_to_the_thread_importing_spacy():
    # The ingesting process's other threads (the embedder's export) may import PyTorch then.
    pytest.importorskip("torch")
    _probe(
        "import sys, threading\n"
        "from ingest.nlp import _NoTorchForThisThread\n"
        "refusal = _NoTorchForThisThread()\n"
        "sys.meta_path.insert(0, refusal)\n"
        "try:\n"
        "    import torch\n"
        "    raise SystemExit('the thread importing spaCy got PyTorch')\n"
        "except ImportError:\n"
        "    pass\n"
        "got = []\n"
        "def other_thread():\n"
        "    import torch\n"
        "    got.append(torch.ones(2).sum().item())\n"
        "other = threading.Thread(target=other_thread)\n"
        "other.start()\n"
        "other.join()\n"
        "assert got == [2.0], got\n"
        "print('ok')\n"
    )


@pytest.mark.integration
def test_the_parse_gives_verbs_their_lemmas_and_other_words_in_lower_case():
    text = "According to Smith, the company said it had written to them."
    (sentence,) = parse(text, [(0, len(text))])
    lemmas = {text[w.start : w.end]: w.lemma for w in sentence}
    assert lemmas["According"] == "accord"
    assert lemmas["said"] == "say" and lemmas["written"] == "write" and lemmas["had"] == "have"
    assert lemmas["Smith"] == "smith" and lemmas["to"] == "to"
