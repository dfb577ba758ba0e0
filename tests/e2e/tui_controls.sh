#!/bin/sh
# tui_controls.sh — replay controls and navigation at 80x24: --step, s, + and -, selection, help, End
# (fast-forward), Tab and Enter (ladder), follow, `w` save read back by tcpdump, `c` clear, q.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
command -v tcpdump >/dev/null 2>&1 || { echo "skip: tcpdump is not installed"; exit 77; }
total=$(tcpdump -nr "$PCAP" 2>/dev/null | wc -l)

tui_start 80 24 -r "$PCAP" --step
tui_wait "paused before the first packet" 5
tui_wait "shown 0 " 5

tui_keys s
tui_wait "shown 1 " 5
tui_wait "[SYN]" 5
tui_wait "SYN-SENT" 5 # flow pane: the client's state after its SYN
tui_keys s
tui_wait "shown 2 " 5
tui_wait "[SYN, ACK]" 5

tui_keys +
tui_wait "REPLAY x2 PAUSED" 5
tui_keys - -
tui_wait "REPLAY x0.5 PAUSED" 5

# Selection drives the details pane.
tui_keys Home
tui_wait "Frame 1:" 5
tui_keys Down
tui_wait "Frame 2:" 5

tui_keys '?'
tui_wait "synwatch keys" 5
tui_keys x
tui_wait_gone "synwatch keys" 5

# End fast-forwards to the end of the capture.
tui_keys End
tui_wait "REPLAY END" 10
tui_wait "shown $total " 5

# Tab to the flow pane, first flow, Enter: the ladder of flow 1; Enter in the ladder: back to details.
tui_keys Tab Home Enter
tui_wait "Ladder: flow 1" 5
tui_wait "SYN-SENT" 5
tui_keys Enter
tui_wait "Details: packet " 5

tui_keys f
tui_wait "Follow TCP flow 1" 5
tui_keys Escape
tui_wait_gone "Follow TCP flow" 5

# Save what is shown; tcpdump reads back the same packets.
tui_keys w
tui_wait "Save shown packets to" 5
tui_keys C-u
tui_keys -l "$TUI_DIR/saved.pcap"
tui_keys Enter
tui_wait "saved $total packets to" 5
tcpdump -nr "$PCAP" > "$TUI_DIR/orig.txt" 2>/dev/null
tcpdump -nr "$TUI_DIR/saved.pcap" > "$TUI_DIR/saved.txt" 2>/dev/null || { echo "FAIL: tcpdump cannot read the saved file"; exit 1; }
diff "$TUI_DIR/orig.txt" "$TUI_DIR/saved.txt" || { echo "FAIL: saved packets differ from the capture"; exit 1; }

tui_keys c
tui_wait "shown 0 " 5
tui_keys q
tui_check_restored
echo "ok: step, speed, selection, help, End, Tab, ladder, follow, save, clear"
