#!/bin/sh
# tui_live.sh — live on lo: a TCP exchange and a UDP datagram (answered by ICMP port unreachable) show up
# in the TUI within a second, with the flow's states in the flow pane.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
tui_require_live
PT=$((20000 + $$ % 20000))
PU=$((PT + 1))
# Tall enough that the whole exchange (8 TCP + UDP + ICMP) stays in the packet list: the list follows
# the newest packet, and at 24 rows the SYN scrolls off before the screen can be read.
tui_start 100 48 -i lo "tcp port $PT or udp port $PU or icmp"
tui_wait "LIVE" 5
tui_wait "waiting for packets" 5

nc -l 127.0.0.1 "$PT" > "$TUI_DIR/received" &
TUI_PIDS="$TUI_PIDS $!"
n=100
until ss -ltn "sport = :$PT" | grep -q ":$PT"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || { echo "FAIL: nc did not listen on $PT"; exit 1; }
	sleep 0.05
done
printf 'hello tcp\n' | timeout 5 nc -N 127.0.0.1 "$PT"
tui_wait "[SYN]" 1
tui_wait "127.0.0.1:$PT" 1
tui_wait "[FIN, " 1

printf 'hello udp\n' | timeout 5 nc -u -w0 127.0.0.1 "$PU"
tui_wait "127.0.0.1:$PU" 1
tui_wait "UDP" 1
tui_wait "Destination unreachable" 1

# The flow pane lists the TCP flow with both ends' states and how it ended (packets redraw that pane at
# most 4 times a second, so it is awaited: up to 2 s).
n=40
until tui_screen > "$TUI_DIR/screen" &&
	grep -E "127\.0\.0\.1:$PT .*(TIME-WAIT|CLOSED|FIN-WAIT|LAST-ACK|CLOSE-WAIT).*(fin|rst)" "$TUI_DIR/screen" >/dev/null; do
	n=$((n - 1))
	[ $n -gt 0 ] || { echo "FAIL: the flow pane does not show the closed TCP flow"; cat "$TUI_DIR/screen"; exit 1; }
	sleep 0.05
done
tui_keys q
tui_check_restored
echo "ok: live TCP and UDP exchanges appeared within a second"
