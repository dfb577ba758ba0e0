#!/bin/sh
# tui_save_dropped.sh — saving (w) into a folder the dropped user cannot write says which user synwatch runs as and offers a writable name, and saving under that name works.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root (synwatch drops root to nobody)"; exit 77; }
locked="$TUI_DIR/locked"
mkdir -m 0700 "$locked" # root's: nobody may not write in it
tui_start 200 30 -r "$PCAP" --speed 0
tui_wait "REPLAY END" 10
tui_keys w
tui_wait "Save shown packets to" 5
tui_keys C-u
tui_keys -l "$locked/x.pcap"
tui_keys Enter
tui_wait "synwatch runs as nobody now" 5
[ ! -e "$locked/x.pcap" ] || { echo "FAIL: a file was made in the locked folder"; exit 1; }
alt=$(tui_screen | sed -n 's/.*save as \([^,]*\), or start with -Z USER.*/\1/p' | head -n 1)
[ -n "$alt" ] || { echo "FAIL: no writable name offered:"; tui_screen; exit 1; }
rm -f "$alt"
tui_keys w
tui_wait "Save shown packets to" 5
tui_keys C-u
tui_keys -l "$alt"
tui_keys Enter
tui_wait "saved 10 packets to" 5
n=$(tcpdump -nr "$alt" 2>/dev/null | wc -l)
rm -f "$alt"
[ "$n" -eq 10 ] || { echo "FAIL: the offered file holds $n packets, not 10"; exit 1; }
echo "ok: the dropped user named, $alt offered and written"
