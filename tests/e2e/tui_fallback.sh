#!/bin/sh
# tui_fallback.sh — on a real terminal with TERM=dumb or TERM unset, `--tui` falls back to the text view:
# it prints the packets and exits by itself (no full-screen view waiting for q), exit 0.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
for term in dumb unset; do
	tui_shell 80 24
	if [ "$term" = unset ]; then
		tui_run_line "clear; cd '$PWD' && env -u TERM $SYNWATCH --tui -r $PCAP; echo fallback\"\"-exit=\$?"
	else
		tui_run_line "clear; cd '$PWD' && TERM=$term $SYNWATCH --tui -r $PCAP; echo fallback\"\"-exit=\$?"
	fi
	tui_wait "fallback-exit=" 10
	tui_screen > "$TUI_DIR/screen"
	grep -qF "fallback-exit=0" "$TUI_DIR/screen" || { echo "FAIL: TERM $term: nonzero exit"; cat "$TUI_DIR/screen"; exit 1; }
	grep -qF "127.0.0.1" "$TUI_DIR/screen" || { echo "FAIL: TERM $term: no packets printed"; cat "$TUI_DIR/screen"; exit 1; }
	grep -qF "F10Quit" "$TUI_DIR/screen" && { echo "FAIL: TERM $term: the full-screen view started"; exit 1; }
done
echo "ok: TERM=dumb and no TERM fall back to the text view"
