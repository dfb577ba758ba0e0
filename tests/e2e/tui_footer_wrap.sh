#!/bin/sh
# tui_footer_wrap.sh — the footer's explanation of each packet is whole at 80x24 and 120x40: it wraps onto more rows instead of being cut mid-word, and every one ends its sentence.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require pcaps/refused.pcap
for run in "refused 80 24" "refused 120 40" "halfclose 80 24" "halfclose 120 40"; do
	set -- $run
	PCAP=pcaps/$1.pcap
	npk=$(tcpdump -nr "$PCAP" 2>/dev/null | wc -l)
	shift
	tui_start "$1" "$2" -r "$PCAP" --step
	tui_wait "paused before the first packet" 5 || exit 1
	i=0
	tui_screen > "$TUI_DIR/prev"
	while [ $i -lt "$npk" ]; do
		tui_keys s
		i=$((i + 1))
		k=0 # until the step is drawn (bounded)
		while tui_screen | cmp -s - "$TUI_DIR/prev" && [ $k -lt 100 ]; do sleep 0.02; k=$((k + 1)); done
		tui_screen > "$TUI_DIR/prev"
		# The explanation is the screen's last rows from its first sentence ("Client → server: ..." or
		# "Server → client: ..."); joined, it must end a sentence.
		tui_screen > "$TUI_DIR/s"
		text=$(awk '/^(Client|Server) → (server|client): / { on = 1 } on { printf "%s ", $0 } END { print "" }' "$TUI_DIR/s" | sed 's/ *$//')
		[ -n "$text" ] || { echo "FAIL: no explanation at ${1}x$2, packet $i:"; cat "$TUI_DIR/s"; exit 1; }
		case $text in
		*.) ;;
		*) echo "FAIL: explanation cut at ${1}x$2, packet $i: $text"; exit 1 ;;
		esac
	done
	echo "ok ${1}x$2: $npk explanations whole, the last: $text"
	tui_keys q
	tui_wait_gone "Ladder" 5 || true
done
