#!/usr/bin/env bash
# Faults while publishing: an output folder that cannot be written, a full disk, builds killed
# with SIGKILL while they write. After each, the previous public/ must be exactly as it was (or,
# for a build killed after its swap, exactly the new site), the next build must succeed, and
# build, check and serve must never write under content/ or templates/.
#
#     bash .ci/faults.sh [DOSSIER]        # DOSSIER defaults to .build/debug/dossier
#
# The read-only and full-disk cases mount small tmpfs file systems, which needs root; without
# it they are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
dossier=$(realpath "${1:-.build/debug/dossier}")
tmp=$(mktemp -d)
mounts=()
cleanup() {
  for mount in "${mounts[@]}"; do umount "$mount" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A checksum of every file below a folder, names included.
checksum() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1); }
leftovers() { find "$1" -maxdepth 1 -name '.public.*' | wc -l; }

echo "== a site of 200 articles"
site="$tmp/site"
mkdir -p "$site/content/articles" "$site/content/actors" "$site/content/places"
cp -R Sources/DossierCore/Theme "$site/templates"
python3 - "$site" <<'PY'
import os, random, sys
site = sys.argv[1]
random.seed(7)
names = [f"Ort{i}" for i in range(30)]
for i, name in enumerate(names):
    with open(os.path.join(site, f"content/places/ort-{i}.md"), "w") as file:
        file.write(f"---\nname: {name}\n---\nEin Ort.\n")
filler = "die Lage in der Stadt blieb am Abend ruhig und die Versorgung funktionierte wieder".split()
for i in range(200):
    words = " ".join(random.choice(names) if random.random() < 0.05 else random.choice(filler) for _ in range(150))
    with open(os.path.join(site, f"content/articles/artikel-{i}.md"), "w") as file:
        file.write(f"---\ntitle: Artikel {i}\ndate: 2020-01-{i % 28 + 1:02d}\n---\n{words}.\n")
PY
# Two versions of one article; each round builds the one public/ does not hold, so a build
# that got to its end changes public/. A clean build of each is the reference.
version() { printf -- '---\ntitle: Fassung %s\ndate: 2020-02-01\n---\nIn Ort1 und Ort2, Fassung %s.\n' "$1" "$1" > "$site/content/articles/artikel-0.md"; }
declare -A reference
for name in A B; do
  version "$name"
  "$dossier" build --site "$site" --output "$tmp/reference-$name" --quiet
  reference[$name]=$(checksum "$tmp/reference-$name")
done
# How long a build writes: from its staging folder's appearance to its end.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
"$dossier" build --site "$site" --quiet &
build=$!
while ! compgen -G "$site/.public.staging-$build-*" > /dev/null && kill -0 "$build" 2>/dev/null; do sleep 0.005; done
writing_started=$(now_ms)
wait "$build"
writing_ms=$(( $(now_ms) - writing_started + 1 ))
echo "a build writes for $writing_ms ms"

echo "== SIGKILL while writing the site"
# Each build is killed at a random moment after its staging folder appears: while it writes
# the files, copies the assets or swaps the folders, or just after.
kills=20
declare -A outcomes=([previous]=0 [new]=0)
for round in $(seq 1 $kills); do
  previous=$(checksum "$site/public")
  if [ "$previous" = "${reference[A]}" ]; then version B; expected=${reference[B]}; else version A; expected=${reference[A]}; fi
  "$dossier" build --site "$site" --quiet 2>/dev/null &
  build=$!
  while ! compgen -G "$site/.public.staging-$build-*" > /dev/null && kill -0 "$build" 2>/dev/null; do sleep 0.005; done
  sleep "$(awk "BEGIN { print $((RANDOM % (writing_ms * 3))) / 1000 }")"
  kill -9 "$build" 2>/dev/null || true
  wait "$build" 2>/dev/null || true
  now=$(checksum "$site/public")
  if [ "$now" = "$previous" ]; then state="the previous site"; outcomes[previous]=$((outcomes[previous] + 1))
  elif [ "$now" = "$expected" ]; then state="the new site"; outcomes[new]=$((outcomes[new] + 1))
  else state="NEITHER"; fi
  echo "round $round: public/ holds $state; $(leftovers "$site") leftover folders beside it"
  [ "$state" != "NEITHER" ] || fail "round $round: public/ is neither the previous site nor the new one"
done
# From here on nothing changes the site's files but build, check and serve.
sources=$(checksum "$site/content")-$(checksum "$site/templates")
touch "$tmp/marker"
"$dossier" build --site "$site" --quiet || fail "the build after the killed ones failed"
[ "$(checksum "$site/public")" = "$expected" ] || fail "the build after the killed ones differs from a clean build"
[ "$(leftovers "$site")" = 0 ] || fail "leftovers of killed builds remain: $(ls -a "$site")"

mount_tmpfs() { mkdir -p "$2" && mount -t tmpfs -o "size=$1" tmpfs "$2" 2>/dev/null && mounts+=("$2"); }
if [ "$(id -u)" = 0 ] && mount_tmpfs 1m "$tmp/probe"; then
  echo "== output folder not writable (a read-only file system)"
  small="$tmp/small"
  mkdir -p "$small/content/articles"
  printf -- '---\ntitle: Klein\n---\nText.\n' > "$small/content/articles/klein.md"
  mount_tmpfs 4m "$tmp/readonly"
  "$dossier" build --site "$small" --output "$tmp/readonly/public" --quiet
  before=$(checksum "$tmp/readonly/public")
  mount -o remount,ro "$tmp/readonly"
  printf -- '---\ntitle: Neu\n---\nText.\n' > "$small/content/articles/neu.md"
  if "$dossier" build --site "$small" --output "$tmp/readonly/public" --quiet 2> "$tmp/readonly.err"; then
    fail "a build into a read-only file system succeeded"
  fi
  cat "$tmp/readonly.err"
  # A first build stages a new folder; a rebuild the cache trusts updates in place through a
  # journal folder beside the output: either names the folder it cannot create, and why.
  grep -Eq "error: cannot create the (staging )?folder .*: Read-only file system" "$tmp/readonly.err" || fail "no clear error for a read-only output folder"
  [ "$(checksum "$tmp/readonly/public")" = "$before" ] || fail "the read-only output changed"
  mount -o remount,rw "$tmp/readonly"
  "$dossier" build --site "$small" --output "$tmp/readonly/public" --quiet || fail "the build after the read-only one failed"
  test -f "$tmp/readonly/public/articles/neu/index.html" || fail "the build after the read-only one did not publish"

  echo "== disk full (a 2 MB tmpfs)"
  mount_tmpfs 2m "$tmp/full"
  "$dossier" build --site "$small" --output "$tmp/full/public" --quiet
  before=$(checksum "$tmp/full/public")
  mkdir -p "$small/content/assets"
  head -c 3000000 /dev/urandom > "$small/content/assets/gross.bin"
  if "$dossier" build --site "$small" --output "$tmp/full/public" --quiet 2> "$tmp/full.err"; then
    fail "a build onto a full disk succeeded"
  fi
  cat "$tmp/full.err"
  grep -Eq "error: cannot write .*No space left on device" "$tmp/full.err" || fail "no clear error for a full disk"
  [ "$(checksum "$tmp/full/public")" = "$before" ] || fail "the output on the full disk changed"
  [ "$(leftovers "$tmp/full")" = 0 ] || fail "the failed build left its staging folder on the full disk"
  rm "$small/content/assets/gross.bin"
  "$dossier" build --site "$small" --output "$tmp/full/public" --quiet || fail "the build after the full disk failed"
else
  echo "SKIPPED: read-only output and full disk need root to mount a tmpfs"
fi

echo "== check and serve write nothing under content/ or templates/"
"$dossier" check --site "$site" > /dev/null 2>&1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$dossier" serve --site "$site" --port "$port" 2> "$tmp/serve.err" &
serve=$!
for _ in $(seq 1 100); do grep -q "serving" "$tmp/serve.err" && break; sleep 0.1; done
touch "$site/content/articles/artikel-1.md"  # a save without changes: serve rebuilds
sleep 2
python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" || fail "serve did not serve"
kill "$serve"
wait "$serve" 2>/dev/null || true
[ "$(checksum "$site/content")-$(checksum "$site/templates")" = "$sources" ] || fail "content/ or templates/ changed"
written=$(find "$site/content" "$site/templates" -newer "$tmp/marker" -not -path "$site/content/articles/artikel-1.md")
[ -z "$written" ] || fail "build, check or serve wrote under content/ or templates/: $written"

if [ "$failures" -gt 0 ]; then echo "faults: $failures failures"; exit 1; fi
echo "faults: all checks passed ($kills builds killed: ${outcomes[previous]} before their swap, ${outcomes[new]} after it)"
