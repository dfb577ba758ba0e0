# malformed_corpus.sh — every capture of the shared corpus (malformed and well-formed), of tests/fuzz/regressions and the crafted pcapng files of tests/data/pcapng is read to the end in --json, --text and --flows --ladder: no crash, no hang, no sanitizer report, exit 0 or 3.
# run-all.sh runs it a second time with SW=build/asan/synwatch and sanitizer reports sent to files it checks.
. tests/lib.sh
[ -x "$SW" ] || fail "$SW not built"
corpus=""
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus ../../shared/corpus; do
	[ -n "$d" ] && [ -d "$d/malformed" ] && { corpus=$d; break; }
done
files=$(ls tests/fuzz/regressions/*.pcap* pcaps/*.pcap* tests/data/pcapng/*.pcapng 2>/dev/null)
[ -n "$corpus" ] && files="$files $(ls "$corpus"/malformed/* "$corpus"/well-formed/* 2>/dev/null | grep -v -e '\.md$' -e '\.tsv$')"
[ -n "$(echo $files)" ] || skip "no shared corpus (../shared/corpus) and no captures in pcaps/"

PER_FILE=${MALFORMED_TIMEOUT:-30} # seconds per run: an ASan build reads the largest file in well under 2

# check FILE: read it in each mode; a line per failed run into $TMP/fails.$worker, one per run into $TMP/runs.$worker.
check() {
	_f=$1
	# --json and --text with a small flow table (reserving the default 1M flows costs an ASan build ~80 ms
	# a run); --flows --ladder with the default one.
	for mode in "--json --max-flows 4096" "--text --max-flows 4096" "--flows --ladder"; do
		echo >> "$TMP/runs.$worker"
		# shellcheck disable=SC2086
		timeout -k 2 "$PER_FILE" "$SW" -r "$_f" $mode > "$TMP/out.$worker" 2> "$TMP/err.$worker"
		rc=$?
		why=""
		case $rc in
		0 | 3) ;;
		124 | 137) why="hung: killed after ${PER_FILE}s" ;;
		*) why="exit $rc" ;;
		esac
		if grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer' "$TMP/err.$worker"; then
			why="${why:+$why, }sanitizer report"
		fi
		# Read to the end: the closing line counts the packets read (for exit 3, those before the cut); or
		# refused at once, with exit 3 and one line saying what it is not (a pcapng of another version).
		if [ -z "$why" ] && ! grep -q "^[0-9]* packets read from $_f\$" "$TMP/err.$worker" &&
			! { [ $rc -eq 3 ] && [ "$(wc -l < "$TMP/err.$worker")" -eq 1 ] &&
				grep -q "^synwatch: '$_f' is not a " "$TMP/err.$worker"; }; then
			why="no 'packets read' line (stopped early?)"
		fi
		if [ -n "$why" ]; then
			{ echo "FAIL: $SW -r $_f $mode: $why"; head -n 15 "$TMP/err.$worker" | sed 's/^/    /'; } >> "$TMP/fails.$worker"
		fi
	done
}

# One worker per CPU, each taking every WORKERS-th file (the runs are independent; an ASan build spends
# most of a run starting up and reserving memory, so the cores are what bounds this script's time).
WORKERS=$(nproc 2>/dev/null || echo 1)
pids=""
w=0
while [ "$w" -lt "$WORKERS" ]; do
	(
		worker=$w
		i=0
		for f in $files; do
			[ $((i % WORKERS)) -eq "$worker" ] && check "$f"
			i=$((i + 1))
		done
	) &
	pids="$pids $!"
	w=$((w + 1))
done
for p in $pids; do wait "$p"; done
runs=$(cat "$TMP"/runs.* 2>/dev/null | wc -l)
cat "$TMP"/fails.* > "$TMP/fails" 2>/dev/null
bad=$(grep -c '^FAIL:' "$TMP/fails" 2>/dev/null)
bad=${bad:-0}
[ -s "$TMP/fails" ] || rm -f "$TMP/fails"
[ -f "$TMP/fails" ] && cat "$TMP/fails"
echo "malformed-corpus: $runs runs over $(echo $files | wc -w) captures, $bad failed"
[ "$bad" -eq 0 ]
