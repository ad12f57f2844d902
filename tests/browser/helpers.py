"""What the browser journeys share: how the browser is launched, signing in through the
real form, waiting for the service worker, and the axe-core check."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from app.demo import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

# Every test module starts with `pytestmark = BROWSER`.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


def is_shell(url: str) -> bool:
    """The only things a cache may hold: static files and the offline page. Every other
    page can show who someone is."""
    path = urlsplit(url).path
    return path == "/offline" or path.startswith("/static/")


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    # Found by its form, not its words: some accounts see the app in Arabic.
    expect(page.locator('form[action="/logout"] button')).to_be_visible()


def service_worker_scope(page: Page) -> str:
    """Waits until the worker is active and controls this page; returns its scope."""
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    # A page whose load began while the worker was still activating can miss clients.claim()
    # and stay uncontrolled; any page loaded after activation is controlled, so reload once.
    # (wait_for_function evaluates its predicate with eval(), which our CSP forbids.)
    if not true_within(page, "navigator.serviceWorker.controller !== null", 3_000):
        page.reload()
        wait_until(page, "navigator.serviceWorker.controller !== null")
    return scope


def axe_report(page: Page, axe) -> str:
    """axe-core's findings on the page as it is now; empty when there are none."""
    results = axe.run(page)
    if not results.violations_count:
        return ""
    return f"{results.violations_count} axe-core violation(s) on {page.url}:\n{results.generate_report()}"


# Sideways scrolling on a phone, and controls smaller than a fingertip (DESIGN.md: 44 px
# touch targets). Links inside running text are left out: they are part of a sentence,
# which WCAG allows. A radio button counts with its label, as a row.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide`);
  }
  const controls = document.querySelectorAll(
    "button, select, textarea, input:not([type=hidden]), a[href]"
  );
  for (const element of controls) {
    if (!element.checkVisibility()) continue;
    if (element.matches("a") && getComputedStyle(element).display === "inline") continue;
    const target = element.matches("[type=radio], [type=checkbox]") ? element.closest(".choice") : element;
    const box = (target || element).getBoundingClientRect();
    if (box.height < 44 || box.width < 44) {
      const name = (element.textContent || element.name || element.id).trim().slice(0, 40);
      problems.push(`${element.tagName.toLowerCase()} "${name}" is ${box.width}x${box.height}px`);
    }
  }
  return problems;
}"""


def layout_report(page: Page) -> str:
    """Sideways scrolling and touch targets, which axe-core does not measure against our
    44 px rule."""
    problems = page.evaluate(LAYOUT_PROBLEMS)
    if not problems:
        return ""
    return f"Layout problems on {page.url}:\n" + "\n".join(f"  {p}" for p in problems)


def assert_accessible(page: Page, axe) -> None:
    report = axe_report(page, axe)
    if report:
        pytest.fail(report, pytrace=False)


class AxeJourney:
    """Checks every page of a journey and reports all their violations together, so one
    run shows everything there is to fix."""

    def __init__(self, page: Page, axe) -> None:
        self.page = page
        self.axe = axe
        self.reports: list[str] = []

    def check(self, heading: str | None = None) -> None:
        if heading is not None:
            expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        for report in (axe_report(self.page, self.axe), layout_report(self.page)):
            if report:
                self.reports.append(report)

    def visit(self, path: str, heading: str | None = None) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        self.check(heading)

    def assert_clean(self) -> None:
        if self.reports:
            pytest.fail("\n\n".join(self.reports), pytrace=False)


def wait_until(page: Page, expression: str, timeout_ms: int = 10_000) -> None:
    """Like page.wait_for_function, which takes any Promise for a yes: this awaits the
    expression's answer (the Cache API answers only asynchronously)."""
    if not true_within(page, expression, timeout_ms):
        pytest.fail(f"still false after {timeout_ms} ms: {expression}", pytrace=False)


def true_within(page: Page, expression: str, timeout_ms: int) -> bool:
    """Whether the expression's answer turns true within the time, asking every 100 ms."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return True
        page.wait_for_timeout(100)
    return False


def cached_urls(page: Page) -> dict[str, list[str]]:
    """Every cache this site has, with the URLs of the requests stored in it."""
    return page.evaluate(
        """async () => {
          const result = {};
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            result[key] = (await cache.keys()).map((request) => request.url);
          }
          return result;
        }"""
    )
