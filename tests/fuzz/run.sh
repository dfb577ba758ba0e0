#!/bin/sh
# run.sh — fuzzes build/fuzz/fuzz_decode for SECONDS from seeds out of pcaps/ and the shared corpus; prints libFuzzer's totals.
# Usage: tests/fuzz/run.sh SECONDS [--smoke]
#   default: new inputs accumulate in build/fuzz/corpus (kept between runs), crashes go to build/fuzz/crash-*.
#   --smoke: for make test: first every regression input in tests/fuzz/regressions/ once, then SECONDS of
#            fuzzing into a throw-away corpus; prints "fuzz: N passed, M failed".
# One process, one worker (-jobs/-workers unset): the machines this runs on have two cores.
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-60}
smoke=${2:-}
FZ=build/fuzz/fuzz_decode
[ -x "$FZ" ] && [ -x build/fuzz/seeds ] || { echo "run.sh: build/fuzz/fuzz_decode not built (make fuzz)" >&2; exit 2; }

# The shared corpus sits beside the repository, or two levels up from a git worktree.
corpus=""
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus ../../shared/corpus; do
	[ -n "$d" ] && [ -d "$d/malformed" ] && { corpus=$d; break; }
done

# Seeds: one file per packet, prefixed by its link-type selector (tests/fuzz/fuzz_decode.h).
seeds=build/fuzz/seed-corpus
rm -rf "$seeds" && mkdir -p "$seeds" build/fuzz/corpus
# shellcheck disable=SC2046
build/fuzz/seeds "$seeds" $(ls pcaps/*.pcap* tests/fuzz/regressions/*.pcap* 2>/dev/null) \
	$( [ -n "$corpus" ] && ls "$corpus"/well-formed/* "$corpus"/malformed/* 2>/dev/null) || exit 1
[ -n "$corpus" ] || echo "run.sh: note: no shared corpus (../shared/corpus); seeds from pcaps/ only"

log=$(mktemp)
trap 'rm -f "$log"; [ -n "${work:-}" ] && rm -rf "$work"' EXIT
opts="-max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1"

if [ "$smoke" = --smoke ]; then
	pass=0 fail=0
	for r in tests/fuzz/regressions/*.bin; do
		[ -f "$r" ] || continue
		if "$FZ" $opts "$r" > "$log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL regression input $r:"
			grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ ' "$log" | head -n 20 | sed 's/^/    /'
		fi
	done
	work=$(mktemp -d)
	# shellcheck disable=SC2086
	if "$FZ" $opts -max_total_time="$secs" "$work" "$seeds" > "$log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL fuzzing for ${secs}s found a crash:"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -n 20 | sed 's/^/    /'
	fi
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov: ' "$log" | tail -n 3
	echo "fuzz: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

# shellcheck disable=SC2086
"$FZ" $opts -max_total_time="$secs" -artifact_prefix=build/fuzz/ build/fuzz/corpus "$seeds" 2>&1 | tee "$log" |
	grep -E 'INITED|DONE|ERROR|runtime error|SUMMARY|Test unit written|^stat::'
grep -q 'Test unit written' "$log" && { echo "run.sh: a crash was found (see build/fuzz/crash-*)"; exit 1; }
grep -q '^stat::number_of_executed_units' "$log" || { echo "run.sh: the fuzzer did not finish; its log:"; tail -n 30 "$log"; exit 1; }
exit 0
