#!/bin/sh
# classroom_tui.sh — `synwatch --tui --classroom` in tmux at 80x24, 120x40 and 200x50: call rows among the packets,
# the kernel's socket table pane, an explanation in the footer, the ladder with its call marks (connect()
# above the SYN); q restores the terminal and stops sockdemo. Also --step replay explaining each packet.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
[ "$(id -u)" -eq 0 ] || { echo "skip: live capture on lo needs root"; exit 77; }
[ -x build/sockdemo ] || { echo "FAIL: build/sockdemo is missing (make)"; exit 1; }

# check_screen COLS ROWS PORT
check_screen() {
	tui_start "$1" "$2" --classroom -p "$3"
	tui_wait "LIVE" 5 || exit 1
	tui_wait "Sockets (kernel" 5 || exit 1
	tui_wait "call  client" 10 || exit 1
	tui_wait "connect(" 10 || exit 1
	tui_wait "[SYN]" 10 || exit 1
	tui_wait "TIME-WAIT  0" 15 || exit 1   # a closed connection's socket in the socket pane
	# The selected row is explained in the footer (calls: "The client calls ..."; packets: "Client → server: ...").
	tui_screen > "$TUI_DIR/screen.$1"
	grep -qE "(The (client|server)|Client → server|Server → client)" "$TUI_DIR/screen.$1" || {
		echo "FAIL: no explanation on the ${1}x$2 screen"; cat "$TUI_DIR/screen.$1"; exit 1; }
	# Every line fits the terminal (characters counted, not bytes: UTF-8 continuation bytes dropped first).
	LC_ALL=C sed 's/[\x80-\xBF]//g' "$TUI_DIR/screen.$1" > "$TUI_DIR/chars.$1"
	awk -v w="$1" 'length($0) > w { bad = 1 } END { exit bad }' "$TUI_DIR/chars.$1" || {
		echo "FAIL: lines wider than $1 columns:"; awk -v w="$1" 'length($0) > w' "$TUI_DIR/chars.$1"; exit 1; }
	# Pause, pick a packet of a flow and open its ladder: calls stand on the ends' columns.
	tui_keys space
	tui_wait "PAUSED" 5 || exit 1
	# Enter on a row opens its flow's ladder (a call row too, once it matched a flow); each row's screen is
	# awaited (up to 1 s) before moving on, so a slow redraw is not mistaken for a ladder without calls. The
	# first connected flow's ladder has its connect() on the client's column above its SYN.
	tui_keys Home
	n=0 found=0
	while [ $found -eq 0 ]; do
		tui_keys Enter
		m=20
		while [ $m -gt 0 ]; do
			if tui_screen | grep -qF "* connect()"; then found=1; break; fi
			sleep 0.05
			m=$((m - 1))
		done
		[ $found -eq 1 ] && break
		n=$((n + 1))
		[ $n -lt 40 ] || { echo "FAIL: no ladder with a connect() mark after 40 rows"; tui_screen | tail -n 25; exit 1; }
		tui_keys Down
	done
	tui_keys z Home # the ladder alone, from its first row
	tui_wait_gone "Proto Info" 5
	tui_wait "* connect()" 5
	tui_screen > "$TUI_DIR/ladder.$1"
	c=$(grep -n -m1 -F '* connect()' "$TUI_DIR/ladder.$1" | cut -d: -f1)
	syn=$(grep -n -m1 -E '\|-+S ' "$TUI_DIR/ladder.$1" | cut -d: -f1)
	[ -n "$syn" ] && [ "$c" -lt "$syn" ] || { echo "FAIL: live ladder at ${1}x$2: * connect() (line $c) not above the SYN (line $syn)"; cat "$TUI_DIR/ladder.$1"; exit 1; }
	tui_keys q
	tui_check_restored || exit 1
	n=0
	while pgrep -f "sockdemo scenario all --loop -p $3 " >/dev/null; do
		n=$((n + 1))
		[ $n -lt 100 ] || { echo "FAIL: sockdemo still runs after q"; exit 1; }
		sleep 0.05
	done
	echo "ok: classroom screen at ${1}x$2"
}
# --step replay: each step's packet is explained in the footer from the tracker's states.
tui_start 80 24 -r pcaps/handshake.pcap --step
tui_wait "paused before the first packet" 5 || exit 1
tui_keys s
tui_wait "Client → server: SYN." 5 || exit 1
tui_wait "the client is now SYN-SENT" 5 || exit 1
tui_keys s
tui_wait "Server → client: SYN-ACK. The server's kernel answers" 5 || exit 1
tui_keys e # back to the key hints
tui_wait "F1Help" 5 || exit 1
tui_keys q
tui_check_restored || exit 1
echo "ok: --step explains each packet"

P=$((20000 + $$ % 9000))
check_screen 80 24 "$P"
check_screen 120 40 "$((P + 6))"
check_screen 200 50 "$((P + 2))"

# --trace in the panel: the traced nc's calls among the packets, and its exit in the footer.
if command -v nc >/dev/null 2>&1; then
	PT=$((P + 4))
	tui_start 120 30 --trace "tcp port $PT" -- nc -l 127.0.0.1 "$PT"
	tui_wait "listen(3, 1) = 0" 10 || exit 1
	printf 'hi\n' | timeout 5 nc -N 127.0.0.1 "$PT"
	tui_wait "traced command exited with status 0" 10 || exit 1
	tui_keys space Home
	n=0
	until tui_screen | grep -qF "accept4(3"; do
		tui_keys Down
		n=$((n + 1))
		[ $n -lt 30 ] || { echo "FAIL: no accept4 row in the list"; tui_screen; exit 1; }
	done
	tui_screen | grep -qF "[SYN]" || { echo "FAIL: no SYN near the accept4 row"; tui_screen; exit 1; }
	tui_keys q
	tui_wait "synwatch-exit=0" 5 || exit 1
	echo "ok: --trace in the panel"
fi
