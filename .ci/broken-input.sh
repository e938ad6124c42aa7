#!/usr/bin/env bash
# Broken, hostile and absurd input: every bad file gets a diagnostic with its file and position,
# the rest of the archive is still checked, and nothing crashes, runs long or takes much memory.
#
#     bash .ci/broken-input.sh [DOSSIER]        # DOSSIER defaults to .build/debug/dossier
#
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
dossier=$(realpath "${1:-.build/debug/dossier}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME SECONDS MEGABYTES EXPECTED-STATUS COMMAND...: runs a command under GNU time and
# checks its exit status, that it did not crash, and its wall time and peak memory.
run() {
  local name=$1 seconds=$2 megabytes=$3 expected=$4; shift 4
  set +e
  /usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
  local status=$?
  set -e
  read -r elapsed kilobytes < <(tail -n 1 "$tmp/$name.time")
  echo "$name: exit $status, ${elapsed} s, $((kilobytes / 1024)) MB"
  [ "$status" -lt 128 ] || fail "$name crashed (exit $status)"
  ! grep -q "Program crashed" "$tmp/$name.err" || fail "$name crashed"
  [ "$status" = "$expected" ] || { fail "$name: exit $status, expected $expected"; cat "$tmp/$name.err"; }
  python3 -c "import sys; sys.exit(0 if float('$elapsed') <= $seconds else 1)" || fail "$name took ${elapsed} s, more than $seconds s"
  [ "$((kilobytes / 1024))" -le "$megabytes" ] || fail "$name took $((kilobytes / 1024)) MB, more than $megabytes MB"
}

# expect NAME TEXT: the diagnostics of run NAME hold TEXT.
expect() {
  grep -qF -- "$2" "$tmp/$1.err" || { fail "$1: no diagnostic '$2'"; cat "$tmp/$1.err"; }
}

echo "== one site with every kind of broken file"
site="$tmp/broken"
mkdir -p "$site/content/articles" "$site/content/actors" "$site/content/places" "$site/content/notes"
cp -R Sources/DossierCore/Theme "$site/templates"
python3 - "$site" <<'PY'
import os, sys
site = sys.argv[1]
def write(path, data):
    with open(os.path.join(site, path), "wb") as file:
        file.write(data if isinstance(data, bytes) else data.encode())
write("content/site.yml", "title: Kaputt\n")
write("content/places/damaskus.md", "---\nname: Damaskus\n---\nStadt.\n")
write("content/articles/gut.md", "---\ntitle: Gut\ndate: 2020-01-01\n---\nIn Damaskus ist es ruhig.\n")
write("content/articles/utf8.md", b"---\ntitle: Kaputt\n---\nZeile\nmit \xff Byte.\n")
write("content/articles/bom.md", b"\xef\xbb\xbf---\ntitle: BOM in Damaskus\n---\nText.\n")
write("content/articles/crlf.md", "---\r\ntitle: CRLF\r\n---\r\nIn Damaskus.\r\n")
write("content/articles/cr.md", "---\rtitle: CR\r---\rIn Damaskus.\r")
write("content/articles/offen.md", "---\ntitle: Offen\nText ohne Ende der Front Matter.\n")
lines = ["---", "title: Bombe", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
write("content/articles/bombe.md", "\n".join(lines + ["? *a9", ": 1", "---", "Text."]) + "\n")
write("content/articles/tief.md", "---\ntitle: Tief\nx: " + "[" * 100000 + "]" * 100000 + "\n---\nText.\n")
write("content/articles/tief-genug.md", "---\ntitle: Tief\nx: " + "[" * 40 + "]" * 40 + "\n---\nText.\n")
write("content/articles/leer.md", "")
write("content/actors/leer.md", "")
write("content/notes/leer.md", "")
paragraph = ("In Damaskus sagte ein Sprecher, die Lage sei ruhig. " * 20 + "\n\n").encode()
with open(os.path.join(site, "content/articles/riesig.md"), "wb") as file:
    file.write(b"---\ntitle: Riesig\n---\n")
    for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
        file.write(paragraph)
write("templates/home.mustache", "<p>\n  {{#offen}}\n")
write("templates/partials/footer.mustache", "<footer>{{> partials/footer}}</footer>\n")
PY
run broken 60 400 1 "$dossier" check --site "$site"
expect broken "content/articles/utf8.md:5:5: error: not valid UTF-8"
expect broken "content/articles/offen.md:1:1: error: front matter opened by '---' on line 1 is never closed"
expect broken "content/articles/bombe.md:7:10: error: YAML aliases expand to more than 10000 nodes"
expect broken "content/articles/tief.md:3:"
expect broken "content/articles/tief-genug.md:3:35: error: YAML nested more than 32 levels deep"
expect broken "content/articles/leer.md:1: error: missing required front-matter key 'title'"
expect broken "content/actors/leer.md:1: error: missing required front-matter key 'name'"
expect broken "content/notes/leer.md:1: error: missing required front-matter key 'title'"
expect broken "content/articles/riesig.md: error: not read: the file has 50.0 MB, more than the 8.0 MB a file may have"
expect broken "templates/home.mustache:3:1: error: template syntax error: a section opened by {{#...}}"
expect broken "templates/partials/footer.mustache:1:9: error: templates include each other without end"
expect broken "checked: 4 articles"
! grep -qE "content/articles/(gut|bom|crlf|cr)\.md.*(error|warning)" "$tmp/broken.err" || fail "a good article was reported"

echo "== a 50 MB article cannot make a build run long or take much memory"
mkdir -p "$tmp/riesig/content/articles"
mv "$site/content/articles/riesig.md" "$tmp/riesig/content/articles/"
run riesig 10 200 1 "$dossier" build --site "$tmp/riesig"
expect riesig "content/articles/riesig.md: error: not read: the file has 50.0 MB"
test ! -e "$tmp/riesig/public" || fail "a failed build wrote public/"

echo "== an 8 MB article of one paragraph with 43,000 mentions, an actor with 100,000 aliases"
mkdir -p "$tmp/gross/content/articles" "$tmp/gross/content/actors" "$tmp/gross/content/places"
python3 - "$tmp/gross" <<'PY'
import os, sys
site = sys.argv[1]
sentence = ("In Damaskus sagte ein Sprecher am Abend, die Lage sei ruhig; die Versorgung mit Wasser und Strom "
            "funktioniere wieder, und die Schulen sollten am Montag wieder öffnen, teilten die Behörden mit. ")
count = (8 * 1024 * 1024 - 1000) // len(sentence.encode())
with open(os.path.join(site, "content/articles/absatz.md"), "w") as file:
    file.write("---\ntitle: Ein Absatz\ndate: 2020-01-01\n---\n" + sentence * count + "\n")
with open(os.path.join(site, "content/places/damaskus.md"), "w") as file:
    file.write("---\nname: Damaskus\n---\nStadt.\n")
with open(os.path.join(site, "content/actors/viele.md"), "w") as file:
    file.write("---\nname: Viele\naliases:\n" + "".join(f"  - Alias {i}\n" for i in range(100000)) + "---\nViele Namen.\n")
with open(os.path.join(site, "content/articles/kurz.md"), "w") as file:
    file.write("---\ntitle: Kurz\ndate: 2020-01-02\n---\nAlias 7 und Alias 12345 in Damaskus.\n")
PY
run gross 120 1200 0 "$dossier" build --site "$tmp/gross"
expect gross " pages: 2 articles, 1 actors, 1 places"

if [ "$failures" -gt 0 ]; then echo "broken input: $failures failures"; exit 1; fi
echo "broken input: all checks passed"
