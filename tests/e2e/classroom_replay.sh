# classroom_replay.sh — `--events` with a capture file: the calls sockdemo recorded while synwatch wrote the
# packets (-w) are merged again on replay (-r) in the same causal order, in text, JSON and the ladder.
. tests/lib.sh
need_root
[ -x "$SD" ] || fail "$SD is missing; run make"
P=$(free_port)
chmod 755 "$TMP"
: > "$TMP/ev.jsonl"
chmod 666 "$TMP/ev.jsonl"
$SW -w "$TMP/cap.pcap" --events "$TMP/ev.jsonl" --text "tcp port $P" > "$TMP/live" 2> "$TMP/live.err" &
SWPID=$!
bg_pid $SWPID
wait_for "$TMP/live.err" 'listening on' 10 || fail "synwatch did not start"
$SD scenario handshake -p "$P" --events "$TMP/ev.jsonl" --no-narrate 2> "$TMP/sd.err" || fail "sockdemo failed: $(cat "$TMP/sd.err")"
wait_for "$TMP/live" 'call  client pid [0-9]+: close\(' 10 || fail "the live view did not show the client's close"
kill -INT $SWPID
wait_exit $SWPID 10 || fail "synwatch did not stop"

$SW -r "$TMP/cap.pcap" --events "$TMP/ev.jsonl" > "$TMP/replay" 2> "$TMP/err" || fail "replay failed: $(cat "$TMP/err")"
O="$TMP/replay"
at() { grep -n -m1 -E -e "$1" "$O" | cut -d: -f1 | grep . || echo 0; }
c=$(at 'client pid [0-9]+: connect\(.*\| flow 1 client$'); s=$(at 'Flags \[S\],')
[ "$c" -gt 0 ] && [ "$c" -lt "$s" ] || fail "replay: connect (line $c) not before SYN (line $s): $(head -n 12 "$O")"
a=$(at 'server pid [0-9]+: accept\('); k=$(at 'server SYN-RECEIVED->ESTABLISHED')
[ "$k" -gt 0 ] && [ "$k" -lt "$a" ] || fail "replay: accept (line $a) not after the last ACK (line $k)"
[ "$(grep -c ' call ' "$O")" -eq "$(wc -l < "$TMP/ev.jsonl")" ] || fail "replay shows $(grep -c ' call ' "$O") calls, the file has $(wc -l < "$TMP/ev.jsonl")"
# The same order as seen live.
grep -E ' call |Flags' "$TMP/live" | sed -E 's/^[0-9:.]+ //; s/, options.*//' > "$TMP/live.order"
grep -E ' call |Flags' "$O" | sed -E 's/^[0-9:.]+ //; s/, options.*//' > "$TMP/replay.order"
diff -u "$TMP/live.order" "$TMP/replay.order" >&2 || fail "replay order differs from the live order"

# JSON: call objects with the documented keys, between the packets.
$SW -r "$TMP/cap.pcap" --events "$TMP/ev.jsonl" --json > "$TMP/json" 2>/dev/null
grep -m1 -E '^\{"call":"connect","ts":[0-9]+\.[0-9]{6},"at":[0-9]+\.[0-9]{6},"dur_us":[0-9]+,"pid":[0-9]+,"role":"client","fd":3,"args":".*","ret":0,"errno":null,"local":"127\.0\.0\.1:[0-9]+","remote":"127\.0\.0\.1:'"$P"'","flow":1,"side":"client","strace":"connect\(' "$TMP/json" >/dev/null ||
	fail "no connect call object as documented: $(grep -m1 connect "$TMP/json")"
# Ladder: calls on the ends' columns, connect above the SYN.
$SW -r "$TMP/cap.pcap" --events "$TMP/ev.jsonl" --ladder 1 --width 100 > "$TMP/ladder" 2>/dev/null
lc=$(grep -n -m1 -F '* connect()' "$TMP/ladder" | cut -d: -f1)
ls=$(grep -n -m1 -E '\|---S ' "$TMP/ladder" | cut -d: -f1)
[ -n "$lc" ] && [ -n "$ls" ] && [ "$lc" -lt "$ls" ] || { cat "$TMP/ladder" >&2; fail "ladder: '* connect()' is not above the SYN"; }
grep -qE 'accept\(\) = [0-9]+ \*' "$TMP/ladder" || { cat "$TMP/ladder" >&2; fail "ladder: no accept() on the server's column"; }
expect_exit 2 "cannot open events file" $SW -r "$TMP/cap.pcap" --events "$TMP/missing.jsonl"
echo "replay: $(grep -c ' call ' "$O") calls merged as live"
