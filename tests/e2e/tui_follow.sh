#!/bin/sh
# tui_follow.sh — the follow view (f) over a 100 KB HTTP download on loopback, at 80x24 and 120x40: Home
# shows the request's first bytes, PgDn and PgUp show text on every row (never a blank screen), End the
# body's last line, every body line is whole on one row although segment boundaries fall inside some, and
# after a replay that has finished the bar says so instead of "following live".
#
# The capture is made here: python3's http.server on 127.0.0.1 serves a 100 KB file to curl, tcpdump -i lo
# records it.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/e2e/lib/tui_tmux.sh
trap 'cleanup; tui_cleanup' EXIT
need_root
for c in tcpdump python3 curl; do command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"; done
tui_require

# ---- the capture ----
mkdir "$TMP/www"
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "line %05d of the body: abcdefghijklmnopqrstuvwxyz\n", i }' \
	> "$TMP/www/big.txt"
size=$(wc -c < "$TMP/www/big.txt")
[ "$size" -gt 100000 ] || fail "the body is $size bytes, not over 100 KB"
PORT=$(free_port)
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$TMP/www" > "$TMP/http.log" 2>&1 &
bg_pid $!
n=200
until ss -Htln "sport = :$PORT" | grep -q . || [ $n -eq 0 ]; do sleep 0.05; n=$((n - 1)); done
ss -Htln "sport = :$PORT" | grep -q . || fail "http.server does not listen on 127.0.0.1:$PORT: $(cat "$TMP/http.log")"
PCAP=$TMP/http.pcap
tcpdump -i lo -U -w "$PCAP" "tcp port $PORT" 2> "$TMP/tcpdump.err" &
TD=$!
bg_pid $TD
wait_for "$TMP/tcpdump.err" "listening on" || fail "tcpdump did not start: $(cat "$TMP/tcpdump.err")"
curl -s -o "$TMP/got" "http://127.0.0.1:$PORT/big.txt"
cmp -s "$TMP/got" "$TMP/www/big.txt" || fail "curl did not fetch the body from http.server on 127.0.0.1:$PORT"
# The exchange is whole once the closing ACK is written: the last FIN's packet and the one after it.
n=200
until [ "$(tcpdump -nr "$PCAP" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)" -ge 2 ] || [ $n -eq 0 ]; do
	sleep 0.05
	n=$((n - 1))
done
kill "$TD"
wait_exit "$TD" 5
fins=$(tcpdump -nr "$PCAP" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
[ "$fins" -ge 2 ] || fail "the capture holds $fins FINs, not the exchange's two"

# text_rows: the follow view's rows (between its two bars) that hold a payload line, blank lines of it too.
text_rows() { tui_screen | sed '1d;$d' | grep -cE '^[<>]'; }

for size in "80 24" "120 40"; do
	set -- $size
	echo "== ${1}x${2}"
	page=$(($2 - 2))
	tui_start "$1" "$2" -r "$PCAP" --speed 0
	tui_wait "REPLAY END" 10
	tui_keys f
	tui_wait " Follow TCP flow 1: 127.0.0.1:" 5
	tui_wait "> 127.0.0.1:$PORT" 5
	tui_wait "(end of the replay)" 5
	tui_screen | grep -qF "following live" && { echo "FAIL: the follow view says following live after the replay ended"; tui_screen; exit 1; }
	tui_screen | grep -qF "line 01999 of the body" || { echo "FAIL: the follow view does not open on the body's last line"; tui_screen; exit 1; }
	echo "ok: f opens at the flow's end, and says the replay has ended"

	tui_keys Home
	tui_wait "> GET /big.txt HTTP/1.1" 5
	[ "$(tui_screen | sed -n 2p)" = "> GET /big.txt HTTP/1.1" ] ||
		{ echo "FAIL: Home does not show the request's first bytes on the first row"; tui_screen; exit 1; }
	tui_wait "< HTTP/1.0 200 OK" 5
	[ "$(text_rows)" -eq "$page" ] || { echo "FAIL: Home shows $(text_rows) text rows, not $page"; tui_screen; exit 1; }
	echo "ok: Home shows the request's first bytes and a full page"

	tui_keys NPage
	tui_wait_gone "GET /big.txt" 5
	tui_wait "lines $((page + 1))-$((2 * page)) of " 5
	[ "$(text_rows)" -eq "$page" ] || { echo "FAIL: PgDn shows $(text_rows) text rows, not $page"; tui_screen; exit 1; }
	tui_screen | grep -qF "of the body" || { echo "FAIL: PgDn does not show the body"; tui_screen; exit 1; }
	tui_keys NPage
	tui_wait "lines $((2 * page + 1))-$((3 * page)) of " 5
	[ "$(text_rows)" -eq "$page" ] || { echo "FAIL: a second PgDn shows $(text_rows) text rows"; tui_screen; exit 1; }
	tui_keys PPage PPage
	tui_wait "> GET /big.txt HTTP/1.1" 5
	echo "ok: PgDn and PgUp page through text, back to the request"

	tui_keys End
	tui_wait "line 01999 of the body" 5
	tui_wait "(end of the replay)" 5
	[ "$(text_rows)" -eq "$page" ] || { echo "FAIL: End shows $(text_rows) text rows, not $page"; tui_screen; exit 1; }
	echo "ok: End shows the body's last line on a full page"

	if [ "$1" -eq 120 ]; then
		# Every page from Home to the end: each of the 2000 body lines whole on one row, those a segment
		# boundary falls inside included (the segment after it goes on with the line), none cut in two.
		tui_keys Home
		tui_wait "> GET /big.txt HTTP/1.1" 5
		: > "$TMP/body.rows"
		first=1
		while :; do
			tui_screen | sed '1d;$d' > "$TMP/page"
			bad=$(grep -E '^< ' "$TMP/page" | grep -vE '^< (line [0-9]{5} of the body: abcdefghijklmnopqrstuvwxyz|HTTP/1\.[01] [0-9]{3} .*|[A-Za-z-]+: .*|)$' || true)
			[ -z "$bad" ] || { echo "FAIL: a body line cut across rows: '$bad'"; tui_screen; exit 1; }
			grep -E '^< line [0-9]{5} of the body' "$TMP/page" >> "$TMP/body.rows"
			tui_screen | grep -qF "(end of the replay)" && break
			first=$((first + page))
			tui_keys NPage
			n=100 # the next page ("lines N-"), or the last one, which says the replay has ended
			until tui_screen | grep -qE "lines $first-|\(end of the replay\)" || [ $n -eq 0 ]; do sleep 0.05; n=$((n - 1)); done
		done
		whole=$(sort -u "$TMP/body.rows" | wc -l)
		[ "$whole" -eq 2000 ] || { echo "FAIL: $whole of the body's 2000 lines are shown whole"; exit 1; }
		echo "ok: all 2000 body lines whole, across the segments' boundaries"
	fi
	tui_keys Escape
	tui_wait_gone " Follow TCP flow" 5
	tui_keys q
	tui_check_restored
done
echo "PASS: tui_follow"
