"""A real Casefile web app on 127.0.0.1, started in-process on the demo case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casefile.kernel.settings import Settings
from tests.conftest import SEED, free_port

HOSTILE = (
    "Clerk's memo on scheduling. The mediation deadline is June 2, 2025, the clerk wrote. "
    "<script>window.__pwned = 1; document.body.insertAdjacentHTML('beforeend', "
    "'<div id=\"injected\">pwned</div>')</script> "
    "<img src=x onerror=\"alert('xss'); window.__pwned = 2\"> "
    "[click for details](javascript:alert('link')) <a href=\"javascript:alert('a')\">open</a>\n"
)


@pytest.fixture(scope="session")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the seed article and a document full of markup and script."""
    from ingest.pipeline import ingest_paths
    from vectorstore.cases import open_case

    home = tmp_path_factory.mktemp("app-home")
    docs = home / "source-docs"
    docs.mkdir()
    shutil.copy(SEED, docs / SEED.name)
    (docs / "hostile-memo.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(home=home)
    report = ingest_paths([docs], open_case(settings), settings.ingest)
    assert report.count("added") == 2
    return home


@pytest.fixture(scope="session")
def app_url(app_home: Path):
    """The app served on a free loopback port for the whole session."""
    from casefile.web import serve

    settings = Settings(home=app_home)
    settings = settings.model_copy(
        update={"app": settings.app.model_copy(update={"port": free_port(), "concurrency": 4})}
    )
    app = serve(settings, block=False)
    yield f"http://127.0.0.1:{settings.app.port}/"
    app.close()


@pytest.fixture(scope="session")
def pages_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose default case holds the page view's fixtures: a three-page text
    order and a scanned opinion page (read by OCR)."""
    from ingest.pipeline import ingest_paths
    from tests.documents import BOARD_SCAN, ORDER_PAGES, write_known_pdf, write_known_scan
    from vectorstore.cases import open_case

    home = tmp_path_factory.mktemp("pages-home")
    docs = home / "source-docs"
    docs.mkdir()
    write_known_pdf(docs / "order.pdf", ORDER_PAGES)
    write_known_scan(docs / "board-opinion.pdf", BOARD_SCAN)
    settings = Settings(home=home)
    report = ingest_paths([docs], open_case(settings), settings.ingest)
    assert report.count("added") == 2, report.outcomes
    return home


@pytest.fixture(scope="session")
def pages_app_url(pages_home: Path):
    """The app on the page view's fixtures, on a free loopback port."""
    from casefile.web import serve

    settings = Settings(home=pages_home)
    settings = settings.model_copy(
        update={"app": settings.app.model_copy(update={"port": free_port()})}
    )
    app = serve(settings, block=False)
    yield f"http://127.0.0.1:{settings.app.port}/"
    app.close()
