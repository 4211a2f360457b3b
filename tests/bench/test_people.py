"""The People scorer: when a row names a hand-listed person or organisation."""

from bench.people import GoldEntity, Row, entity_of, name_words

JUDGE = GoldEntity(
    name="James V. Selna",
    aliases=["JAMES V. SELNA", "THE COURT"],
    kind="person",
    role="judge",
    role_text="JUDGE PRESIDING",
    first=98,
)
BANK = GoldEntity("Bank of America, N.A.", ["BofA", "the Bank"], "org", "party", "Defendant", 9)


def row(name: str, *forms: str) -> Row:
    return Row(name, list(forms), [], "", True)


def test_a_row_names_an_entity_by_a_full_form_or_a_contained_one_of_two_words_or_more():
    assert name_words("Hon. James V. Selna1") == ["james", "v", "selna"]
    assert entity_of(row("James Selna"), [JUDGE, BANK]) is JUDGE
    assert entity_of(row("Bank of America", "BofA"), [JUDGE, BANK]) is BANK


def test_a_single_word_or_another_name_is_no_match():
    assert entity_of(row("Selna"), [JUDGE, BANK]) is None  # one word: too little to tell
    assert entity_of(row("Wells Fargo Bank"), [JUDGE, BANK]) is None
    assert entity_of(row("Common Questions Will Predominate"), [JUDGE, BANK]) is None
