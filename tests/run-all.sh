#!/bin/sh
# run-all.sh — runs the unit tests (plain and sanitized) and every end-to-end script; one total line.
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
add() { # add "unit: N passed, M failed" lines from a log
	p=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$1" | tail -n 1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== layout (README's map: which folder may include what)"
tests/check-layout.sh > "$log/layout" 2>&1
cat "$log/layout"; add "$log/layout"

echo "== unit tests"
build/unit_tests > "$log/unit" 2>&1; rc=$?
cat "$log/unit"; add "$log/unit"; [ $rc -eq 0 ] || [ -n "$(grep ' failed' "$log/unit")" ] || fail=$((fail + 1))

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
build/asan/unit_tests > "$log/asan" 2>&1; rc=$?
tail -n 3 "$log/asan"; add "$log/asan"
if [ $rc -ne 0 ] && ! grep -q '^unit: ' "$log/asan"; then cat "$log/asan"; fail=$((fail + 1)); fi

echo "== end-to-end tests"
tests/run-e2e.sh > "$log/e2e" 2>&1
cat "$log/e2e"; add "$log/e2e"

# The scripts that read hostile or odd input, again against the ASan+UBSan build. Any report stops the
# process (halt_on_error, abort_on_error; the build has -fno-sanitize-recover=all), and any report found
# also fails the stage whatever the script made of the exit status: ASan and LSan write theirs to files in
# $san (world-writable: synwatch runs as nobody after -Z drops root); UBSan (GCC's ignores log_path) writes
# to stderr, and tests/lib.sh and run-e2e.sh copy any report a script kept or printed into $san.
# LeakSanitizer stops the process with ptrace at exit; where that is not allowed (some containers) it
# cannot run, and leaks are then not checked.
ASAN_E2E=${ASAN_E2E:-"cli_bad_input cli_write tshark_crosscheck pcaps_expected flows_tshark malformed_corpus bad_input_more pcapng_crafted pcapng_mergecap pcapng_write stdin_pipe"}
echo "== end-to-end tests under AddressSanitizer + UndefinedBehaviorSanitizer: $ASAN_E2E"
san=$(mktemp -d) && chmod 1777 "$san"
trap 'rm -rf "$log" "$san"' EXIT
leaks=1
if ASAN_OPTIONS=detect_leaks=1 build/asan/synwatch --help 2>&1 | grep -q 'LeakSanitizer has encountered a fatal error'; then
	leaks=0
	echo "note: LeakSanitizer cannot run here (no ptrace); leak checks are off for this stage"
fi
sanopts="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$san/report"
scripts=""
for t in $ASAN_E2E; do scripts="$scripts tests/e2e/$t.sh"; done
# shellcheck disable=SC2086
SW=build/asan/synwatch SD=build/asan/sockdemo E2E_NAME=e2e-asan E2E_SAN_DIR="$san" \
	ASAN_OPTIONS="$sanopts:detect_leaks=$leaks" UBSAN_OPTIONS="$sanopts" LSAN_OPTIONS="$sanopts" \
	tests/run-e2e.sh $scripts > "$log/e2e-asan" 2>&1
cat "$log/e2e-asan"; add "$log/e2e-asan"
if [ -n "$(ls "$san")" ]; then
	echo "FAIL e2e-asan: $(ls "$san" | wc -l) sanitizer reports:"
	for r in "$san"/*; do echo "---- $r"; head -n 40 "$r"; done
	fail=$((fail + $(ls "$san" | wc -l)))
fi

echo "== fuzzing smoke test (regression inputs, then ${FUZZ_SMOKE_SECONDS:-20}s of libFuzzer per harness)"
if [ -x build/fuzz/fuzz_decode ] && [ -x build/fuzz/fuzz_pcapng ]; then
	tests/fuzz/run.sh "${FUZZ_SMOKE_SECONDS:-20}" --smoke > "$log/fuzz" 2>&1
	cat "$log/fuzz"; add "$log/fuzz"
else
	echo "skipped: build/fuzz/fuzz_decode and fuzz_pcapng not built (clang missing; make test installs it)"
fi

echo
echo "total: $pass passed, $fail failed"
# The failures again, last, so the tail of a long log (all CI shows) names them.
if [ "$fail" -ne 0 ]; then
	echo "failures:"
	for stage in layout unit asan e2e e2e-asan fuzz; do
		[ -f "$log/$stage" ] && grep '^FAIL' "$log/$stage" | head -n 10 | sed "s/^/  [$stage] /"
	done
fi
[ "$fail" -eq 0 ]
