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

echo
echo "total: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
