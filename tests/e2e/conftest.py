"""Real Chromium (Debian's chromium + chromium-driver) driving the store on a live server."""

import shutil
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver are not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="partline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    """The browser, with helpers to open a store path and to find elements."""
    from selenium.webdriver.common.by import By

    class Page:
        driver = browser

        def open(self, path: str):
            browser.get(live_server.url + path)
            return self

        def css(self, selector: str):
            return browser.find_element(By.CSS_SELECTOR, selector)

        def all(self, selector: str):
            return browser.find_elements(By.CSS_SELECTOR, selector)

        def wait_for_url(self, fragment: str, timeout: float = 10):
            """Wait until navigation has reached a URL containing the fragment."""
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(browser, timeout).until(lambda d: fragment in d.current_url)
            return self

        def wait_for_path(self, path: str, timeout: float = 10):
            """Wait until the current path (without the query string) is exactly ``path``."""
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(browser, timeout).until(lambda d: self.path.split("?")[0] == path)
            return self

        def click_and_wait(self, target, timeout: float = 10):
            """Click (a selector or an element) and wait until the browser has loaded a new
            page, also one at the same URL (a form shown again with its errors)."""
            element = self.css(target) if isinstance(target, str) else target
            old_page = self.css("html")
            element.click()
            return self.wait_for_new_page(old_page, timeout)

        def wait_for_new_page(self, old_page, timeout: float = 10):
            """Wait until ``old_page`` (the ``html`` element read before an action) has been
            replaced by a newly loaded page."""
            from selenium.common.exceptions import WebDriverException
            from selenium.webdriver.support import expected_conditions
            from selenium.webdriver.support.ui import WebDriverWait

            # Mid-navigation, chromedriver may answer with a transient error ("Node with
            # given id does not belong to the document"): ask again.
            WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,)).until(
                expected_conditions.staleness_of(old_page)
            )
            return self

        def fill(self, selector: str, value: str):
            """Replace the text of an input with ``value``."""
            field = self.css(selector)
            field.clear()
            field.send_keys(value)
            return field

        def choose(self, selector: str, visible_text: str):
            """Pick an option of a <select> by the text the customer sees."""
            from selenium.webdriver.support.ui import Select

            Select(self.css(selector)).select_by_visible_text(visible_text)

        def sign_in(self, email: str, password: str, *, next_path: str = "/account/"):
            """Sign in through the store's sign-in form and wait to land on ``next_path``."""
            self.open(f"/account/login/?next={next_path}")
            self.fill("#id_username", email)
            self.fill("#id_password", password)
            self.click_and_wait("form.form button[type=submit]")
            return self.wait_for_path(next_path)

        @property
        def text(self) -> str:
            """The visible text of the page's main content."""
            return self.css("main").text

        @property
        def path(self) -> str:
            return browser.current_url.removeprefix(live_server.url)

    browser.delete_all_cookies()
    return Page()
