#!/usr/bin/env python3
"""Screenshots of home, category, part, search and cart in Chinese and English, phone and desktop.

Run against a running store (``make run`` in another shell):
    .venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000]
Writes docs/screenshots/{page}-{language}-{device}.png with headless Chromium, e.g.
part-zh-phone.png. The cart screenshots hold the part of the part screenshots: the script
adds it to the cart through the part page's own form, as a visitor would.
"""

import argparse
import re
import shutil
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DEVICES = {"desktop": (1366, 900), "phone": (390, 844)}
# Language code in the file name -> URL prefix of that language version.
LANGUAGES = {"zh": "/zh-hans", "en": ""}
SEARCHES = {"zh": "贴片电容 0805 10uF", "en": "10uF 0805 X5R"}


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})
    return urllib.request.urlopen(request).read().decode()


def first_link(html: str, pattern: str) -> str:
    match = re.search(rf'href="((?:/zh-hans)?{pattern}[^"]*)"', html)
    if not match:
        raise SystemExit(f"No link matching {pattern} found; is the demo catalog loaded?")
    return match.group(1)


def pages(base_url: str, language: str) -> dict[str, str]:
    prefix = LANGUAGES[language]
    home = fetch(f"{base_url}{prefix}/")
    category = first_link(home, "/c/")
    listing = fetch(base_url + category)
    part = first_link(listing, "/part/")
    query = urllib.parse.urlencode({"q": SEARCHES[language]})
    return {
        "home": f"{prefix}/",
        "category": category + "?stock=1",
        "part": part,
        "search": f"{prefix}/search/?{query}",
    }


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def shoot(driver, url: str, target: Path, size: tuple[int, int]) -> None:
    width, height = size
    driver.set_window_size(width, height)
    driver.get(url)
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(full, height), 3000))
    driver.save_screenshot(str(target))
    print(f"{target.relative_to(ROOT)}  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        for language, prefix in LANGUAGES.items():
            found = pages(args.base_url, language)
            for name, path in found.items():
                for device, size in DEVICES.items():
                    target = OUT / f"{name}-{language}-{device}.png"
                    shoot(driver, args.base_url + path, target, size)
            driver.get(args.base_url + found["part"])
            driver.find_element(By.CSS_SELECTOR, "button.add-to-cart").click()
            for device, size in DEVICES.items():
                target = OUT / f"cart-{language}-{device}.png"
                shoot(driver, f"{args.base_url}{prefix}/cart/", target, size)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
