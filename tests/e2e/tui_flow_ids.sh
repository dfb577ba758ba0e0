#!/bin/sh
# tui_flow_ids.sh — the details pane shows the packet's flow as Zeek sums it up (conn_state, history) and its Community ID, as --flows --json has them (200x50, pcaps/handshake.pcap and pcaps/refused.pcap).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
for cap in handshake refused; do
	PCAP=pcaps/$cap.pcap
	tui_require "$PCAP"
	want=$(build/synwatch -r "$PCAP" --flows --json 2>/dev/null |
		sed -n 's/^{"flow":1,.*"conn_state":"\([A-Z0-9]*\)","history":"\([^"]*\)","community_id":"\([^"]*\)".*/Flow #1 now: Zeek conn_state \1, history \2; Community ID \3/p')
	[ -n "$want" ] || { echo "FAIL: $PCAP: no flow 1 in --flows --json"; exit 1; }
	tui_start 200 50 -r "$PCAP" --speed 0
	tui_wait "REPLAY END" 10
	tui_keys Home
	tui_wait "Frame 1:" 5
	tui_wait "$want" 5
	tui_keys q
	tui_check_restored
	echo "ok: $cap: $want"
done
