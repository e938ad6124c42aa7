#!/usr/bin/env python3
"""Live reload in a real browser: Debian's chromium and chromedriver, driven by selenium.

Usage: browser-reload-test.py DOSSIER_EXECUTABLE

Starts `dossier serve` on a new site (`dossier new`) and opens two of its pages in Chromium:
the sample article and the actors' index. Saves the article, as an editor does, and checks
what each page does with the two reload events that follow: the article's page reloads at once
with the new text (the preview), and once only; the index reloads after the whole site is
rebuilt. Then a broken save shows its problem over the page, and a fixed one takes it away.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from selenium.webdriver.support.ui import WebDriverWait

from browser_checks import browser, check, failures

DOSSIER = os.path.abspath(sys.argv[1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def loads(driver):
    """How many times the page was loaded: a counter kept in the tab's session storage."""
    return driver.execute_script("return Number(sessionStorage.getItem('loads'))")


COUNT_LOADS = "sessionStorage.setItem('loads', String(Number(sessionStorage.getItem('loads')) + 1))"


def open_counting(driver, url):
    """Opens `url` and counts its loads from then on (each reload runs the counter again)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_LOADS})
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: loads(d) == 1)


def wait(condition, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def main():
    root = tempfile.mkdtemp(prefix="dossier-reload-")
    site = os.path.join(root, "site")
    subprocess.run([DOSSIER, "new", site], check=True, stdout=subprocess.DEVNULL)
    articles = os.path.join(site, "content", "articles")
    article = sorted(name for name in os.listdir(articles) if name.endswith(".md"))[0]
    article_path = os.path.join(articles, article)
    page = "articles/%s/index.html" % article[:-3]
    port = free_port()
    serve = subprocess.Popen([DOSSIER, "serve", "--site", site, "--port", str(port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    article_tab = index_tab = None
    try:
        check(wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0), "serve listens on 127.0.0.1:%d" % port)
        article_tab, index_tab = browser(), browser()
        open_counting(article_tab, "http://127.0.0.1:%d/%s" % (port, page))
        open_counting(index_tab, "http://127.0.0.1:%d/actors/index.html" % port)
        time.sleep(0.5)  # both pages listen for events

        original = open(article_path, encoding="utf-8").read()
        saved = re.sub(r"\n\n", "\n\nNachgetragen im Browser-Test.\n\n", original, count=1)
        with open(article_path + ".tmp", "w", encoding="utf-8") as file:
            file.write(saved)
        os.rename(article_path + ".tmp", article_path)
        check(wait(lambda: "Nachgetragen im Browser-Test." in article_tab.page_source, 10),
              "the saved article's page shows the new text")
        check(wait(lambda: loads(index_tab) == 2), "the actors' index reloads after the site is rebuilt")
        time.sleep(1)
        check(loads(article_tab) == 2, "the article's page reloaded once, not again for the rebuilt site (%d loads)" % loads(article_tab))
        check(loads(index_tab) == 2, "the index reloaded once (%d loads)" % loads(index_tab))

        with open(article_path, "w", encoding="utf-8") as file:
            file.write("---\ntitle: [kaputt\n---\nText.\n")
        problems = "return (document.getElementById('dossier-problems') || {}).textContent || ''"
        located = re.compile(r"content/articles/%s:\d+:\d+: error" % re.escape(article))
        check(wait(lambda: located.search(article_tab.execute_script(problems)), 10),
              "a broken save shows its problem, with file and line, over the page")
        with open(article_path, "w", encoding="utf-8") as file:
            file.write(original)
        check(wait(lambda: article_tab.execute_script(problems) == "" and "Nachgetragen" not in article_tab.page_source, 10),
              "the fixed save takes the problem away and shows the page")
        for tab in (article_tab, index_tab):
            errors = [entry for entry in tab.get_log("browser") if entry["level"] == "SEVERE"]
            check(not errors, "no errors in the console: %s" % errors)
    finally:
        for tab in (article_tab, index_tab):
            if tab:
                tab.quit()
        serve.terminate()
        try:
            serve.wait(5)
        except subprocess.TimeoutExpired:
            serve.kill()
        shutil.rmtree(root, ignore_errors=True)
    print("%d failures" % len(failures))
    sys.exit(1 if failures else 0)


main()
