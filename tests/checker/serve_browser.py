"""Headless Chromium for the page's tests: Debian's ``chromium`` and ``chromium-driver``
driven by Selenium with the system driver (nothing downloaded), and axe-core (from npm,
installed into the git-ignored ``.cache/npm``) injected into the page.

Run as a script it writes the README's screenshot of the page:

    python tests/checker/serve_browser.py docs/serve_page.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NPM_FOLDER = ROOT / ".cache" / "npm"
AXE = NPM_FOLDER / "node_modules" / "axe-core" / "axe.min.js"

#: The flags of every run: headless, no network of the browser's own, a fresh profile.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1100,1400")


def in_ci() -> bool:
    """Whether this is CI (``CI=true``), where a missing browser is a failure, not a skip."""
    return os.environ.get("CI", "").lower() == "true"


def browser_paths() -> tuple[str, str] | None:
    """The Chromium binary and its driver, or None if either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def axe_source() -> str | None:
    """axe-core's script, installed with npm into :data:`NPM_FOLDER` if it is not there yet
    (None if npm is missing or cannot install it)."""
    if not AXE.is_file() and shutil.which("npm"):
        NPM_FOLDER.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                        str(NPM_FOLDER), "axe-core"], check=False, capture_output=True,
                       timeout=300)
    return AXE.read_text(encoding="utf-8") if AXE.is_file() else None


def start_chromium(profile: Path) -> Any:
    """A headless Chromium session (Selenium WebDriver) with a fresh profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = browser_paths()
    if paths is None:
        raise RuntimeError("chromium and chromedriver are not installed "
                           "(apt-get install -y chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=paths[1]))
    driver.set_script_timeout(120)
    return driver


def axe_violations(driver: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page now (id, impact, help, the first nodes)."""
    driver.execute_script(source)
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document).then(
          (r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.slice(0, 3).map((n) => n.html)}))),
          (e) => done([{id: "axe-error", help: String(e)}]));
    """)


def screenshot(path: Path) -> None:
    """The page with a previewed and a checked answer, as a PNG at ``path``."""
    sys.path.insert(0, str(ROOT))
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from derivations.checker.serve.app import sheet_app
    from derivations.checker.serve.config import ServeConfig
    from derivations.checker.serve.server import RunningServer

    with RunningServer(sheet_app(ServeConfig(check_workers=2, preview_workers=1))) as server, \
            tempfile.TemporaryDirectory() as profile:
        driver = start_chromium(Path(profile))
        try:
            driver.get(server.url)
            wait = WebDriverWait(driver, 60)
            for key, answer in (("1a", "w/(2*lambda)"), ("1b", "mu + inv(Sigma) w")):
                box = driver.find_element(By.ID, f"answer-{key}")
                box.send_keys(answer)
                wait.until(lambda d, k=key: d.find_elements(By.CSS_SELECTOR, f"#read-{k} math"))
                box.send_keys(Keys.ENTER)
                wait.until(lambda d, k=key: "—" in d.find_element(By.ID, f"result-{k}").text)
            driver.find_element(By.ID, "answer-1c-z").send_keys("A^T w/(2 lam")
            wait.until(lambda d: "Cannot read" in d.find_element(By.ID, "read-1c-z").text)
            driver.execute_script("document.getElementById('exercise-1').scrollIntoView()")
            driver.save_screenshot(str(path))
        finally:
            driver.quit()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/serve_page.png"))
