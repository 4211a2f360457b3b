"""What every `casefile` command shares: the consoles, the --case option, settings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from casefile.kernel.settings import Settings

out = Console()
err = Console(stderr=True, soft_wrap=True, highlight=False)

CaseOption = Annotated[
    str | None,
    typer.Option("--case", "-c", help="Case to work on (env CASEFILE_CASE; default 'default')."),
]


def load_settings(case: str | None = None) -> Settings:
    """Settings from the environment, with the command line's case on top."""
    try:
        settings = Settings()
        return settings.model_copy(update={"case": case}) if case else settings
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
