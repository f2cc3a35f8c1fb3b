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

        @property
        def path(self) -> str:
            return browser.current_url.removeprefix(live_server.url)

    browser.delete_all_cookies()
    return Page()
