#!/bin/sh
# classroom_tui_replay.sh — a capture replayed in the panel with the events file recorded beside it, and the
# same capture recorded as a lesson (pcapng carrying the calls) replayed alone (80x24 and 120x40): the list
# holds the calls and packets in exactly --text's order, at speed 0 and at the default speed (the calls
# made before the first packet stand before the SYN); --step brings each packet with the calls before it;
# the ladder draws the call marks (* connect() above the SYN, accept() * below the handshake's last ACK);
# pcaps/lesson.pcapng shows its recorded socket table in the socket pane and its calls in the footer; the
# panel with -w records the lesson again (same packets, comments and replay).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
[ "$(id -u)" -eq 0 ] || { echo "skip: recording on lo needs root"; exit 77; }
[ -x build/sockdemo ] || { echo "FAIL: build/sockdemo is missing (make)"; exit 1; }
. tests/lib.sh
trap 'tui_cleanup; cleanup' EXIT # lib.sh's trap replaced tui_tmux.sh's: both clean up

# Record a handshake scenario's packets and calls, as classroom_replay.sh does, into a lesson.
P=$(free_port)
CAP=$TUI_DIR/cap.pcapng
EV=$TUI_DIR/ev.jsonl
: > "$EV"
chmod 666 "$EV"
$SW -w "$CAP" --events "$EV" --text "tcp port $P" > "$TUI_DIR/live" 2> "$TUI_DIR/live.err" &
SWPID=$!
TUI_PIDS="$TUI_PIDS $SWPID"
wait_for "$TUI_DIR/live.err" 'listening on' 10 || { echo "FAIL: synwatch did not start"; exit 1; }
$SD scenario handshake -p "$P" --events "$EV" --no-narrate 2> "$TUI_DIR/sd.err" || { echo "FAIL: sockdemo: $(cat "$TUI_DIR/sd.err")"; exit 1; }
wait_for "$TUI_DIR/live" 'call  client pid [0-9]+: close\(' 10 || { echo "FAIL: the recording missed the client's close"; exit 1; }
kill -INT $SWPID
wait_exit $SWPID 10 || { echo "FAIL: the recording synwatch did not stop"; exit 1; }

# The order --text gives: "C role pid call" for a call, "P" for a packet.
$SW -r "$CAP" --events "$EV" --text 2>/dev/null |
	sed -nE 's/^[0-9:.]+ call  (client|server) pid ([0-9]+): ([a-z0-9]+)\(.*/C \1 \2 \3/p; t; s/^[0-9:.]+ IP6? .*/P/p' > "$TUI_DIR/text.order"
total=$(wc -l < "$TUI_DIR/text.order")
[ "$total" -ge 15 ] || { echo "FAIL: --text shows only $total items"; cat "$TUI_DIR/text.order"; exit 1; }
pkts=$(grep -c '^P' "$TUI_DIR/text.order")
calls=$((total - pkts))

# The panel's list, zoomed, read page by page from the top: its rows in the same tokens.
list_order() {
	tui_keys Home z
	tui_wait_gone "Details:" 5
	: > "$TUI_DIR/rows"
	n=0
	while [ "$(wc -l < "$TUI_DIR/rows")" -lt "$total" ] && [ $n -lt 12 ]; do
		tui_screen | sed -n '4,$p' | grep -E '^ *[0-9]+ +[0-9.]+ |  call  ' >> "$TUI_DIR/rows"
		awk '!seen[$0]++' "$TUI_DIR/rows" > "$TUI_DIR/rows.u" && mv "$TUI_DIR/rows.u" "$TUI_DIR/rows"
		tui_keys PageDown
		sleep 0.1
		n=$((n + 1))
	done
	sed -nE 's/.*  call  (client|server) ([0-9]+): ([a-z0-9]+)\(.*/C \1 \2 \3/p; t; s/^ *[0-9]+ +[0-9.]+ .*/P/p' "$TUI_DIR/rows"
}

# check_order COLS ROWS ARGS...: replay to the end, then the list's order must be --text's.
check_order() {
	cols=$1 rows=$2
	shift 2
	tui_start "$cols" "$rows" -r "$CAP" "$@"
	tui_wait "REPLAY END" 10
	tui_wait "shown $pkts  calls $calls  captured $pkts " 5 # the status counts packets and calls apart
	list_order > "$TUI_DIR/panel.order"
	diff -u "$TUI_DIR/text.order" "$TUI_DIR/panel.order" ||
		{ echo "FAIL: at ${cols}x$rows with $*, the panel's order differs from --text's"; exit 1; }
	tui_keys q
	tui_check_restored
	echo "ok: ${cols}x$rows $*: $total rows in --text's order"
}

for size in "80 24" "120 40"; do
	set -- $size
	check_order "$1" "$2" --events "$EV" --speed 0
	check_order "$1" "$2" --events "$EV"
	check_order "$1" "$2" --speed 0
	check_order "$1" "$2"
	# --step and the ladder: from the lesson alone at one size, with the events file at the other.
	if [ "$1" -eq 80 ]; then EVARG=""; else EVARG="--events $EV"; fi

	# --step: the first step shows the calls made before the SYN, then the SYN, and nothing after it.
	tui_start "$1" "$2" -r "$CAP" $EVARG --step
	tui_wait "paused before the first packet" 5
	tui_keys s
	tui_wait "[SYN]" 5
	tui_screen > "$TUI_DIR/step1"
	tui_order "$TUI_DIR/step1" "listen(" "connect(" "[SYN]"
	grep -qF "[SYN, ACK]" "$TUI_DIR/step1" && { echo "FAIL: the first step showed more than the SYN"; cat "$TUI_DIR/step1"; exit 1; }
	tui_keys s
	tui_wait "[SYN, ACK]" 5
	tui_keys q
	tui_check_restored
	echo "ok: ${1}x$2 ${EVARG:-(lesson)} --step brings the calls before each packet"

	# The ladder of flow 1: connect() above the SYN, accept() below the handshake's last ACK.
	tui_start "$1" "$2" -r "$CAP" $EVARG --speed 0
	tui_wait "REPLAY END" 10
	# The last rows: packets and calls of flow 1, and the listener's close, which has no flow.
	tui_keys End
	n=0
	until tui_screen | grep -qF "Ladder: flow 1 ("; do
		[ $n -lt 6 ] || { echo "FAIL: no row near the end opens flow 1's ladder"; tui_screen; exit 1; }
		tui_keys Enter
		sleep 0.2
		tui_screen | grep -qF "Ladder: flow 1 (" && break
		tui_keys Up
		n=$((n + 1))
	done
	tui_keys z Home
	tui_wait "* connect()" 5
	tui_wait_gone "Proto Info" 5
	tui_screen > "$TUI_DIR/ladder"
	c=$(grep -n -m1 -F '* connect()' "$TUI_DIR/ladder" | cut -d: -f1)
	s=$(grep -n -m1 -E '\|-+S ' "$TUI_DIR/ladder" | cut -d: -f1)
	k=$(grep -n -m1 -E '\| ESTABLISHED *$' "$TUI_DIR/ladder" | cut -d: -f1)
	a=$(grep -n -m1 -E 'accept\(\) = [0-9]+ \*' "$TUI_DIR/ladder" | cut -d: -f1)
	if [ -z "$c" ] || [ -z "$s" ] || [ -z "$k" ] || [ -z "$a" ] || [ "$c" -ge "$s" ] || [ "$a" -le "$k" ]; then
		echo "FAIL: ${1}x$2 ladder: connect line $c, SYN $s, server ESTABLISHED $k, accept $a"
		cat "$TUI_DIR/ladder"
		exit 1
	fi
	echo "ok: ${1}x$2 ${EVARG:-(lesson)} ladder: * connect() above the SYN, accept() * below the last ACK"

	# c at the end of the replay: packets and calls counted apart, the list says nothing more will come
	# (not "waiting for packets..."), and the message leaves the footer on its own.
	tui_keys Escape c
	tui_wait "cleared $pkts packets and $calls calls" 5
	tui_wait "shown 0  calls 0  captured $pkts " 5
	tui_wait "the replay has ended: no more packets will come" 5
	tui_screen | grep -qF "waiting for packets" && { echo "FAIL: after c at the end the list waits for packets"; tui_screen; exit 1; }
	tui_wait_gone "cleared $pkts packets" 10
	tui_keys q
	tui_check_restored
	echo "ok: ${1}x$2 ${EVARG:-(lesson)} c after the replay: $pkts packets and $calls calls cleared, the message goes by itself"
done

# A lesson recorded with the socket table (pcaps/lesson.pcapng, make lesson): the socket pane is rebuilt
# from its changes, and the footer explains a row from the lesson's calls.
tui_start 120 40 -r pcaps/lesson.pcapng --speed 0
tui_wait "REPLAY END" 10
tui_wait "Sockets (as the lesson recorded them, as ss -tuan) port 8888:" 5
tui_wait "TIME-WAIT" 5
tui_keys Home
tui_wait "The server calls socket()" 5
tui_keys q
tui_check_restored
echo "ok: a lesson's socket pane and footer"

# The panel records too: the lesson replayed in the panel with -w is recorded again, its packets' bytes and
# comments as the original's, and it replays to the same text.
tui_start 120 40 -r "$CAP" --speed 0 -w "$TUI_DIR/again.pcapng"
tui_wait "REPLAY END" 10
tui_keys q
tui_check_restored
tshark -r "$CAP" -Y tcp -T fields -e frame.comment -e tcp.flags.str -e tcp.seq_raw 2>/dev/null > "$TUI_DIR/c1"
tshark -r "$TUI_DIR/again.pcapng" -Y tcp -T fields -e frame.comment -e tcp.flags.str -e tcp.seq_raw 2>/dev/null > "$TUI_DIR/c2"
[ -s "$TUI_DIR/c1" ] && diff -u "$TUI_DIR/c1" "$TUI_DIR/c2" || { echo "FAIL: the panel's recording differs from the lesson it replayed"; exit 1; }
$SW -r "$CAP" --text > "$TUI_DIR/t1" 2>/dev/null
$SW -r "$TUI_DIR/again.pcapng" --text > "$TUI_DIR/t2" 2>/dev/null
diff -u "$TUI_DIR/t1" "$TUI_DIR/t2" || { echo "FAIL: the panel's recording replays differently"; exit 1; }
echo "ok: the panel records a lesson as the text view does"
