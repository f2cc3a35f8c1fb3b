#!/usr/bin/env python3
"""Screenshots of the home, category and part pages at desktop and phone widths.

Run against a running store (``make run`` in another shell):
    .venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000]
Writes docs/screenshots/{home,category,part}-{desktop,phone}.png with headless Chromium.
"""

import argparse
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def first_link(html: str, prefix: str) -> str:
    match = re.search(rf'href="({re.escape(prefix)}[^"]+)"', html)
    if not match:
        raise SystemExit(f"No {prefix} link found; is the demo catalog loaded?")
    return match.group(1)


def pages(base_url: str) -> dict[str, str]:
    home = urllib.request.urlopen(base_url + "/").read().decode()
    category = first_link(home, "/c/")
    listing = urllib.request.urlopen(base_url + category).read().decode()
    part = first_link(listing, "/part/")
    return {"home": "/", "category": category + "?stock=1", "part": part}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        for name, path in pages(args.base_url).items():
            for device, width in WIDTHS.items():
                driver.set_window_size(width, 900)
                driver.get(args.base_url + path)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(height, 3000))
                target = OUT / f"{name}-{device}.png"
                driver.save_screenshot(str(target))
                print(f"{target.relative_to(ROOT)}  {args.base_url}{path}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
