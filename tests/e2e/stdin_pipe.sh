# stdin_pipe.sh — a capture read from stdin or a pipe (-r -, a FIFO) gives what the same file gives by name: its own time precision, pcapng as well as pcap, libpcap's handling of odd records, and packets shown while the writer pauses.
. tests/lib.sh
[ -x "$SW" ] || fail "$SW not built"
need_cmd editcap
export TZ=UTC
W=""
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus ../../shared/corpus; do
	[ -n "$d" ] && [ -d "$d/well-formed" ] && { W=$d/well-formed; break; }
done

# compare FILE: --text and --json from a pipe, from stdin redirected, and by name are the same bytes.
compare() {
	for v in text json; do
		"$SW" -r "$1" --$v > "$TMP/name.$v" 2> "$TMP/name.err"
		rc_name=$?
		cat "$1" | "$SW" -r - --$v > "$TMP/pipe.$v" 2> "$TMP/pipe.err"
		rc_pipe=$?
		"$SW" -r - --$v < "$1" > "$TMP/stdin.$v" 2> /dev/null
		[ $rc_name -eq $rc_pipe ] || fail "$1 --$v: exit $rc_pipe from a pipe, $rc_name by name: $(cat "$TMP/pipe.err")"
		cmp -s "$TMP/name.$v" "$TMP/pipe.$v" || fail "$1 --$v: a pipe gives other output than the name: $(diff "$TMP/name.$v" "$TMP/pipe.$v" | head -n 4)"
		cmp -s "$TMP/name.$v" "$TMP/stdin.$v" || fail "$1 --$v: stdin from the file gives other output than the name"
		# the same messages, the file named '-' (standard input where it cannot be opened)
		sed "s|'$1'|'-'|; s|from $1\$|from -|" "$TMP/name.err" > "$TMP/want.err"
		sed "s|^synwatch: standard input |synwatch: '-' |" "$TMP/pipe.err" | cmp -s - "$TMP/want.err" ||
			fail "$1 --$v: messages differ: by name: $(cat "$TMP/name.err"); from a pipe: $(cat "$TMP/pipe.err")"
	done
}

echo "== the file's own precision: 6 decimals for microseconds, 9 for nanoseconds"
cat pcaps/handshake.pcap | "$SW" -r - --text > "$TMP/us.txt" 2> /dev/null || fail "pipe: exit $?"
grep -Eqv '^[0-9:]{8}\.[0-9]{6} IP' "$TMP/us.txt" && fail "a microsecond pcap through a pipe: $(head -n 2 "$TMP/us.txt")"
[ -s "$TMP/us.txt" ] || fail "a microsecond pcap through a pipe printed nothing"
editcap -F nsecpcap pcaps/handshake.pcap "$TMP/ns.pcap" || fail "editcap -F nsecpcap"
cat "$TMP/ns.pcap" | "$SW" -r - --json > "$TMP/ns.json" 2> /dev/null || fail "pipe: exit $?"
grep -Eqv '"ts":[0-9]+\.[0-9]{9},' "$TMP/ns.json" && fail "a nanosecond pcap through a pipe: $(head -n 1 "$TMP/ns.json")"

echo "== pcap (both byte orders, both precisions) and pcapng: a pipe gives what the name gives"
files="$(ls pcaps/*.pcap) $TMP/ns.pcap $(ls tests/data/pcapng/*.pcapng)"
[ -n "$W" ] && files="$files $W/tcp-handshake-nano.pcap $W/isup.pcap $W/pptp.pcap $W/OSPFv2_Capture_FINAL.pcapng $W/empty.pcapng $W/empty.pcap"
for f in $files; do
	compare "$f"
done
echo "compared $(echo $files | wc -w) captures"

echo "== odd classic records through a pipe: libpcap reads on, as from the file"
# A record longer than the file's snapshot length (libpcap shortens it), then the file cut in a record.
editcap -F pcap -s 64 pcaps/handshake.pcap "$TMP/snap.pcap" || fail "editcap -s 64"
size=$(wc -c < pcaps/handshake.pcap)
{ head -c 24 "$TMP/snap.pcap"; tail -c $((size - 24)) pcaps/handshake.pcap; } > "$TMP/odd.pcap" # header says 64, records are whole
head -c $(( $(wc -c < "$TMP/odd.pcap") - 10 )) "$TMP/odd.pcap" > "$TMP/oddcut.pcap"
compare "$TMP/odd.pcap"
grep -q '"caplen":64,"len":74,' "$TMP/pipe.json" || fail "odd records: libpcap did not shorten them to the snapshot: $(head -n 1 "$TMP/pipe.json")"
compare "$TMP/oddcut.pcap"
grep -q "^synwatch: '-' is cut short after packet" "$TMP/pipe.err" || fail "cut pcap through a pipe: $(cat "$TMP/pipe.err")"

echo "== a pipe that pauses: the packets before the pause are shown while it lasts"
for f in pcaps/handshake.pcap tests/data/pcapng/two-sections.pcapng; do
	half=$(( $(wc -c < "$f") / 2 + 3 )) # inside a record
	head -c $half "$f" > "$TMP/part"
	before=$("$SW" -r "$TMP/part" --text 2> /dev/null | wc -l)
	[ "$before" -gt 0 ] || fail "$f: no packet in its first half"
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$SW" -r "$TMP/fifo" --text > "$TMP/paused.txt" 2> "$TMP/paused.err" &
	sw=$!
	bg_pid $sw
	exec 3> "$TMP/fifo"
	head -c $half "$f" >&3
	wait_lines "$TMP/paused.txt" . "$before" 10 || fail "$f: the packets before the pause were not shown during it"
	kill -0 $sw 2> /dev/null || fail "$f: synwatch ended during the pause: $(cat "$TMP/paused.err")"
	tail -c +$((half + 1)) "$f" >&3
	exec 3>&-
	wait $sw || fail "$f: exit $? after the pause: $(cat "$TMP/paused.err")"
	"$SW" -r "$f" --text > "$TMP/whole.txt" 2> /dev/null
	cmp -s "$TMP/whole.txt" "$TMP/paused.txt" || fail "$f: read with a pause differs from the file"
done

echo "== nothing, or no capture, on stdin"
expect_exit 3 "^synwatch: standard input is empty, not a capture; pipe in one written by synwatch -w or tcpdump -w\$" "$SW" -r - < /dev/null
printf 'not a capture at all, just text\n' > "$TMP/text"
expect_exit 3 "^synwatch: standard input is not a pcap or pcapng capture \(unknown file format\); pipe in a capture written by synwatch -w or tcpdump -w\$" \
	sh -c "cat '$TMP/text' | '$SW' -r -"
echo ok
