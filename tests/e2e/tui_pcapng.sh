#!/bin/sh
# tui_pcapng.sh — the panel on pcapng files: the details pane shows each packet's interface, link layer and comment; the view filter works per link type; `w` saves one link type and says what it left out (200x50).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
D=tests/data/pcapng
tui_require "$D/comments.pcapng"

# Comments: one line each in the details, a line break shown as a space.
tui_start 200 50 -r "$D/comments.pcapng" --speed 0
tui_wait "REPLAY END" 10
tui_keys Home
tui_wait "Frame 1:" 5
tui_wait "interface 0 (eth0)" 5
tui_wait "comment: first packet" 5
tui_keys Down
tui_wait "Frame 2:" 5
tui_wait "comment: café €" 5
tui_keys Down
tui_wait "Frame 3:" 5
tui_wait 'comment: two lines "quoted"' 5
tui_keys Down Down
tui_wait "Frame 5:" 5
tui_screen | grep -q "comment:" && { echo "FAIL: packet 5 has no comment, the details show one"; tui_screen; exit 1; }
tui_keys q
tui_check_restored

# Three link types in two sections: each packet decoded with its own interface's.
tui_start 200 50 -r "$D/two-sections.pcapng" --speed 0
tui_wait "REPLAY END" 10
tui_keys Home Down
tui_wait "Frame 2:" 5
tui_wait "interface 1 (any)" 5
tui_wait "Link LINUX_SLL2: packet type 0" 5
tui_keys Down Down
tui_wait "Frame 4:" 5
tui_wait "interface 0 (lo0)" 5
tui_wait "Loopback (NULL)" 5

tui_filter "ether broadcast" # Ethernet's only: refused for the LINUX_SLL2 interface
tui_wait "invalid filter: for link type LINUX_SLL2: not a broadcast link" 5
tui_wait "view: (all)" 5
tui_filter "udp port 41002 or udp port 41004" # one packet of LINUX_SLL2, one of NULL
tui_wait "shown 2 " 5

# Save: the first listed packet's link type (LINUX_SLL2), the other one left out.
tui_keys w
tui_wait "Save shown packets to" 5
tui_keys C-u
tui_keys -l "$TUI_DIR/saved.pcap"
tui_keys Enter
tui_wait "saved 1 LINUX_SLL2 packets to $TUI_DIR/saved.pcap; 1 of other link types left out" 5
n=$(tcpdump -nr "$TUI_DIR/saved.pcap" 2>/dev/null | grep -c "41002 > 127.0.0.1.9")
[ "$n" -eq 1 ] || { echo "FAIL: the saved file does not hold the LINUX_SLL2 packet"; tcpdump -nr "$TUI_DIR/saved.pcap"; exit 1; }
tui_keys q
tui_check_restored
echo "ok: interfaces, link types and comments in the details, filter and save per link type"
