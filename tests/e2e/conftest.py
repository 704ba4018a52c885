"""Browser tests: the real app under `streamlit run`, driven by Playwright in Debian's chromium.

- The app runs as ``python -m streamlit run app.py`` on 127.0.0.1 on a free port, with its own
  empty SQLite database (``VAGTPLAN_DATA_DIR`` in a temporary folder), and is polled on
  ``/_stcore/health`` until it answers ``ok``.
- The browser is ``/usr/bin/chromium`` (``apt-get install chromium``) launched by Playwright's
  sync API with ``executable_path``; ``playwright install`` is never used.
- Every test gets a fresh page with a tall viewport (Streamlit scrolls inside its own container,
  so ``full_page`` screenshots would only show the viewport); a screenshot of the final state is
  saved under ``test-artifacts/e2e/`` and the test fails if a Streamlit exception box
  (``[data-testid="stException"]``) is on the page.
- Without /usr/bin/chromium the tests skip on a developer machine, but fail in CI (``CI=true``).

Every test in this folder is marked ``browser`` (select with ``-m browser``).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 1600}
SERVER_START_TIMEOUT = 60.0
EXCEPTION_BOX = '[data-testid="stException"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """/usr/bin/chromium; skip without it on a developer machine, fail in CI."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if in_ci():
        pytest.fail(f"{message}; browser tests must run in CI", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class AppServer:
    """A running `streamlit run app.py`: its base URL and the database it saves to."""

    url: str
    db_url: str
    data_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"streamlit did not answer within {SERVER_START_TIMEOUT} s:\n{log_path.read_text()}"
    )


@pytest.fixture(scope="session")
def app_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: Path
) -> Iterator[AppServer]:
    """The app, served on 127.0.0.1 on a free port, with an empty database of its own."""
    root = tmp_path_factory.mktemp("e2e-app")
    data_dir = root / "data"
    log_path = root / "streamlit.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "VAGTPLAN_DB_URL"}
    env.update({"VAGTPLAN_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server = AppServer(
        url=url,
        db_url=f"sqlite:///{data_dir / 'vagtplan.sqlite'}",
        data_dir=data_dir,
        log_path=log_path,
    )
    try:
        _wait_healthy(url, process, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if os.environ.get("VAGTPLAN_E2E_SHOW_LOG"):
            print(server.log())


@pytest.fixture(scope="session")
def chromium(chromium_path: Path) -> Iterator[object]:
    """Debian's chromium under Playwright (sync API), headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def artifact_name(nodeid: str, label: str = "") -> Path:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")
    suffix = f"-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)}" if label else ""
    return ARTIFACTS / f"{stem}{suffix}.png"


class Shots:
    """Saves named screenshots of a page under test-artifacts/e2e/."""

    def __init__(self, page: object, nodeid: str) -> None:
        self.page = page
        self.nodeid = nodeid

    def __call__(self, label: str) -> Path:
        path = artifact_name(self.nodeid, label)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def app_page(
    chromium: object, app_server: AppServer, request: pytest.FixtureRequest
) -> Iterator[object]:
    """A fresh browser page (own cookies and session) with a tall viewport.

    After the test: a screenshot of the final state, and a failure if an exception box shows.
    """
    context = chromium.new_context(
        viewport=VIEWPORT, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        Shots(page, request.node.nodeid)("final")
        boxes = page.locator(EXCEPTION_BOX)
        assert boxes.count() == 0, f"exception box on the page: {boxes.first.inner_text()}"
    finally:
        context.close()


@pytest.fixture
def shot(app_page: object, request: pytest.FixtureRequest) -> Shots:
    """``shot("label")`` saves a screenshot of the current page state."""
    return Shots(app_page, request.node.nodeid)


APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
APP_RUNNING = '[data-testid="stApp"]:not([data-test-script-state="notRunning"])'


#: The first visit to a planning page builds the default plan (a forecast): on a busy 2-core
#: machine that took up to 30 s, so the first run of a page gets longer than other waits.
FIRST_RUN_TIMEOUT = 180_000


def wait_until_idle(page: object) -> None:
    """Wait until the app has drawn its page and the script run has finished."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=FIRST_RUN_TIMEOUT)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=FIRST_RUN_TIMEOUT)
    page.wait_for_selector(APP_IDLE, timeout=FIRST_RUN_TIMEOUT)


@pytest.fixture
def open_app(app_page: object, app_server: AppServer):
    """``open_app(path="")`` loads the app at ``path`` (e.g. ``"gemt"``) and waits until idle."""

    def go(path: str = "") -> object:
        app_page.goto(f"{app_server.url}/{path.lstrip('/')}")
        wait_until_idle(app_page)
        return app_page

    return go


def wait_for_run(page: object) -> None:
    """Wait for the script run an interaction started to finish."""
    # A rerun may start up to half a second after the click (longer on a busy machine): wait
    # for it to start (or give up after a second: it may have run already), then wait it out,
    # so that a click never lands on the page of the run before.
    try:
        page.wait_for_selector(APP_RUNNING, timeout=1_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the run was quick
        pass
    page.wait_for_selector(APP_IDLE)


@pytest.fixture
def idle():
    """``idle(page)``: `wait_for_run`."""
    return wait_for_run


def click_tab(page: object, name: str) -> None:
    """Click the tab ``name`` once the page holds one set of tabs (while a run redraws the page
    the old set can stay on screen beside the new one for a moment), and wait out the run the
    click starts: the Vagtplan page's tabs run the page, which draws the open tab alone
    (`app_pages.roster.draw_open_tab`)."""
    tab = page.get_by_role("tab", name=name, exact=True)
    for _ in range(100):
        page.wait_for_selector(APP_IDLE)
        if tab.count() == 1:
            break
        page.wait_for_timeout(100)
    tab.click()
    wait_for_run(page)


@pytest.fixture
def tab():
    """``tab(page, name)``: `click_tab`."""
    return click_tab
