#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, with AddressSanitizer) and runs each for a
# bounded time, one after the other. Prints per target the executions run and the coverage
# reached (libFuzzer's edge counter `cov` and feature counter `ft`); exits 1 when a target
# crashed or broke an invariant, with the input that did it in the artifacts folder.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     # default 60 s, all four targets
#
# FUZZ_SEED=N makes a run repeatable (CI sets it); LINE_COVERAGE=1 then also builds the targets
# with coverage mapping (a second build) and prints the lines of each target's stage that the
# corpus reaches (llvm-cov).
#
# Targets: front-matter, plain-text, mentions, passages. The corpus each run grows is kept in
# Fuzz/.build/fuzz/corpus/<target> (seeded from Fuzz/Corpus/<target>, which stays as it is), so
# later runs start where earlier ones ended. Reproduce a crash with
#   SWIFT_BACKTRACE=enable=no Fuzz/.build/release/fuzz-<target> <artifact>
# and shrink it with -minimize_crash=1 -runs=10000 added.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front-matter plain-text mentions passages)

declare -A max_len=([front-matter]=4096 [plain-text]=8192 [mentions]=2048 [passages]=4096)
for target in "${targets[@]}"; do
  [ -n "${max_len[$target]:-}" ] || { echo "unknown target '$target' (front-matter, plain-text, mentions, passages)" >&2; exit 2; }
done

echo "== building the fuzz targets (release, fuzzer + address sanitizers)"
start=$(date +%s)
# `--sanitize` makes SwiftPM link libFuzzer's main, but it hands swiftc one `-sanitize=` flag per
# sanitizer in no fixed order, and the last one wins: `-sanitize=fuzzer,address` names both.
swift build -c release --package-path Fuzz --sanitize fuzzer --sanitize address \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing 2>&1 \
  | grep -v "Cannot export local symbol" || { echo "FAIL: the fuzz targets do not build" >&2; exit 1; }
echo "built in $(( $(date +%s) - start )) s"

work=Fuzz/.build/fuzz
mkdir -p "$work/artifacts" "$work/logs"
# The Swift runtime's own crash handler gets in the way of the sanitizer's report.
export SWIFT_BACKTRACE=enable=no

summary=()
failed=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  log="$work/logs/$target.log"
  mkdir -p "$corpus"
  echo "== fuzzing $target for $seconds s"
  began=$(date +%s)
  set +e
  "Fuzz/.build/release/fuzz-$target" "$corpus" "Fuzz/Corpus/$target" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -max_len="${max_len[$target]}" \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} > "$log" 2>&1
  status=$?
  set -e
  elapsed=$(( $(date +%s) - began ))
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
  if [ "$status" = 0 ]; then
    result="no crash"
  else
    failed=1
    artifact=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -1)
    reason=$(grep -m1 -E "Fatal error|ERROR: (AddressSanitizer|libFuzzer)" "$log" || echo "exit status $status")
    result="CRASH: $reason; input: ${artifact:-none}; log: $log"
    grep -m1 "^Base64: " "$log" || true
  fi
  summary+=("$target: ${elapsed} s, ${executions} executions, ${coverage:-cov: ?}, $(ls "$corpus" | wc -l) corpus units; $result")
  echo "${summary[-1]}"
done

if [ "${LINE_COVERAGE:-0}" = 1 ]; then
  echo "== line coverage of each target's stage by its corpus"
  coverage=Fuzz/.build/coverage
  # The LLVM tools of the Swift toolchain read its profiles; others on the PATH may not.
  tools=$(dirname "$(readlink -f "$(command -v swift)")")
  swift build -c release --package-path Fuzz --scratch-path "$coverage" --sanitize fuzzer -Xswiftc -sanitize=fuzzer \
      -Xswiftc -enable-testing -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping 2>&1 | tail -1
  declare -A stage=(
    [front-matter]="Load/FrontMatter.swift Load/ContentFiles.swift Common/SourceAlignment.swift"
    [plain-text]="Load/PlainTextDocument.swift Markdown/MarkdownDocument.swift Authoring/ArticleImporter.swift"
    [mentions]="Link/NameMatcher.swift Link/Tokenizer.swift Link/Linker.swift Common/TextFolding.swift"
    [passages]="Link/PassageAnchoring.swift")
  for target in "${targets[@]}"; do
    rm -f "$coverage/$target"-*.profraw
    LLVM_PROFILE_FILE="$coverage/$target-%p.profraw" "$coverage/release/fuzz-$target" -runs=0 \
      "$work/corpus/$target" "Fuzz/Corpus/$target" > /dev/null 2>&1 || true
    "$tools/llvm-profdata" merge -o "$coverage/$target.profdata" "$coverage/$target"-*.profraw
    files=()
    for file in ${stage[$target]}; do files+=("$PWD/Sources/DossierCore/$file"); done
    echo "-- $target"
    "$tools/llvm-cov" report "$coverage/release/fuzz-$target" -instr-profile="$coverage/$target.profdata" "${files[@]}" \
      | sed "s|$PWD/Sources/DossierCore/||" \
      | awk 'NF >= 10 && $1 != "Filename" { printf "  %-34s %4d lines, %3d missed: %s\n", $1, $8, $9, $10 }'
  done
fi

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
