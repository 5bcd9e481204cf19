"""Debian's headless Chromium driven by Playwright, and a local web server for the built site.

Playwright launches /usr/bin/chromium itself (`executable_path`; no browser is downloaded,
never `playwright install`) and talks to it over a pipe: no DevTools port, no Origin check.
It starts the browser in a process group of its own; `launched()` ends that group whatever
the test did, so no chromium outlives it."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from tests import processes

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package `chromium`; `make test` installs it
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}


def missing_browser(executable: Path = CHROMIUM) -> str | None:
    """One line saying what is missing, or None when the browser is there."""
    if os.access(executable, os.X_OK):
        return None
    return (
        f"{executable} is missing: Debian's package chromium, which `make test` installs "
        "as root (apt-get install chromium)"
    )


class Site:
    """The built site served on 127.0.0.1 (search needs HTTP, not file://), in a thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def browser_group(profile: Path) -> int:
    """The process group of the chromium that runs on `profile` (its --user-data-dir)."""
    marker = f"--user-data-dir={profile}"
    found = [p for p in processes.descendants(os.getpid()) if marker in p.command]
    if not found:
        raise RuntimeError(f"no chromium process runs on {profile}")
    return min(found, key=lambda p: p.pid).pgid


@dataclass(frozen=True)
class Chromium:
    context: BrowserContext  # Playwright's: events, offline mode, more pages
    page: Page
    process_group: int


@contextlib.contextmanager
def launched(executable: Path = CHROMIUM) -> Iterator[Chromium]:
    """Chromium on a fresh profile, with one page; its process group is ended on the way out,
    however the block is left."""
    profile = Path(tempfile.mkdtemp(prefix="smdb-chromium-"))
    driver = sync_playwright().start()
    group = None
    try:
        context = driver.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            args=FLAGS,
            headless=True,
            viewport=VIEWPORT,
        )
        group = browser_group(profile)
        page = context.pages[0] if context.pages else context.new_page()
        yield Chromium(context, page, group)
    finally:
        try:
            driver.stop()  # closes the browser, then ends Playwright's own driver process
        finally:
            if group is not None:
                processes.end_group(group)
            shutil.rmtree(profile, ignore_errors=True)
