#!/bin/sh
# tui_exit.sh — every way out restores the terminal: q, F10, Ctrl-C, SIGTERM and SIGHUP each exit 0 and
# leave the shell echoing and reading lines with the same stty modes as before.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
PCAP=pcaps/handshake.pcap
tui_require "$PCAP"
for how in q F10 C-c TERM HUP; do
	echo "== $how"
	tui_start 80 24 -r "$PCAP" --speed 0
	tui_wait "REPLAY END" 10
	case $how in
	TERM | HUP)
		pid=$(tui_pid)
		[ -n "$pid" ] || { echo "FAIL: cannot find synwatch's pid"; exit 1; }
		kill -"$how" "$pid"
		;;
	*) tui_keys "$how" ;;
	esac
	tui_check_restored
done
echo "ok: q, F10, Ctrl-C, SIGTERM and SIGHUP all restore the terminal"
