#!/bin/sh
# tui_graph.sh — the panel's graph of a replayed flow (pcaps/lossy.pcap) in tmux: the time-sequence graph
# marks each segment tshark calls a retransmission (or out-of-order: bytes sent before) with an R in the
# column of its time, read from the x axis on screen, and nowhere else; again after the terminal is
# resized; again under LANG=C, where the graph is ASCII only (no byte above 127 on the screen). The cursor
# keys move the packet list's selection.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/lossy.pcap
tui_require "$PCAP"
command -v tshark >/dev/null 2>&1 || { echo "skip: tshark is not installed (.ci/install-deps)"; exit 77; }

# The client (the SYN's sender) and the times, since the first packet, of its resent data segments.
client=$(tshark -r "$PCAP" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.srcport 2>/dev/null | head -n 1)
[ -n "$client" ] || { echo "FAIL: tshark finds no SYN in $PCAP"; exit 1; }
tshark -r "$PCAP" -Y "tcp.srcport == $client && tcp.len > 0 && (tcp.analysis.retransmission ||
	tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order)" \
	-T fields -e frame.time_relative 2>/dev/null > "$TUI_DIR/retx"
[ "$(wc -l < "$TUI_DIR/retx")" -ge 2 ] || { echo "FAIL: tshark finds fewer than 2 resent segments in $PCAP"; exit 1; }

# check_graph NAME: the screen's R marks against tshark's times; NAME labels the messages.
check_graph() {
	# One character a column: every UTF-8 sequence (braille, the cursor's line, arrows) becomes '~'.
	tui_screen | LC_ALL=C sed 's/[\xc0-\xf7][\x80-\xbf]*/~/g' > "$TUI_DIR/screen.$1"
	LC_ALL=C awk -v name="$1" -v retx="$TUI_DIR/retx" '
	function fail(msg) { print "FAIL (" name "): " msg; bad = 1 }
	{ line[NR] = $0 }
	/^ +\+[-+]+ *$/ && !axis { axis = NR }
	END {
		if (!axis) { fail("no x axis on screen"); exit 1 }
		a = line[axis]; l = line[axis + 1]; n = 0
		for (c = 1; c <= length(a); c++)
			if (substr(a, c, 1) == "+") {
				v = substr(l, c); sub(/ .*/, "", v)
				if (v !~ /^[0-9.]+$/) { fail("no label under the tick at column " c ": \"" v "\""); exit 1 }
				n++; col[n] = c; val[n] = v + 0
			}
		if (n < 2) { fail("fewer than 2 labelled ticks"); exit 1 }
		p = col[1] # the plot starts at the time axis zero; the unit stands in the margin before it
		unit = substr(l, 1, p - 1); gsub(/ /, "", unit)
		div = unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "us" || unit == "~s" ? 1e-6 : 0
		if (!div) { fail("no unit before the time labels (got \"" unit "\")"); exit 1 }
		if (val[1] != 0) fail("the first tick is " val[1] ", not 0")
		per = (col[n] - col[1]) / (val[n] - val[1]) # columns per unit
		# Expected columns: each resent segment at its time.
		while ((getline t < retx) > 0) {
			e = int(col[1] + (t / div - val[1]) * per)
			want[e] = 1; nwant++
			ex[nwant] = e; et[nwant] = t
		}
		# R marks in the plot rows (above the axis, with the y margin'"'"'s + or | before the plot).
		for (r = 1; r < axis; r++) {
			m = substr(line[r], p - 1, 1)
			if (m != "+" && m != "|") continue
			rows++
			for (c = p; c <= length(line[r]); c++)
				if (substr(line[r], c, 1) == "R") got[c] = 1
		}
		if (rows < 4) fail("only " rows " plot rows found")
		for (i = 1; i <= nwant; i++)
			if (!got[ex[i]] && !got[ex[i] - 1] && !got[ex[i] + 1])
				fail("no R within a column of " ex[i] " (the resent segment at " et[i] " s)")
		for (c in got)
			if (!want[c] && !want[c - 1] && !want[c + 1])
				fail("an R at column " c " where tshark shows no resent segment")
		nr = 0; for (c in got) nr++
		if (!bad) printf "%s: %d resent segments, R in %d columns, %d ticks, %s per column\n", name, nwant, nr, n, 1 / per " " unit
		exit bad
	}' "$TUI_DIR/screen.$1" || { cat "$TUI_DIR/screen.$1"; exit 1; }
	grep -q "R retransmission" "$TUI_DIR/screen.$1" || { echo "FAIL ($1): no legend line for R"; cat "$TUI_DIR/screen.$1"; exit 1; }
}

# open_graph: the graph of the first packet's flow, zoomed to the whole screen.
open_graph() {
	tui_wait "REPLAY END" 10
	tui_keys Home g
	tui_wait " Graph: flow 1, Time-sequence, client's data" 5
	tui_keys z
	tui_wait_gone "Proto Info" 5
	tui_wait "R retransmission" 5
}

echo "== braille (LANG=C.UTF-8), 160x50"
tui_start 160 50 -r "$PCAP" --speed 0
open_graph
tui_screen | grep -q "$(printf '\342\241\207') segment" || { echo "FAIL: no braille sample in the legend"; tui_screen; exit 1; }
check_graph braille-160
# The cursor: Right moves it a column, and the status line names the packet the list now selects.
tui_keys Home Right Right Right
tui_wait "cursor " 5
tui_screen | grep -q "cursor .*: #[0-9]" || { echo "FAIL: the status line names no packet under the cursor"; tui_screen; exit 1; }

echo "== resized to 110x40"
tui_tmux resize-window -t "$TUI_SESSION" -x 110 -y 40
n=100
while [ "$n" -gt 0 ] && [ "$(tui_screen | awk 'END { print NR }')" -ne 40 ]; do sleep 0.05; n=$((n - 1)); done
tui_wait "R retransmission" 5
sleep 0.2 # the redraw after SIGWINCH
check_graph braille-110
tui_keys q
tui_check_restored

echo "== ASCII (LANG=C), 120x45"
SYNWATCH="LC_ALL=C LANG=C $SYNWATCH"
tui_start 120 45 -r "$PCAP" --speed 0
open_graph
if tui_screen | LC_ALL=C grep -q "$(printf '[\200-\377]')"; then
	echo "FAIL: bytes above 127 on the screen under LANG=C"
	tui_screen
	exit 1
fi
tui_screen | grep -q "| segment  R retransmission  ___ ACK  === receive window" ||
	{ echo "FAIL: no ASCII legend"; tui_screen; exit 1; }
check_graph ascii-120
tui_keys q
tui_check_restored
echo "ok: R marks in the columns of tshark's resent segments (braille, resized, ASCII)"
