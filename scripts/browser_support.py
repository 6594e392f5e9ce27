"""What the browser tests and the benchmark share: Debian's Chromium with its flags here, and
a localhost server for a built site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google's hosts at every start,
# which this machine's closed network refuses (and a reader's request log would show).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, handler_class: type = _Quiet) -> Iterator[str]:
    """Serve a built site on 127.0.0.1; yields its base URL."""
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)  # no thread left behind when later tests fork worker processes


@contextlib.contextmanager
def chromium(profile: Path, **options) -> Iterator:
    """A headless Debian Chromium with its own profile folder (removed after): a Playwright
    browser context. A missing Chromium is an error, never a reason to skip."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(
            f"Debian chromium is not installed at {CHROMIUM} (make test installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True, **options
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@contextlib.contextmanager
def phone(site: Path, profile: Path, scale: int = 1) -> Iterator[tuple[str, object]]:
    """A built site served, and a 390 px phone's Chromium context: (base URL, context)."""
    with (
        serve(site) as base,
        chromium(
            profile,
            viewport={"width": 390, "height": 844},
            device_scale_factor=scale,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        ) as context,
    ):
        yield base, context
