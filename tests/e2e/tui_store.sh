#!/bin/sh
# tui_store.sh — the panel over a whole capture (the packet store): Home is packet 1 after the replay, g goes to packet N, the view filter counts what tcpdump counts over every packet, a flow's ladder equals --ladder, a file growing under --follow, a file truncated or replaced while open, a file cut short, a spool that cannot be written, Home after 100,000 live packets, the counts row at 80 columns.
#
# The capture is gencap's (150,000 packets, more than the 100,000 the panel used to keep), made here.
# Set SYNWATCH=build/asan/synwatch to run it under ASan.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require pcaps/handshake.pcap
command -v tcpdump >/dev/null 2>&1 || { echo "skip: tcpdump is not installed"; exit 77; }
GENCAP=build/bench/gencap
if [ ! -x "$GENCAP" ]; then
	GENCAP=$TUI_DIR/gencap
	cc -O2 -std=c11 -D_GNU_SOURCE -o "$GENCAP" tests/bench/gencap.c $(pkg-config --cflags --libs libpcap) ||
		{ echo "FAIL: cannot build gencap"; exit 1; }
fi
F=$TUI_DIR/g.pcap
"$GENCAP" -s 3 -n 150000 -c 300 -o "$F" 2>/dev/null || { echo "FAIL: gencap"; exit 1; }

# list_first: the packet number of the list's first row (the line after the list's header).
list_first() { tui_screen | awk '/No\. +Time/ { getline; print $1; exit }'; }

# ---- Home, go to, view filter, ladder over the whole file ----
tui_start 200 60 -r "$F" --speed 0
tui_wait "REPLAY END" 30
tui_wait "shown 150000 " 5
tui_keys Home
n=100
while [ "$(list_first)" != "1" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
[ "$(list_first)" = "1" ] || { echo "FAIL: Home after the replay does not show packet 1"; tui_screen; exit 1; }
echo "ok: Home shows packet 1 of 150000"

tui_keys :
tui_wait "Go to packet N" 5
tui_keys -l 123456
tui_keys Enter
tui_wait "Details: packet 123456 " 5
tui_screen | grep -qE '^ *123456 ' || { echo "FAIL: packet 123456 is not in the list after g 123456"; tui_screen; exit 1; }
echo "ok: g 123456 selects packet 123456"

EXPR='tcp[tcpflags] & tcp-syn != 0'
want=$(tcpdump -nr "$F" "$EXPR" 2>/dev/null | wc -l)
tui_filter "$EXPR"
tui_wait "view filter \"$EXPR\": $want of 150000 packets" 20
echo "ok: the view filter passes $want packets over the whole file, as tcpdump"
# n / N step through the packets it passes: from packet 1, the next SYN is the second passing packet.
tui_keys Home
second=$(tcpdump -nr "$F" "$EXPR" 2>/dev/null | sed -n 2p | awk '{ print $1 }')
tui_keys n
tui_wait "Details: packet " 5
got=$(tui_screen | sed -n 's/.*Details: packet \([0-9]*\) .*/\1/p' | head -n 1)
tcpdump -nr "$F" -c "$got" 2>/dev/null | tail -n 1 | grep -qF "$second" ||
	{ echo "FAIL: n went to packet $got, not the second SYN (tcpdump: $second)"; exit 1; }
tui_filter ""
tui_wait "view filter cleared" 5

# Flow 5 runs from packet 5 to past packet 12000: its ladder must equal --ladder 5 row for row.
"$SYNWATCH" -r "$F" --ladder 5 --width 200 2>/dev/null | grep -E '^ *[0-9]+ +[0-9]' > "$TUI_DIR/ladder.want"
rows=$(wc -l < "$TUI_DIR/ladder.want")
[ "$rows" -gt 20 ] || { echo "FAIL: --ladder 5 gave $rows rows"; exit 1; }
tui_keys :
tui_wait "Go to packet N" 5
tui_keys -l 5
tui_keys Enter
tui_wait "Details: packet 5 " 5
tui_keys Enter
tui_wait "Ladder: flow 5 ($rows rows)" 5
tui_keys z
tui_wait_gone "Proto Info" 5
tui_screen | grep -E '^ *[0-9]+ +[0-9]' > "$TUI_DIR/ladder.got"
diff "$TUI_DIR/ladder.want" "$TUI_DIR/ladder.got" > "$TUI_DIR/ladder.diff" ||
	{ echo "FAIL: the panel's ladder of flow 5 differs from --ladder 5"; cat "$TUI_DIR/ladder.diff"; exit 1; }
echo "ok: flow 5's ladder ($rows rows, packets 5 to $(tail -n 1 "$TUI_DIR/ladder.want" | awk '{ print $1 }')) equals --ladder 5"
tui_keys q
tui_check_restored

# ---- --follow: a file still being written ----
G=$TUI_DIR/grow.pcap
tcpdump -r pcaps/handshake.pcap -c 5 -w "$G" 2>/dev/null
size=$(wc -c < "$G")
tui_start 120 40 -r "$G" --follow --speed 0
tui_wait "shown 5 " 10
tail -c +$((size + 1)) pcaps/handshake.pcap >> "$G"
tui_wait "shown 10 " 10
tui_keys q
tui_check_restored
echo "ok: --follow shows the packets appended to the file"

# ---- a file truncated while open, a file replaced while open ----
T=$TUI_DIR/t.pcap
cp "$F" "$T"
tui_start 120 40 -r "$T" --speed 0
tui_wait "REPLAY END" 30
truncate -s 1000000 "$T"
tui_keys :
tui_wait "Go to packet N" 5
tui_keys -l 140000
tui_keys Enter
tui_wait "was truncated to 1000000 bytes while open" 5
tui_keys Home # rows before the cut still read
tui_wait "Details: packet 1 " 5
tui_keys q
tui_check_restored
echo "ok: a file truncated while open is said on screen"

cp "$F" "$T"
tui_start 120 40 -r "$T" --speed 0
tui_wait "REPLAY END" 30
cp pcaps/handshake.pcap "$T.new"
mv "$T.new" "$T"
sleep 0.2 # the file is looked at again at most every 0.1 s (a time span, not a condition)
tui_keys :
tui_wait "Go to packet N" 5
tui_keys -l 77777
tui_keys Enter
tui_wait "was replaced or removed while open" 5
tui_keys q
tui_check_restored
echo "ok: a file replaced while open is said on screen"

# ---- a file cut short: indexed up to the cut, said in the status bar and the footer ----
head -c 1000000 "$F" > "$TUI_DIR/cut.pcap"
before=$(tcpdump -nr "$TUI_DIR/cut.pcap" 2>/dev/null | wc -l)
tui_start 200 40 -r "$TUI_DIR/cut.pcap" --speed 0
tui_wait "READ ERROR" 10
tui_wait "reading stopped after packet $before: " 5
tui_wait "shown $before " 5
tui_keys q
# After the panel, the one-line error and exit 3, as without it.
tui_wait "synwatch-exit=3" 5
tui_wait "is cut short after packet $before " 5
echo "ok: a file cut short is indexed up to the cut ($before packets, as tcpdump) and said"

# ---- a spool directory that cannot be written (a pipe goes through the spool) ----
mkfifo "$TUI_DIR/fifo"
SYNWATCH_SAVED=$SYNWATCH
SYNWATCH="env TMPDIR=$TUI_DIR/none $SYNWATCH"
tui_start 200 40 -r "$TUI_DIR/fifo" --speed 0
SYNWATCH=$SYNWATCH_SAVED
cat pcaps/handshake.pcap > "$TUI_DIR/fifo"
tui_wait "cannot write the spool in $TUI_DIR/none" 10
tui_wait "REPLAY END" 10
tui_wait "shown 10 " 5
tui_keys q
tui_check_restored
echo "ok: a spool directory that cannot be written is said, and the packets are still shown"

# ---- a live session of more than 100,000 packets: Home shows its first packet ----
if [ "$(id -u)" -ne 0 ]; then
	echo "ok: (live part skipped: live capture on lo needs root)"
	exit 0
fi
FLOOD=build/bench/udpflood
if [ ! -x "$FLOOD" ]; then
	FLOOD=$TUI_DIR/udpflood
	cc -O2 -std=c11 -D_GNU_SOURCE -o "$FLOOD" tests/bench/udpflood.c || { echo "FAIL: cannot build udpflood"; exit 1; }
fi
port=$((46000 + $$ % 1000))
tui_start 120 40 -i lo "udp port $port"
tui_wait "LIVE" 10
"$FLOOD" -p "$port" -s 64 -d 30 > "$TUI_DIR/flood.out" 2>&1 &
flood=$!
TUI_PIDS="$TUI_PIDS $flood"
# Until the panel has captured more than 100,000 packets ("captured 123456", or as a narrow panel
# abbreviates it: "123.4K", "1.2M").
captured() {
	tui_screen | sed -n 's/.* captured \([0-9.]*[KMG]*\) .*/\1/p' | head -n 1 |
		awk '{ v = $1 + 0; if ($1 ~ /K$/) v *= 1e3; else if ($1 ~ /M$/) v *= 1e6; else if ($1 ~ /G$/) v *= 1e9; printf "%d\n", v }'
}
n=600
while [ $n -gt 0 ]; do
	c=$(captured)
	[ "${c:-0}" -gt 100000 ] && break
	sleep 0.05
	n=$((n - 1))
done
kill -INT "$flood"
wait "$flood" 2>/dev/null
[ $n -gt 0 ] || { echo "FAIL: the panel did not capture 100,000 packets in 30 s"; tui_screen; exit 1; }
# At 80 columns the counts row (spool included) does not fit: whole fields go, none is shown cut.
tui_tmux resize-window -t "$TUI_SESSION" -x 80
n=60
while [ $n -gt 0 ] && [ "$(tui_screen | sed -n 2p | sed 's/ *$//' | wc -c)" -gt 81 ]; do sleep 0.05; n=$((n - 1)); done
row=$(tui_screen | sed -n 2p)
bad=$(printf '%s\n' "$row" | sed 's/ *\(LIVE\|PAUSED (capturing)\) *$//; s/^ //' | sed 's/  /\n/g; s/, /\n/g' |
	grep -vE '^(shown|captured|dropped|flows|calls) [0-9]+$|^[0-9.]+ pkt/s$|^spool [0-9.]+ [KMG]iB of [0-9.]+ [KMG]iB$|^[0-9.]+[KMG]? not kept \(disk behind\)$|^holds packets [0-9]+-$')
[ -z "$bad" ] || { echo "FAIL: the 80-column counts row shows a field cut: '$bad' in '$row'"; exit 1; }
printf '%s\n' "$row" | grep -qE '^ shown [0-9]+  captured [0-9]+  dropped [0-9]+' ||
	{ echo "FAIL: the 80-column counts row lost what matters most: '$row'"; exit 1; }
echo "ok: the counts row at 80 columns keeps whole fields: $row"
tui_tmux resize-window -t "$TUI_SESSION" -x 120
tui_keys Space
tui_wait "PAUSED" 5
tui_keys Home
n=100
while [ "$(list_first)" != "1" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
[ "$(list_first)" = "1" ] || { echo "FAIL: Home after $c live packets does not show packet 1"; tui_screen; exit 1; }
tui_keys q
tui_check_restored
echo "ok: after $c live packets Home shows the session's packet 1"
