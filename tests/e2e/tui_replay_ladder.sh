#!/bin/sh
# tui_replay_ladder.sh — replaying pcaps/handshake.pcap in the TUI (80x24 and 200x50): the packet list
# shows SYN, SYN-ACK, ACK, the data and the FIN/ACK pairs in order, and the ladder of the flow shows both
# ends' states changing in order.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
total=$(tcpdump -nr "$PCAP" 2>/dev/null | wc -l)
[ "$total" -gt 0 ] || { echo "FAIL: tcpdump reads no packet from $PCAP"; exit 1; }

for size in "80 24" "200 50"; do
	set -- $size
	echo "== ${1}x${2}"
	tui_start "$1" "$2" -r "$PCAP" --speed 0
	tui_wait "REPLAY END" 10
	tui_wait "shown $total " 5

	# The packet list, zoomed to the whole screen, from the first packet.
	tui_keys Home z
	# Both keys must have taken effect before the screen is read: at 80x24 the unzoomed list already shows
	# the FINs (newest at the bottom), so wait for the zoom (the details pane gone) and for Home (the SYN
	# in view), then for the exchange's last part.
	tui_wait_gone "Details: packet" 5
	tui_wait "[SYN]" 5
	tui_wait "[FIN, " 5
	tui_screen > "$TUI_DIR/list"
	tui_order "$TUI_DIR/list" "[SYN]" "[SYN, ACK]" "[ACK]" "[FIN, "
	first_ack=$(grep -nF "[ACK]" "$TUI_DIR/list" | head -n 1 | cut -d: -f1)
	first_fin=$(grep -nF "[FIN, " "$TUI_DIR/list" | head -n 1 | cut -d: -f1)
	data=$(grep -nE "Len=[1-9]" "$TUI_DIR/list" | head -n 1 | cut -d: -f1)
	if [ -z "$data" ] || [ "$data" -le "$first_ack" ] || [ "$data" -ge "$first_fin" ]; then
		echo "FAIL: no data segment between the handshake's ACK (line $first_ack) and the first FIN (line $first_fin)"
		cat "$TUI_DIR/list"
		exit 1
	fi
	fins=$(grep -cF "[FIN, " "$TUI_DIR/list")
	[ "$fins" -ge 2 ] || { echo "FAIL: expected a FIN from each end, saw $fins"; cat "$TUI_DIR/list"; exit 1; }

	# The ladder of the first packet's flow, zoomed: every TCP packet, states in order.
	tui_keys Escape Home Enter
	tui_wait "Ladder: flow 1 (" 5
	tui_keys z
	tui_wait_gone "Proto Info" 5 # zoomed: the packet list's header is gone (SYN-SENT alone is on screen before)
	tui_wait "FIN-WAIT-1" 5
	tui_screen > "$TUI_DIR/ladder"
	tui_order "$TUI_DIR/ladder" "SYN-SENT" "ESTABLISHED" "FIN-WAIT-1"
	grep -qE "TIME-WAIT|CLOSED" "$TUI_DIR/ladder" ||
		{ echo "FAIL: the ladder never shows an end reaching TIME-WAIT or CLOSED"; cat "$TUI_DIR/ladder"; exit 1; }
	tui_keys q
	tui_check_restored
done
echo "ok: list and ladder show the handshake, data and close in order at 80x24 and 200x50"
