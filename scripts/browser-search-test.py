#!/usr/bin/env python3
"""Search in a real browser: Debian's chromium and chromedriver, driven by selenium.

Usage: browser-search-test.py PUBLIC_DIR

Types queries into the search page of a built demo site, opened from disk (file://) and over
HTTP (Python's static server, as a static host would serve it), and checks what the page shows:
folded matches (efrin -> Efrîn, dera -> Dêra Zor), German words by their beginnings, snippets
with the match marked, links that lead to existing pages, ?q= in the address, keyboard use, no
errors in the console, and that a query loads only some of the index files.
"""
import functools
import http.server
import os
import socketserver
import sys
import threading
from urllib.parse import unquote, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_checks import browser, check, failures

PUBLIC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "public")

RESULTS = """return Array.from(document.querySelectorAll('#search-results .search-result')).map(item => {
  const mark = item.querySelector('.search-snippet mark');
  return [item.querySelector('.search-kind').textContent, item.querySelector('a').textContent,
          item.querySelector('a').href, item.querySelector('.search-snippet').textContent, mark ? mark.textContent : ''];
});"""


def results(driver):
    """(kind, title, href, snippet, marked word) of each result shown."""
    return [tuple(result) for result in driver.execute_script(RESULTS)]


def type_query(driver, query):
    """Types `query` and waits until the page shows its results (the list names its query)."""
    field = driver.find_element(By.ID, "search-query")
    field.clear()
    field.send_keys(query)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.getElementById('search-results').dataset.query") == query)
    return results(driver)


def exists(href, base):
    """Whether a result link names a file of the site."""
    path = unquote(urlparse(href).path)
    if base.startswith("http"):
        path = os.path.join(PUBLIC, path.lstrip("/"))
    return os.path.isfile(path) or os.path.isfile(os.path.join(path, "index.html"))


def run(driver, base):
    print(f"== {base}")
    driver.get(base + "search/index.html")
    check(driver.switch_to.active_element.get_attribute("id") == "search-query", "the query field has the focus")

    found = type_query(driver, "efrin")
    titles = [title for _, title, _, _, _ in found]
    check("Efrîn" in titles, f"'efrin' finds the place Efrîn: {titles[:5]}")
    check(found and found[0][1] == "Efrîn", "the place named Efrîn ranks first")
    check(all(exists(href, base) for _, _, href, _, _ in found), "every result links to a page that exists")
    marked = [mark for _, _, _, _, mark in found if mark]
    check(marked and all(mark.lower().startswith("efr") for mark in marked), f"snippets mark the match: {marked[:3]}")

    found = type_query(driver, "dera")
    check("Dêra Zor" in [title for _, title, _, _, _ in found], "'dera' finds Dêra Zor")

    found = type_query(driver, "Wiederauf")
    check(any("Wiederaufnahme" in title for _, title, _, _, _ in found), "'Wiederauf' finds the note on the Wiederaufnahme by its beginning")
    found = type_query(driver, "koordin irak")
    check(any("koordinieren" in title for _, title, _, _, _ in found), f"'koordin irak' finds the article: {found[:3]}")
    check(len(found) < len(type_query(driver, "irak")), "two words find fewer than one: both must match")

    found = type_query(driver, "xqzzv")
    check(found == [] and driver.find_element(By.ID, "search-status").text == "Nichts gefunden.", "no match says so")

    loaded = driver.execute_script("return Array.from(document.scripts).map(s => s.src).filter(s => /terms-[0-9a-f]+\\.js$/.test(s)).length")
    shards = len([name for name in os.listdir(os.path.join(PUBLIC, "search")) if name.startswith("terms-")])
    check(0 < loaded < shards, f"the queries loaded {loaded} of {shards} index shards")

    driver.get(base + "search/index.html?q=Efr%C3%AEn")
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.getElementById('search-results').dataset.query") == "Efrîn")
    check(results(driver)[0][1] == "Efrîn", "?q= in the address runs the query, diacritics and all")

    # Keyboard: from the field, Tab reaches the first result, Enter follows it.
    driver.find_element(By.ID, "search-query").send_keys(Keys.TAB)
    first = driver.switch_to.active_element
    check(first.text == "Efrîn", f"Tab moves to the first result: {first.text!r}")
    first.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "/places/efrin/" in d.current_url)
    check(driver.find_element(By.TAG_NAME, "h1").text == "Efrîn", "Enter opens the place page")

    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(errors == [], f"no errors in the console: {errors}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=PUBLIC))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = browser()
    try:
        run(driver, "file://" + PUBLIC + "/")
        run(driver, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        driver.quit()
        server.shutdown()
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("search works in the browser over file:// and HTTP")


if __name__ == "__main__":
    main()
