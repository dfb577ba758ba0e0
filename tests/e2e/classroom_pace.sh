#!/bin/sh
# classroom_pace.sh — the classroom panel paces sockdemo (1 s before each socket call by default) so that the socket pane shows LISTEN and ESTAB standing, and its - and + keys change the pace live.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
[ "$(id -u)" -eq 0 ] || { echo "skip: live capture on lo needs root"; exit 77; }
[ -x build/sockdemo ] || { echo "FAIL: build/sockdemo is missing (make)"; exit 1; }
. tests/lib.sh
trap 'tui_cleanup; cleanup' EXIT
P=$(free_port)
tui_start 160 45 --classroom -p "$P"
tui_wait "Sockets (kernel" 10 || exit 1
# With a second before each call, the listener stands in the socket pane before any client comes.
tui_wait "LISTEN" 10 || exit 1
tui_wait "ESTAB" 20 || exit 1
tui_keys +
tui_wait "classroom pace: sockdemo waits 0.50 s before each socket call" 5 || exit 1
tui_keys - -
tui_wait "classroom pace: sockdemo waits 2.00 s before each socket call" 5 || exit 1
# The pace file sockdemo reads says so too.
f=$(ls -t "${TMPDIR:-/tmp}"/synwatch-classroom.*/pace 2>/dev/null | head -n 1)
[ -n "$f" ] && [ "$(cat "$f")" = "2.000" ] || { echo "FAIL: pace file ${f:-missing}: $(cat "$f" 2>/dev/null)"; exit 1; }
tui_keys q
tui_wait_gone "Sockets (kernel" 5 || exit 1
echo "ok: LISTEN and ESTAB stood in the socket pane; + and - changed the pace to 0.5 s and 2 s"
