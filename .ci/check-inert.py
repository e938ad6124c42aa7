#!/usr/bin/env python3
"""Checks that a built site holds nothing executable: parses every file of public/ and fails on
anything content could have smuggled in.

    python3 .ci/check-inert.py PUBLIC_DIR

HTML (html.parser): no <script> but JSON-LD, whose text must parse as JSON and hold no
`</script`, `<script` or `<!--`; no on* attribute; no javascript:, data: or vbscript: URL in a
URL attribute; no element that embeds or redirects (iframe, object, embed, base, form, meta
refresh, ...). Feeds and the sitemap (ElementTree): well-formed, only Atom or sitemap elements,
no dangerous URL, and HTML carried in a feed checked as HTML. CSV (csv): no cell a spreadsheet
takes for a formula (=, +, -, @, tab, CR first) unless it is a plain number. JSON and JSON-LD
(json): parse. Search index scripts (search/*.js): one call of DossierSearch with JSON, no raw
`</script`, `<!--` or U+2028/U+2029. The search page may have the theme's own search form and its two scripts
(`assets/search.js`, `meta.js`) and nothing else of the kind.
"""
import csv
import html.parser
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ElementTree

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "srcset", "cite", "background", "xlink:href", "data",
    "codebase", "manifest", "ping", "lowsrc", "dynsrc", "longdesc", "usemap", "values", "to", "from", "by",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "style", "template"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def is_dangerous_url(value):
    """As a browser reads a URL: ASCII tabs and newlines anywhere, and leading controls and spaces, do not count."""
    url = re.sub(r"[\t\n\r]", "", value).lstrip("".join(chr(c) for c in range(0x21))).lower()
    return url.startswith(DANGEROUS_SCHEMES)


# The theme's search page: its form and scripts, with these attributes exactly.
SEARCH_PAGE_ELEMENTS = [
    ("form", {"class": "search-form", "role": "search", "action": "../search/index.html", "method": "get"}),
    ("script", {"src": "../assets/search.js"}),
    ("script", {"src": "meta.js"}),
]


class PageChecker(html.parser.HTMLParser):
    def __init__(self, problems, where):
        super().__init__(convert_charrefs=True)
        self.problems = problems
        self.where = where
        self.is_search_page = where.replace("\\", "/").endswith("search/index.html")
        self.script = None  # the text of the open JSON-LD script element

    def problem(self, message):
        line, column = self.getpos()
        self.problems.append(f"{self.where}:{line}:{column + 1}: {message}")

    def handle_starttag(self, tag, attrs):
        self.check_element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.check_element(tag, attrs)

    def check_element(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if self.is_search_page and (tag, values) in SEARCH_PAGE_ELEMENTS:
            return
        if tag == "script":
            if values.get("type", "").strip().lower() == "application/ld+json" and "src" not in values:
                self.script = ""
            else:
                self.problem(f"a <script> element: {attrs}")
        if tag in FORBIDDEN_ELEMENTS:
            self.problem(f"a <{tag}> element")
        if tag == "meta" and "http-equiv" in values:
            self.problem(f"<meta http-equiv={values['http-equiv']!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problem(f"event handler attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and is_dangerous_url(value):
                self.problem(f"dangerous URL {name}={value!r} on <{tag}>")
            if name == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.IGNORECASE):
                self.problem(f"style attribute loading {value!r} on <{tag}>")

    def handle_data(self, data):
        if self.script is not None:
            self.script += data

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.check_json_ld(self.script)
            self.script = None

    def check_json_ld(self, text):
        for marker in ("</script", "<script", "<!--"):
            if marker in text.lower():
                self.problem(f"JSON-LD holds a raw {marker!r}")
        try:
            json.loads(text)
        except ValueError as error:
            self.problem(f"JSON-LD is not JSON: {error}")

    def close(self):
        super().close()
        if self.script is not None:
            self.problem("a <script> element is never closed")


def check_html(text, where, problems):
    checker = PageChecker(problems, where)
    checker.feed(text)
    checker.close()


def check_xml(path, where, problems):
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        problems.append(f"{where}: not well-formed XML: {error}")
        return
    for element in root.iter():
        if not (element.tag.startswith(ATOM) or element.tag.startswith(SITEMAP)):
            problems.append(f"{where}: element {element.tag} outside the Atom and sitemap vocabularies")
        for name, value in element.attrib.items():
            if name in ("href", "src") and is_dangerous_url(value):
                problems.append(f"{where}: dangerous URL {name}={value!r} on {element.tag}")
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("id", "loc", "uri", "icon", "logo") and is_dangerous_url(element.text or ""):
            problems.append(f"{where}: dangerous URL {element.text!r} in {element.tag}")
        if element.attrib.get("type") == "html":
            check_html(element.text or "", f"{where} <{local}>", problems)
        if element.attrib.get("type") == "xhtml":
            problems.append(f"{where}: XHTML content in {element.tag}")


def check_csv(path, where, problems):
    with open(path, newline="", encoding="utf-8") as file:
        for number, row in enumerate(csv.reader(file), start=1):
            for cell in row:
                if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
                    problems.append(f"{where}:{number}: cell a spreadsheet runs as a formula: {cell!r}")


def check_json(path, where, problems):
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        problems.append(f"{where}: not JSON: {error}")


def check_search_script(path, where, problems):
    text = path.read_text(encoding="utf-8")
    for marker in ("</script", "<!--"):
        if marker in text.lower():
            problems.append(f"{where}: raw {marker!r}")
    for separator in ("\u2028", "\u2029"):
        if separator in text:
            problems.append(f"{where}: unescaped U+{ord(separator):04X}")
    call = re.fullmatch(r"DossierSearch\.(?:meta|terms|docs)\((?:\d+,|\"[0-9a-f]+\",)?(.*)\);\n", text, re.DOTALL)
    if not call:
        problems.append(f"{where}: not one call of DossierSearch with JSON")
        return
    try:
        json.loads(call.group(1))
    except ValueError as error:
        problems.append(f"{where}: the call's data is not JSON: {error}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-inert.py PUBLIC_DIR")
    root = pathlib.Path(sys.argv[1])
    problems = []
    counts = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        where = str(path.relative_to(root))
        suffix = path.suffix.lower()
        if suffix == ".html":
            check_html(path.read_text(encoding="utf-8"), where, problems)
        elif suffix == ".xml":
            check_xml(path, where, problems)
        elif suffix == ".csv":
            check_csv(path, where, problems)
        elif suffix in (".json", ".jsonld"):
            check_json(path, where, problems)
        elif suffix == ".js" and path.parent.name == "search":
            check_search_script(path, where, problems)
        else:
            continue
        counts[suffix] = counts.get(suffix, 0) + 1
    if not counts.get(".html"):
        problems.append(f"{root}: no HTML pages to check")
    for problem in problems:
        print(problem)
    summary = ", ".join(f"{count} {suffix}" for suffix, count in sorted(counts.items()))
    print(f"checked {summary}: {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
