# tui_tmux.sh — shared helpers for tests/e2e/tui_*.sh: synwatch in a tmux pane on a private server,
# waiting on screen text (bounded polling, never blind sleeps), keys, and terminal-mode checks.
# Sourced, not run. SYNWATCH overrides the binary (default build/synwatch).

SYNWATCH=${SYNWATCH:-build/synwatch}
TUI_SOCK=""                         # private tmux server per pane: never touches the user's sessions
TUI_SOCKS=""                        # every server started, killed on exit
TUI_N=0
TUI_SESSION="t"
TUI_DIR=$(mktemp -d)
# synwatch run as root becomes nobody once the capture is open: let it save (w) into this folder.
chmod 1777 "$TUI_DIR"
TUI_PIDS=""                         # background helpers we started (killed by pid on exit)

tui_tmux() { tmux -L "$TUI_SOCK" "$@"; }

tui_cleanup() {
	for p in $TUI_PIDS; do kill "$p" 2>/dev/null; done
	for s in $TUI_SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done
	rm -rf "$TUI_DIR"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE # run the EXIT trap on these too

# tui_require [PCAP...]: skip (77) unless tmux, a synwatch with --tui, and the captures are there.
tui_require() {
	command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed (.ci/install-deps)"; exit 77; }
	[ -x "$SYNWATCH" ] || { echo "skip: $SYNWATCH is not built (make)"; exit 77; }
	"$SYNWATCH" --help 2>&1 | grep -q -- '--tui' ||
		{ echo "skip: $SYNWATCH --help does not mention --tui (the TUI is not wired into main yet)"; exit 77; }
	for p in "$@"; do
		[ -f "$p" ] || { echo "skip: reference capture $p is missing (make pcaps)"; exit 77; }
	done
}

# tui_require_live: live capture on lo needs root (or CAP_NET_RAW) and nc.
tui_require_live() {
	[ "$(id -u)" -eq 0 ] || { echo "skip: live capture on lo needs root"; exit 77; }
	command -v nc >/dev/null 2>&1 || { echo "skip: nc (netcat-openbsd) is not installed"; exit 77; }
}

# tui_shell COLS ROWS: a pane running a plain sh, where tests type command lines like a user.
tui_shell() {
	[ -n "$TUI_SOCK" ] && tui_tmux kill-server 2>/dev/null
	TUI_N=$((TUI_N + 1))
	TUI_SOCK="synwatch-e2e-$$-$TUI_N"
	TUI_SOCKS="$TUI_SOCKS $TUI_SOCK"
	rm -f "$TUI_DIR/stty.before" "$TUI_DIR/stty.after"
	tui_tmux -f /dev/null new-session -d -s "$TUI_SESSION" -x "$1" -y "$2" \
		"env -i PATH=\"$PATH\" HOME=\"$TUI_DIR\" TERM=screen LANG=C.UTF-8 PS1='$ ' sh" || {
		echo "FAIL: cannot start tmux"; exit 1; }
	tui_tmux set-option -t "$TUI_SESSION" status off >/dev/null
	tui_wait '$' 5
}

# tui_run_line TEXT: type a command line and Enter.
tui_run_line() { tui_tmux send-keys -t "$TUI_SESSION" -l "$1"; tui_tmux send-keys -t "$TUI_SESSION" Enter; }

# tui_start COLS ROWS ARGS...: synwatch --tui ARGS in a fresh pane; records the shell's stty first.
tui_start() {
	cols=$1 rows=$2
	shift 2
	args=""
	for a in "$@"; do args="$args '$a'"; done # each argument single-quoted (no quotes inside them)
	tui_shell "$cols" "$rows"
	# The marker is split in the typed line so only the echo's output matches "synwatch-exit=".
	tui_run_line "cd '$PWD' && stty -g > '$TUI_DIR/stty.before' && $SYNWATCH --tui$args; echo synwatch\"\"-exit=\$?; stty -g > '$TUI_DIR/stty.after'"
}

tui_screen() { tui_tmux capture-pane -p -t "$TUI_SESSION"; }

# tui_wait TEXT [SECONDS]: poll the screen until TEXT (fixed string) appears; fail showing the screen.
tui_wait() {
	n=$(( ${2:-5} * 20 ))
	while [ "$n" -gt 0 ]; do
		tui_screen | grep -qF -- "$1" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	echo "FAIL: waited ${2:-5}s for: $1"
	echo "---- screen ----"
	tui_screen
	echo "----------------"
	exit 1
}

# tui_wait_gone TEXT [SECONDS]: poll until TEXT is no longer on the screen.
tui_wait_gone() {
	n=$(( ${2:-5} * 20 ))
	while [ "$n" -gt 0 ]; do
		tui_screen | grep -qF -- "$1" || return 0
		sleep 0.05
		n=$((n - 1))
	done
	echo "FAIL: still on screen after ${2:-5}s: $1"
	tui_screen
	exit 1
}

# tui_keys KEY...: tmux key names (Enter, Up, C-c, F1...) or literal text with -l.
tui_keys() { tui_tmux send-keys -t "$TUI_SESSION" "$@"; }

# tui_filter EXPR: type EXPR at the view filter's prompt (`/`) and apply it ("" clears the filter).
tui_filter() {
	tui_keys /
	tui_wait "Filter (BPF" 5
	tui_keys C-u
	[ -n "$1" ] && tui_keys -l "$1"
	tui_keys Enter
}

# tui_pid: synwatch's pid (the child of the pane's shell).
tui_pid() {
	sh_pid=$(tui_tmux display-message -p -t "$TUI_SESSION" '#{pane_pid}')
	pgrep -P "$sh_pid" | head -n 1
}

# tui_check_restored: synwatch exited 0, the terminal modes are back, and the shell still reads lines.
tui_check_restored() {
	tui_wait "synwatch-exit=" 5
	code=$(tui_screen | sed -n 's/.*synwatch-exit=\([0-9]*\).*/\1/p' | tail -n 1)
	[ "$code" = "0" ] || { echo "FAIL: synwatch exited with $code, expected 0"; tui_screen; exit 1; }
	n=100
	while [ ! -s "$TUI_DIR/stty.after" ] && [ "$n" -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
	if ! cmp -s "$TUI_DIR/stty.before" "$TUI_DIR/stty.after"; then
		echo "FAIL: terminal modes not restored"
		echo "before: $(cat "$TUI_DIR/stty.before")"
		echo "after:  $(cat "$TUI_DIR/stty.after")"
		exit 1
	fi
	tui_run_line 'echo usable-$((6 * 7))'
	tui_wait "usable-42" 5 # typed text echoed and the line run: cooked mode, echo on
}

# tui_order FILE WORD...: each WORD's first line in FILE comes after the previous one's.
tui_order() {
	f=$1
	shift
	last=0 prev=""
	for w in "$@"; do
		ln=$(grep -nF -- "$w" "$f" | awk -F: -v l="$last" '$1 > l { print $1; exit }')
		if [ -z "$ln" ]; then
			echo "FAIL: \"$w\" not found after \"$prev\" (line $last)"
			cat "$f"
			exit 1
		fi
		last=$ln prev=$w
	done
}
