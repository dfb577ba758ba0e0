#!/bin/sh
# run-e2e.sh — runs each tests/e2e/*.sh (or those named) with a time bound; prints one summary line (named E2E_NAME, default e2e).
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skip=0
scripts=${*:-$(ls tests/e2e/*.sh 2>/dev/null)}
for t in $scripts; do
	name=$(basename "$t" .sh)
	out=$(timeout -k 5 "${E2E_TIMEOUT:-300}" sh "$t" 2>&1); rc=$?
	# Under run-all.sh's sanitizer stage, a report the script let through to its output is kept for run-all.
	if [ -n "${E2E_SAN_DIR:-}" ] && printf '%s\n' "$out" | grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)'; then
		printf '%s\n' "$out" > "$E2E_SAN_DIR/output.$name"
	fi
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name" ;;
	77) skip=$((skip + 1)); echo "SKIP $name: $(printf '%s\n' "$out" | tail -n 1)" ;;
	124) fail=$((fail + 1)); echo "FAIL $name (timed out)"; printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /' ;;
	*) fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; printf '%s\n' "$out" | tail -n 40 | sed 's/^/    /' ;;
	esac
done
echo "${E2E_NAME:-e2e}: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
