"""The app refuses to be reachable beyond this machine without authentication."""

import subprocess
import sys

import pytest

from casefile.kernel.errors import CasefileError
from casefile.kernel.settings import AppSettings, Settings
from casefile.web import check_exposure


def settings_with(**app) -> Settings:
    return Settings().model_copy(update={"app": AppSettings(**app)})


def test_loopback_without_auth_is_allowed():
    check_exposure(settings_with())


@pytest.mark.parametrize("app", [{"host": "0.0.0.0"}, {"host": "192.0.2.10"}, {"share": True}])
def test_public_address_or_share_link_without_auth_is_refused(app):
    with pytest.raises(CasefileError, match="without authentication: give --auth user:password"):
        check_exposure(settings_with(**app))


def test_public_address_with_auth_is_allowed():
    check_exposure(settings_with(host="0.0.0.0", auth="editor:s3cret"))


def test_malformed_auth_is_refused():
    with pytest.raises(ValueError, match="auth must look like user:password"):
        AppSettings(auth="justaname")


def test_serve_command_refuses_and_says_how():
    result = subprocess.run(
        [sys.executable, "-m", "casefile.cli", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "refusing to serve on 0.0.0.0 without authentication" in result.stderr
    assert "CASEFILE_AUTH" in result.stderr


def test_auth_is_a_secret_read_from_casefile_auth(monkeypatch):
    monkeypatch.setenv("CASEFILE_AUTH", "editor:s3cret")
    settings = Settings()
    assert settings.app.credentials() == ("editor", "s3cret")
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.model_dump())
    check_exposure(
        settings.model_copy(update={"app": settings.app.model_copy(update={"host": "0.0.0.0"})})
    )
