#!/bin/sh
# tui_resize.sh — resizing the pane while packets arrive: 80x24 -> 200x50 -> 60x20 (a "too small"
# message, no crash) -> 80x24, with the packet count still rising; then a live pause: the list stays
# frozen while the captured count keeps rising, `s` shows one more, space resumes; q leaves the shell usable.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
tui_require_live
PU=$((20000 + $$ % 20000))
tui_start 80 24 -i lo "udp port $PU"
tui_wait "LIVE" 5
# A steady trickle of datagrams (no listener needed: the capture sees them leave).
(while :; do printf 'tick\n' | nc -u -w0 127.0.0.1 "$PU"; sleep 0.05; done) >/dev/null 2>&1 &
TUI_PIDS="$TUI_PIDS $!"
tui_wait "127.0.0.1:$PU" 5

shown() { tui_screen | sed -n 's/.* shown \([0-9]*\) .*/\1/p' | head -n 1; }
rising() { # the shown count goes above $1 within 5 s
	n=100
	while [ "$n" -gt 0 ]; do
		c=$(shown)
		[ -n "$c" ] && [ "$c" -gt "$1" ] && return 0
		sleep 0.05
		n=$((n - 1))
	done
	echo "FAIL: packet count stuck at $1 after resizing"
	tui_screen
	exit 1
}

c=$(shown)
tui_tmux resize-window -t "$TUI_SESSION" -x 200 -y 50
tui_wait "Client state" 5 # the wide flow pane
tui_wait "history " 5
rising "$c"
c=$(shown)
tui_tmux resize-window -t "$TUI_SESSION" -x 60 -y 20
tui_wait "this terminal is 60x20" 5
tui_tmux resize-window -t "$TUI_SESSION" -x 80 -y 24
tui_wait "F10Quit" 5
tui_wait "LIVE" 5
rising "$c"

# Live pause: shown stays, captured rises.
captured() { tui_screen | sed -n 's/.* captured \([0-9]*\) .*/\1/p' | head -n 1; }
tui_keys Space
tui_wait "PAUSED (capturing)" 5
frozen=$(shown)
cap=$(captured)
n=100
while [ "$(captured)" -le "$cap" ]; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || { echo "FAIL: captured count did not rise while paused"; tui_screen; exit 1; }
	sleep 0.05
done
[ "$(shown)" = "$frozen" ] || { echo "FAIL: the list changed while paused ($frozen -> $(shown))"; tui_screen; exit 1; }
tui_keys s
tui_wait "shown $((frozen + 1)) " 5
tui_keys Space
tui_wait_gone "PAUSED" 5
rising "$((frozen + 1))"
tui_keys q
tui_check_restored
echo "ok: resizes while capturing, including below 80x24; live pause keeps counting"
