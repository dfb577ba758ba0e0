#!/bin/sh
# tui_filter.sh — `/` edits the view filter: an invalid expression shows libpcap's error and the old
# filter keeps working; a valid one applies to the history; an empty one shows everything again.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
total=$(tcpdump -nr "$PCAP" 2>/dev/null | wc -l)
syns=$(tcpdump -nr "$PCAP" 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | wc -l)

tui_start 80 24 -r "$PCAP" --speed 0
tui_wait "REPLAY END" 10
tui_wait "shown $total " 5

tui_filter "tcp and and"
tui_wait "invalid filter: " 5
tui_wait "syntax error" 5
tui_wait "view: (all)" 5
tui_wait "shown $total " 5

tui_filter "tcp[tcpflags] & tcp-syn != 0"
tui_wait "view: tcp[tcpflags] & tcp-syn != 0" 5
tui_wait "shown $syns " 5

tui_filter "port nonsense("
tui_wait "invalid filter: " 5
tui_wait "view: tcp[tcpflags] & tcp-syn != 0" 5 # the old filter stays
tui_wait "shown $syns " 5
tui_screen | grep -qF "[FIN, " && { echo "FAIL: a FIN is shown under the SYN filter"; tui_screen; exit 1; }

# `/` offers the rejected text again for fixing; an empty filter shows everything.
tui_keys /
tui_wait "port nonsense(" 5
tui_keys C-u Enter
tui_wait "view: (all)" 5
tui_wait "shown $total " 5
tui_keys q
tui_check_restored
echo "ok: invalid filters refused with libpcap's error, valid ones applied"
