#!/usr/bin/env python3
"""Dossier against Hugo on the benchmark archive of ../shared/bench (see the README, "Benchmark").

    python3 scripts/benchmark.py [--sizes 1000 10000 50000] [--runs 5] [--work /tmp/dossier-bench]

For each size, generates the archive with ../shared/bench/gen_corpus.py (one entity per five
articles, a Hugo twin beside it), then builds it with the release build of Dossier and, when
`hugo` is installed, with Hugo, alternating the two tools run by run, as the bench README asks.
Output goes to fresh folders on /dev/shm (no deletion right before a timed build). Prints per size
and tool the medians of wall and CPU time, peak memory, pages per second and Dossier's time per
stage, then the ratio Dossier/Hugo of the wall medians; and, for Dossier, the rebuild after one
article is edited (the build cache at work; with how many files of the site it wrote) and, with `dossier serve`, the time from saving one
article to the reload message of its page and of the rebuilt site (`dossier-benchmark reload`).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
DOSSIER = os.path.join(ROOT, ".build", "release", "dossier")
RELOAD_BENCHMARK = os.path.join(ROOT, ".build", "release", "dossier-benchmark")


def measured(command):
    """Runs `command`; returns (wall s, CPU s, peak MiB, stderr). Fails loudly on a bad exit.
    stderr goes to a file: a pipe would fill up with warnings and stall the build."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        stderr.seek(0)
        text = stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def count_pages(folder):
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


def identities(folder):
    """Each file's inode and modification time: a file written again has others."""
    found = {}
    for where, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(where, name)
            status = os.stat(path)
            found[path] = (status.st_ino, status.st_mtime_ns)
    return found


def generate(size, work):
    site = os.path.join(work, f"n{size}")
    if not os.path.isdir(os.path.join(site, "content")):
        subprocess.run([sys.executable, GENERATOR, "--articles", str(size), "--entities", str(max(1, size // 5)),
                        "--out", site, "--hugo-out", os.path.join(site, "hugo")], check=True, stdout=subprocess.DEVNULL)
    return site


def edit_one_article(site):
    """Appends a sentence to the first article (by name): an editor's save."""
    folder = os.path.join(site, "content", "articles")
    path = os.path.join(folder, sorted(os.listdir(folder))[0])
    with open(path, "a", encoding="utf-8") as file:
        file.write(f"\nNachtrag {time.time_ns()}: Die Lage in Damaskus blieb ruhig.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/dossier-bench")
    options = parser.parse_args()

    for product in ["dossier", "dossier-benchmark"]:
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo is not installed (apt-get install -y hugo): Dossier alone")
    shm = "/dev/shm/dossier-bench"
    shutil.rmtree(shm, ignore_errors=True)
    rows = []
    for size in options.sizes:
        site = generate(size, options.work)
        results = {"dossier": [], "hugo": []}
        stages = []
        for run in range(options.runs):
            tools = ["dossier", "hugo"] if run % 2 == 0 else ["hugo", "dossier"]
            for tool in tools:
                output = os.path.join(shm, f"n{size}-{tool}-{run}")
                if tool == "dossier":
                    # A full build: without the link results the last build kept for the next.
                    shutil.rmtree(os.path.join(site, ".dossier-cache"), ignore_errors=True)
                    wall, cpu, peak, stderr = measured([DOSSIER, "build", "--site", site, "--output", output, "--verbose"])
                    line = re.search(r"^stages: (.*)$", stderr, re.M)
                    stages.append({name: (float(wall), float(cpu)) for name, wall, cpu
                                   in re.findall(r"(\w+) ([\d.]+) s \(([\d.]+) s CPU\)", line.group(1))})
                elif hugo:
                    wall, cpu, peak, _ = measured([hugo, "--quiet", "--source", os.path.join(site, "hugo"), "--destination", output])
                else:
                    continue
                results[tool].append((wall, cpu, peak, count_pages(output)))
            # Keep /dev/shm small: each run's output goes once measured (not before the next timed build).
            for tool in tools:
                shutil.rmtree(os.path.join(shm, f"n{size}-{tool}-{run}"), ignore_errors=True)

        # The rebuild after one edit: build once to fill the cache, edit, build again into the same output.
        output = os.path.join(shm, f"n{size}-rebuild")
        measured([DOSSIER, "build", "--site", site, "--output", output])
        rebuilds = []
        rewritten = []
        for _ in range(options.runs):
            edit_one_article(site)
            before = identities(output)
            rebuilds.append(measured([DOSSIER, "build", "--site", site, "--output", output])[0])
            after = identities(output)
            rewritten.append((sum(1 for path, identity in after.items() if before.get(path) != identity), len(after)))
        shutil.rmtree(output, ignore_errors=True)

        # serve: from saving one article to the reload message of its page, and of the rebuilt site.
        reload = subprocess.run([RELOAD_BENCHMARK, "reload", site, str(options.runs)], check=True, capture_output=True, text=True).stdout
        latency = re.search(r"median save-to-reload: (\d+) ms for the saved page, (\d+) ms for the whole site", reload)

        for tool in ["dossier", "hugo"]:
            if not results[tool]:
                continue
            walls, cpus, peaks, pages = zip(*results[tool])
            row = {"size": size, "tool": tool, "wall": statistics.median(walls), "cpu": statistics.median(cpus),
                   "peak": max(peaks), "pages": pages[0]}
            if tool == "dossier":
                row["stages"] = {name: (statistics.median(s[name][0] for s in stages), statistics.median(s[name][1] for s in stages))
                                 for name in stages[0]}
                row["rebuild"] = statistics.median(rebuilds)
                row["rewritten"] = (statistics.median(count for count, _ in rewritten), rewritten[-1][1])
                row["reload"] = (int(latency.group(1)), int(latency.group(2))) if latency else None
            rows.append(row)
        print_table(rows)


def print_table(rows):
    print()
    print("| articles | tool | wall (median) | CPU (median) | peak memory | pages | pages/s | load / link / index / render / publish, wall (CPU) s "
          "| rebuild after one edit | serve: save to reload, page / site | Dossier/Hugo |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        hugo = next((other for other in rows if other["size"] == row["size"] and other["tool"] == "hugo"), None)
        ratio = f"{row['wall'] / hugo['wall']:.2f}" if hugo and row["tool"] == "dossier" else ""
        stages = " / ".join(f"{wall:.2f} ({cpu:.2f})" for wall, cpu in row["stages"].values()) if "stages" in row else ""
        rebuild = (f"{row['rebuild']:.2f} s ({row['rebuild'] / row['wall']:.0%}), {row['rewritten'][0]:,.0f} of {row['rewritten'][1]:,} files written"
                   if "rebuild" in row else "")
        reload = f"{row['reload'][0]} ms / {row['reload'][1]} ms" if row.get("reload") else ""
        print(f"| {row['size']:,} | {row['tool']} | {row['wall']:.2f} s | {row['cpu']:.2f} s | {row['peak']:.0f} MiB | "
              f"{row['pages']:,} | {row['pages'] / row['wall']:,.0f} | {stages} | {rebuild} | {reload} | {ratio} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
