# trace_program_tty.sh — `synwatch --trace -- nc -l` gives nc a terminal of its own: in text mode what nc
# received comes to stderr as "nc PID| hello" (never into stdout) and a line on synwatch's stdin reaches
# the client; in the panel (tmux, 120x40 and 80x24) the program pane shows the line and one typed at the
# `t` prompt reaches the client; the program is told the size of where its lines are shown (`stty size`).
. tests/lib.sh
. tests/e2e/lib/tui_tmux.sh
trap 'tui_cleanup; cleanup' EXIT
need_root
need_cmd nc
need_cmd ss
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (.ci/install-deps)"
"$SW" --trace -- true 2>/dev/null || skip "ptrace is not permitted here (--trace cannot run true)"

# client PORT: nc connects to PORT, its stdin the fifo $TMP/cin.PORT held open on fd 9, its output in
# $TMP/cli.PORT; sends "hello".
client() {
	mkfifo "$TMP/cin.$1"
	exec 9<> "$TMP/cin.$1"
	nc 127.0.0.1 "$1" < "$TMP/cin.$1" > "$TMP/cli.$1" 2>&1 &
	CLI=$!
	bg_pid $CLI
	printf 'hello\n' >&9
}

# ---- text mode ----
P=$(free_port)
mkfifo "$TMP/sin"
exec 8<> "$TMP/sin"
$SW --trace "tcp port $P" -- nc -l 127.0.0.1 "$P" < "$TMP/sin" > "$TMP/sw.out" 2> "$TMP/sw.err" &
SWP=$!
bg_pid $SWP
wait_listen "$P" || fail "nc -l did not listen on $P: $(cat "$TMP/sw.err")"
client "$P"
wait_for "$TMP/sw.err" '^nc [0-9]+\| hello$' 10 || fail "nc's line is not on synwatch's stderr"
pid=$(sed -nE 's/^nc ([0-9]+)\| hello$/\1/p' "$TMP/sw.err")
wait_for "$TMP/sw.out" "call  traced pid $pid: read\(4, \"hello\\\\n\"" 10 ||
	fail "the prefix's pid $pid is not the traced nc's (its read of hello)"
grep -E '^nc [0-9]+\|' "$TMP/sw.out" && fail "nc's output went into synwatch's stdout"
grep -q 'hello$' "$TMP/sw.out" && fail "a bare 'hello' line in synwatch's stdout: nc's output mixed in"
# A line on synwatch's stdin is typed to nc, which sends it to the client.
printf 'reply from stdin\n' >&8
wait_for "$TMP/cli.$P" '^reply from stdin$' 10 || fail "the line on synwatch's stdin did not reach the client"
kill "$CLI"
exec 9>&-
wait_exit $SWP 15 || fail "synwatch did not end after nc -l ended"
wait $SWP
rc=$?
[ $rc -eq 0 ] || fail "synwatch --trace -- nc -l exited $rc: $(cat "$TMP/sw.err")"
exec 8>&-
echo "text: nc's line on stderr as 'nc $pid| hello', stdin's line reached the client"

# ---- the panel ----
panel() {
	P=$(free_port)
	tui_start "$1" "$2" --trace "tcp port $P" -- nc -l 127.0.0.1 "$P"
	tui_wait "Program nc " 5
	tui_wait "it has written nothing yet" 5
	wait_listen "$P" || fail "nc -l did not listen on $P in the panel"
	client "$P"
	tui_wait "| hello" 10
	tui_screen | grep -qE '^nc [0-9]+\| hello' || { tui_screen; fail "the program pane does not show nc's line"; }
	tui_keys t
	tui_wait "Type to nc " 5
	tui_keys -l "typed in the panel"
	tui_keys Enter
	wait_for "$TMP/cli.$P" '^typed in the panel$' 10 || { tui_screen; fail "the line typed at the prompt did not reach the client ($1x$2)"; }
	tui_wait "typed to nc " 5
	# d shows the details again, p the program's terminal.
	tui_keys d
	tui_wait_gone "Program nc " 5
	tui_keys p
	tui_wait "Program nc " 5
	kill "$CLI"
	exec 9>&-
	tui_wait "closed" 10
	tui_keys q
	tui_check_restored
	echo "panel ${1}x$2: nc's line shown, the prompt's line reached the client"
}
panel 120 40
panel 80 24

# ---- the program's terminal size ----
# Text mode with stderr not a terminal: the default 80x24.
P=$(free_port)
$SW --trace "tcp port $P" -- stty size > "$TMP/size.out" 2> "$TMP/size.err" < /dev/null ||
	fail "synwatch --trace -- stty size failed: $(cat "$TMP/size.err")"
grep -qE '^stty [0-9]+\| 24 80$' "$TMP/size.err" || fail "stty did not see 24x80 in text mode: $(cat "$TMP/size.err")"
# The panel: the program pane's columns, less the lines' "stty PID| " prefix.
tui_start 120 40 --trace "tcp port $P" -- stty size
tui_wait "(closed)" 10
line=$(tui_screen | grep -E '^stty [0-9]+\| [0-9]+ [0-9]+' | head -n 1)
[ -n "$line" ] || { tui_screen; fail "the program pane does not show stty's size"; }
pfx=$(printf '%s' "$line" | sed -E 's/^(stty [0-9]+\| ).*/\1/')
cols=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+)$/\1/')
[ "$cols" -eq $((120 - ${#pfx})) ] || fail "stty in the panel saw $cols columns, not 120 less '$pfx': $line"
tui_keys q
tui_check_restored
echo "terminal size: 24x80 in text mode, $cols columns in a 120-column panel ($line)"
