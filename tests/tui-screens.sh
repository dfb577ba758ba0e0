#!/bin/sh
# tui-screens.sh — prints text captures of the TUI's main states (80x24, pcaps/handshake.pcap) for the
# README: packet list with details, ladder, follow view, help, a refused filter. Not a test.
cd "$(dirname "$0")/.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=${1:-pcaps/handshake.pcap}
tui_require "$PCAP"
shot() { echo "### $1"; echo '```'; tui_screen | sed -e 's/[[:space:]]*$//'; echo '```'; echo; }
tui_start 80 24 -r "$PCAP" --speed 0
tui_wait "REPLAY END" 10
tui_keys Home Down Down Down
tui_wait "Frame 4:" 5
shot "Packet list, flows and the selected packet's details"
tui_keys Enter
tui_wait "Ladder: flow" 5
shot "Ladder of the selected flow (Enter)"
tui_keys f
tui_wait "Follow " 5
shot "Follow view (f)"
tui_keys Escape '?'
tui_wait "synwatch keys" 5
shot "Help (?)"
tui_keys x /
tui_wait "Filter (BPF" 5
tui_keys -l "tcp and and"
tui_keys Enter
tui_wait "invalid filter" 5
shot "A refused view filter (/)"
tui_keys q
tui_wait "synwatch-exit=" 5
