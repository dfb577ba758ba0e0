#!/bin/sh
# tui_ipopts_details.sh — the details pane lists IPv4 options one per line, for the packet and for the header an ICMP error quotes (200x50, pcaps/ipopts.pcap).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/ipopts.pcap
tui_require "$PCAP"

tui_start 200 50 -r "$PCAP" --speed 0
tui_wait "REPLAY END" 10
# Packet 1: a UDP datagram whose record route holds the sender's address.
tui_keys Home
tui_wait "Frame 1:" 5
tui_wait "option RR 127.0.0.1 (8 free)" 5
# Packet 3: timestamp with address.
tui_keys Down Down
tui_wait "Frame 3:" 5
tui_wait "option TS 127.0.0.1@" 5
# Packet 4: NOP, router alert, EOL.
tui_keys Down
tui_wait "Frame 4:" 5
tui_wait "option RA 0" 5
# Packet 6: the ICMP port unreachable, with its own record route and the quoted one.
tui_keys Down Down
tui_wait "Frame 6:" 5
tui_wait "option RR 127.0.0.1 127.0.0.1 127.0.0.1 (6 free)" 5
tui_wait "Quoted IPv4:" 5
tui_wait "option RR 127.0.0.1 127.0.0.1 (7 free)" 5
tui_keys q
tui_check_restored
echo "ok: IPv4 options in the details pane, outer and quoted"
