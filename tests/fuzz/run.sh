#!/bin/sh
# run.sh — fuzzes build/fuzz/fuzz_decode (one packet per input) and build/fuzz/fuzz_pcapng (one pcapng file per input) for SECONDS each from seeds out of pcaps/, tests/data and the shared corpus; prints libFuzzer's totals.
# Usage: tests/fuzz/run.sh SECONDS [--smoke]
#   default: new inputs accumulate in build/fuzz/corpus and build/fuzz/corpus-pcapng (kept between runs),
#            crashes go to build/fuzz/crash-* and build/fuzz/pcapng-crash-*.
#   --smoke: for make test: first every regression input in tests/fuzz/regressions/ once (*.bin through
#            fuzz_decode, *.pcapng through fuzz_pcapng), then SECONDS of fuzzing each into a throw-away
#            corpus; prints "fuzz: N passed, M failed".
# One process, one worker (-jobs/-workers unset): the machines this runs on have two cores.
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-60}
smoke=${2:-}
FZ=build/fuzz/fuzz_decode
FZNG=build/fuzz/fuzz_pcapng
[ -x "$FZ" ] && [ -x "$FZNG" ] && [ -x build/fuzz/seeds ] || { echo "run.sh: build/fuzz/fuzz_decode or fuzz_pcapng not built (make fuzz)" >&2; exit 2; }

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

# pcapng seeds: whole files (the crafted ones, the corpus's, and one with three link types when mergecap is there).
ngseeds=build/fuzz/seed-pcapng
rm -rf "$ngseeds" && mkdir -p "$ngseeds" build/fuzz/corpus-pcapng
for f in pcaps/*.pcapng tests/data/pcapng/*.pcapng tests/fuzz/regressions/*.pcapng \
	$( [ -n "$corpus" ] && ls "$corpus"/well-formed/*.pcapng "$corpus"/malformed/*.pcapng 2>/dev/null); do
	[ -f "$f" ] && cp "$f" "$ngseeds/$(echo "$f" | tr / _)"
done
if command -v mergecap > /dev/null 2>&1 && [ -n "$corpus" ]; then
	mergecap -F pcapng -w "$ngseeds/merged-three-link-types.pcapng" pcaps/any-sll2.pcap \
		"$corpus/well-formed/dns_udp.pcap" "$corpus/well-formed/tcp_rst_diag_payload.pcap" 2> /dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"; [ -n "${work:-}" ] && rm -rf "$work"' EXIT
opts="-max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1"

if [ "$smoke" = --smoke ]; then
	pass=0 fail=0
	# Raw inputs (*.bin) through fuzz_decode, pcapng files through fuzz_pcapng.
	for r in tests/fuzz/regressions/*.bin tests/fuzz/regressions/*.pcapng; do
		[ -f "$r" ] || continue
		case $r in *.bin) bin=$FZ ;; *) bin=$FZNG ;; esac
		if "$bin" $opts "$r" > "$log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL regression input $r ($bin):"
			grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ ' "$log" | head -n 20 | sed 's/^/    /'
		fi
	done
	work=$(mktemp -d)
	for h in "$FZ:$seeds" "$FZNG:$ngseeds"; do
		bin=${h%%:*}
		rm -rf "${work:?}"/*
		# shellcheck disable=SC2086
		if "$bin" $opts -max_total_time="$secs" "$work" "${h#*:}" > "$log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL fuzzing $bin for ${secs}s found a crash:"
			grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -n 20 | sed 's/^/    /'
		fi
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov: ' "$log" | tail -n 3
	done
	echo "fuzz: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi

for h in "$FZ:build/fuzz/corpus:$seeds:build/fuzz/" "$FZNG:build/fuzz/corpus-pcapng:$ngseeds:build/fuzz/pcapng-"; do
	IFS=: read -r bin kept seed prefix <<EOF
$h
EOF
	echo "== $bin"
	# shellcheck disable=SC2086
	"$bin" $opts -max_total_time="$secs" -artifact_prefix="$prefix" "$kept" "$seed" 2>&1 | tee "$log" |
		grep -E 'INITED|DONE|ERROR|runtime error|SUMMARY|Test unit written|^stat::'
	grep -q 'Test unit written' "$log" && { echo "run.sh: $bin found a crash (see ${prefix}crash-*)"; exit 1; }
	grep -q '^stat::number_of_executed_units' "$log" || { echo "run.sh: $bin did not finish; its log:"; tail -n 30 "$log"; exit 1; }
done
exit 0
