from ingest.cleaning import clean_news_text, is_furniture
from tests.conftest import SEED


class TestSeedArticle:
    def setup_method(self):
        self.raw = SEED.read_text(encoding="utf-8")
        self.clean = clean_news_text(self.raw)

    def test_calls_to_action_and_related_story_links_are_gone(self):
        for furniture in (
            "CLICK HERE TO GET THE APP",
            "LIKE WHAT YOU’RE READING? CLICK HERE FOR MORE ENTERTAINMENT NEWS",
            "CLICK HERE TO SIGN UP FOR THE ENTERTAINMENT NEWSLETTER",
            "BLAKE LIVELY VS. JUSTIN BALDONI: EVERYTHING TO KNOW",
            "WATCH: JUSTIN BALDONI’S LAWYERS",
        ):
            assert furniture not in self.clean

    def test_image_lines_are_gone_but_their_captions_stay(self):
        assert "![" not in self.clean
        assert "a57.foxnews.com" not in self.clean
        assert (
            "Justin Baldoni sued Blake Lively and Ryan Reynolds for $400 million. (Getty Images)"
            in self.clean
        )

    def test_every_kept_line_reads_exactly_as_published(self):
        raw_lines = set(self.raw.splitlines())
        for line in self.clean.splitlines():
            assert line in raw_lines

    def test_every_dropped_line_is_furniture(self):
        kept = set(self.clean.splitlines())
        dropped = [line for line in self.raw.splitlines() if line not in kept and line.strip()]
        assert len(dropped) == 10  # 4 image lines, 6 lines in capitals
        assert all(is_furniture(line) for line in dropped)

    def test_reporting_is_kept(self):
        assert (
            "Baldoni’s lawyer, Bryan Freedman, slammed the move as a “fishing expedition.”"
            in self.clean
        )
        assert "Lively’s lawyers, Mike Gottlieb and Esra Hudson" in self.clean


def test_lower_case_click_here_in_reporting_is_kept():
    text = "The ad said click here to win.\nCLICK HERE TO GET THE APP"
    assert clean_news_text(text) == "The ad said click here to win."


def test_capital_headings_stay_when_uppercase_dropping_is_off():
    text = "PRELIMINARY STATEMENT OF THE PLAINTIFF\nCLICK HERE TO GET THE APP\nThe plaintiff says."
    assert clean_news_text(text, drop_uppercase_lines=False) == (
        "PRELIMINARY STATEMENT OF THE PLAINTIFF\nThe plaintiff says."
    )
