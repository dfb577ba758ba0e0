#!/bin/sh
# tui_graph_live.sh — the graph pane while capturing live (tmux, 160x50, --sockets): sockdemo's lossy scenario
# runs; the graph of its flow, opened during the transfer, grows as packets come (its time axis reaches
# further); the bytes-in-flight graph draws the sender's congestion window from the kernel (tcp_info cwnd x
# mss, sampled at each read of the socket table) beside the wire's bytes in flight, with its legend line.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/e2e/lib/tui_tmux.sh
trap 'tui_cleanup; cleanup' EXIT
tui_require
need_root
[ -x "$SD" ] || fail "$SD is not built (make)"
p=$(free_port)

tui_start 160 50 -i lo --sockets "tcp port $p"
tui_wait "LIVE" 5
"$SD" scenario lossy -p "$p" --no-narrate 2> "$TUI_DIR/sd.err" &
sd=$!
TUI_PIDS="$TUI_PIDS $sd"
tui_wait "Len=65483" 10
# The list follows the newest packet, the transfer's: its graph, then the bytes in flight (the fourth kind).
tui_keys g
tui_wait " Graph: flow " 5
tui_keys g g g
tui_wait "Bytes in flight, client's data" 5
# last_tick: the time axis' last label in seconds (the unit stands first on the labels' row).
last_tick() {
	tui_screen | LC_ALL=C sed 's/[\xc0-\xf7][\x80-\xbf]*/~/g' | awk '/^ +\+[-+]+ *$/ {
		getline; n = split($0, f, " ")
		print f[n] * (f[1] == "s" ? 1 : f[1] == "ms" ? 1e-3 : f[1] == "~s" || f[1] == "us" ? 1e-6 : 1e-9); exit }'
}
first=$(last_tick)
[ -n "$first" ] || { echo "FAIL: no time axis"; tui_screen; exit 1; }
wait_exit "$sd" 30 || { echo "FAIL: the scenario did not end within 30 s"; exit 1; }
wait "$sd" || { echo "FAIL: scenario lossy failed: $(cat "$TUI_DIR/sd.err")"; exit 1; }
tui_wait "congestion window" 5
tui_wait "bytes in flight" 5
screen=$(tui_screen)
printf '%s\n' "$screen" | grep -q "the kernel's cwnd needs --sockets\|no cwnd yet" && {
	echo "FAIL: the graph has no cwnd from the kernel"; printf '%s\n' "$screen"; exit 1; }
later=$(last_tick)
awk -v a="$first" -v b="$later" 'BEGIN { exit !(b + 0 > a + 0) }' ||
	{ echo "FAIL: the time axis did not grow while the transfer went on ($first, then $later)"; printf '%s\n' "$screen"; exit 1; }
# The dashed cwnd line is drawn in the plot: its sample's characters (U+2804, U+2824) in the plot rows.
printf '%s\n' "$screen" | grep -q "$(printf '\342\240\204\342\240\244\342\240\204') congestion window" ||
	{ echo "FAIL: no dashed sample for the congestion window"; printf '%s\n' "$screen"; exit 1; }
tui_keys q
tui_check_restored
echo "ok: live graph grew from $first to $later on its time axis; cwnd from the kernel drawn"
