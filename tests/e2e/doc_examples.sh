# doc_examples.sh — every example the README marks with "<!-- example: COMMAND -->" is what COMMAND prints today (synwatch/sockdemo are the built binaries), so the docs cannot drift from the program.
. tests/lib.sh
[ -f README.md ] || fail "README.md missing"
# README.md -> one file per example in $TMP/ex/: N.cmd (the command) and N.want (the fenced block under it).
mkdir -p "$TMP/ex"
awk -v dir="$TMP/ex" '
	/^<!-- example: .* -->$/ { n++; cmd = $0; sub(/^<!-- example: /, "", cmd); sub(/ -->$/, "", cmd)
		print cmd > (dir "/" n ".cmd"); close(dir "/" n ".cmd"); want = 1; next }
	want == 1 && /^```/ { want = 2; printf "" > (dir "/" n ".want"); next }
	want == 1 { print "example " n " (" cmd "): no fenced block right under it" > (dir "/" n ".bad"); want = 0; next }
	want == 2 && /^```/ { close(dir "/" n ".want"); want = 0; next }
	want == 2 { print > (dir "/" n ".want") }
' README.md
count=$(ls "$TMP/ex" | grep -c '\.cmd$')
[ "$count" -gt 0 ] || fail "README.md marks no examples"
bad=0
for f in "$TMP"/ex/*.bad; do
	[ -f "$f" ] || continue
	cat "$f"
	bad=$((bad + 1))
done
for c in "$TMP"/ex/*.cmd; do
	n=${c%.cmd}
	[ -f "$n.want" ] || continue
	cmd=$(cat "$c")
	# shellcheck disable=SC2016
	SW="$SW" SD="$SD" sh -c 'synwatch() { "$SW" "$@"; }; sockdemo() { "$SD" "$@"; }; eval "$1"' sh "$cmd" > "$n.got" 2>&1
	if ! diff -u "$n.want" "$n.got" > "$n.diff"; then
		echo "README example \"$cmd\" is not what the program prints (- README, + program):"
		sed 's/^/    /' "$n.diff"
		bad=$((bad + 1))
	fi
done
echo "README examples: $count checked, $bad wrong"
[ "$bad" -eq 0 ]
