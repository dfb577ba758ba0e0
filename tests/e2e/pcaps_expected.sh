# pcaps_expected.sh — every line of pcaps/TESTLIST: synwatch's output on a reference capture equals the expected file checked in beside it.
. tests/lib.sh
[ -f pcaps/TESTLIST ] || skip "no pcaps/TESTLIST yet"
pass=0 bad=0
# TESTLIST: NAME CAPTURE EXPECTED OPTIONS... (whitespace-separated; '#' starts a comment), as tcpdump's tests.
while read -r name capture expected options; do
	case $name in '' | '#'*) continue ;; esac
	[ -f "pcaps/$capture" ] || { echo "$name: pcaps/$capture missing"; bad=$((bad + 1)); continue; }
	[ -f "pcaps/$expected" ] || { echo "$name: pcaps/$expected missing"; bad=$((bad + 1)); continue; }
	# shellcheck disable=SC2086
	TZ=UTC "$SW" -r "pcaps/$capture" $options > "$TMP/$name.out" 2> "$TMP/$name.err"
	if diff -u "pcaps/$expected" "$TMP/$name.out" > "$TMP/$name.diff"; then
		pass=$((pass + 1))
	else
		echo "$name: output differs from pcaps/$expected:"
		head -n 30 "$TMP/$name.diff" | sed 's/^/    /'
		bad=$((bad + 1))
	fi
done < pcaps/TESTLIST
echo "pcaps: $pass passed, $bad failed"
[ "$bad" -eq 0 ] && [ "$pass" -gt 0 ]
