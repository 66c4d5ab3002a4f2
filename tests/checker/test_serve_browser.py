"""The page of ``python -m derivations serve`` in a real browser (headless Chromium through
Selenium): keyboard only, a right answer previewed and PROVED, a wrong one REFUTED with a
counterexample, 5000 nested parentheses refused with the page still working, and no
violation reported by axe-core. Outside CI, a missing browser or axe-core skips these
tests with the reason; with ``CI=true`` it fails them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from serve_browser import (
    axe_source,
    axe_violations,
    browser_paths,
    in_ci,
    start_chromium,
)
from serve_support import running, small_config

from derivations.checker.serve.server import RunningServer


def missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running(small_config()) as started:
        yield started


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if browser_paths() is None:
        missing("chromium and chromedriver are not installed "
                "(apt-get install -y chromium chromium-driver)")
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, server: RunningServer) -> Any:
    browser.get(server.url)
    return browser


def wait_for(driver: Any, condition: Any, what: str) -> Any:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, 90, poll_frequency=0.05).until(condition)
    except TimeoutException:
        raise AssertionError(f"the page never showed {what}") from None


def text_of(driver: Any, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def verdict_shown(driver: Any, key: str) -> str:
    """The result of answer ``key`` once a verdict or a refusal is shown."""
    return wait_for(driver, lambda d: (t := text_of(d, f"result-{key}")) and "…" not in t and t,
                    f"a result for {key}")


def tab_to(driver: Any, element_id: str, most: int = 40) -> None:
    """Press Tab until ``element_id`` has the focus (keyboard only)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(most):
        if driver.switch_to.active_element.get_attribute("id") == element_id:
            return
        ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"Tab never reached #{element_id}")


def type_keys(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def test_a_right_answer_is_previewed_then_proved_with_the_keyboard_only(page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    tab_to(page, "answer-1a")
    type_keys(page, "w/(2*lambda)")
    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#read-1a math mfrac"),
             "the answer typeset as MathML")
    assert "(1/(2*lambda))*w" in text_of(page, "read-1a")
    type_keys(page, Keys.ENTER)
    shown = verdict_shown(page, "1a")
    assert shown.startswith("✓ PROVED — right")
    result = page.find_element(By.ID, "result-1a")
    assert result.get_attribute("aria-live") == "polite" and result.get_attribute("role") == \
        "status"


def test_a_wrong_answer_is_refuted_with_a_counterexample_and_the_likely_mistake(
        page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    tab_to(page, "answer-1b")
    type_keys(page, "mu + inv(Sigma) w")
    tab_to(page, "answer-1b", most=1)
    type_keys(page, Keys.TAB)  # to the Check 1b button
    assert page.switch_to.active_element.text == "Check 1b"
    type_keys(page, Keys.SPACE)
    shown = verdict_shown(page, "1b")
    assert shown.startswith("✗ REFUTED — wrong")
    assert "Counterexample: at d = 1" in shown and "Likely mistake: Σ⁻¹ in place of Σ" in shown


def test_a_hostile_answer_is_refused_clearly_and_the_page_still_works(page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    deep = "(" * 5000 + "w" + ")" * 5000
    page.execute_script("""  // pasted: the whole text at once
        const box = document.getElementById("answer-1a");
        box.value = arguments[0];
        box.dispatchEvent(new Event("input", {bubbles: true}));
        box.focus();""", deep)
    wait_for(page, lambda d: "refused" in text_of(d, "read-1a"), "the preview's refusal")
    type_keys(page, Keys.ENTER)
    shown = verdict_shown(page, "1a")
    assert "Your answer was refused: the answer is too long: 10001 characters, at most 2000" \
        in shown
    page.execute_script("document.getElementById('answer-1a').value = ''")
    type_keys(page, "w/(2 λ)" + Keys.ENTER)
    assert verdict_shown(page, "1a").startswith("✓ PROVED")


def test_an_unreadable_answer_says_where_and_why(page: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    tab_to(page, "answer-1c-z")
    type_keys(page, "A^T w/(2 lambda" + Keys.ENTER)
    shown = verdict_shown(page, "1c-z")
    assert shown.startswith("? CANNOT CHECK — not checked:")
    assert "expected `)` to close the `(` opened at position 7" in shown
    assert "Cannot read this yet (at position 16)" in text_of(page, "read-1c-z")


def test_axe_core_reports_no_violation_with_verdicts_on_the_page(page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    source = axe_source()
    if source is None:
        missing("axe-core is not installed and npm could not install it into .cache/npm")
    for key, answer in (("1a", "w/(2 lambda)"), ("1b", "Sigma^-1 w + mu"),
                        ("2a-i", "min(a1, a2"), ("3b", "(" * 3000)):
        page.execute_script(
            "const b = document.getElementById(arguments[0]); b.value = arguments[1];"
            "b.dispatchEvent(new Event('input', {bubbles: true}));", f"answer-{key}", answer)
        page.find_element(By.ID, f"answer-{key}").send_keys(Keys.ENTER)
        verdict_shown(page, key)
    page.find_element(By.CSS_SELECTOR, "details.help summary").click()
    assert axe_violations(page, source) == []
