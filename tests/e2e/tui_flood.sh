#!/bin/sh
# tui_flood.sh — the live panel under a UDP flood on lo: it keeps counting, keys take effect, memory stays bounded and flat, a stalled terminal holds up nothing, and q still restores the terminal.
#
# About 15 s: a 1400-byte flood (build/bench/udpflood, compiled here when make bench has not built it),
# stopped once the checks are done. RSS is read from /proc: the panel keeps its packets in the spool (a 64 MiB
# memory ring drained to files in $TMPDIR) and 16 bytes of index a packet held. With --spool-max 32M the spool
# holds some 24,000 of these packets, so once it is at its budget (well under a second at this rate) the
# oldest rows go as new ones come and RSS must stop growing; the bound below is the rings plus the flow
# table and libraries with room to spare. Then the tmux server is stopped for 2 s (the
# pane no longer reads: synwatch's terminal writes block) while capture must go on, and q must still quit.
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib/tui_tmux.sh
tui_require
[ "$(id -u)" -eq 0 ] || { echo "skip: live capture on lo needs root"; exit 77; }

RSS_MAX_KIB=$((224 * 1024)) # the spool's 64 MiB ring + the 32 MiB capture ring + the flow table and the rest
RSS_GROWTH_KIB=$((8 * 1024)) # allowed growth between two samples once the spool is at its budget

FLOOD=build/bench/udpflood
if [ ! -x "$FLOOD" ]; then
	FLOOD=$TUI_DIR/udpflood
	cc -O2 -std=c11 -D_GNU_SOURCE -o "$FLOOD" tests/bench/udpflood.c || { echo "FAIL: cannot build udpflood"; exit 1; }
fi

# A free UDP port in 47000-47999.
port=$((47000 + $$ % 1000))
n=0
while ss -Huan "( sport = :$port or dport = :$port )" 2>/dev/null | grep -q . && [ $n -lt 1000 ]; do
	port=$((47000 + (port - 47000 + 1) % 1000))
	n=$((n + 1))
done

rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }
# captured: the status line's "captured N" (N as the panel abbreviates it: 12.3K, 1.2M).
captured() { tui_screen | sed -n 's/.* captured \([0-9.]*[KMG]*\) .*/\1/p' | head -n 1; }
dropped() { tui_screen | sed -n 's/.* dropped \([0-9]*\) .*/\1/p' | head -n 1; }
# wchar PID: bytes the main thread (the one that draws) has written; the spool's writer thread writes too.
wchar() { sed -n 's/^wchar: //p' "/proc/$1/task/$1/io" 2>/dev/null; }
# num N: "12.3K" -> 12300.
num() { echo "$1" | awk '{ v = $1 + 0; if ($1 ~ /K$/) v *= 1e3; else if ($1 ~ /M$/) v *= 1e6; else if ($1 ~ /G$/) v *= 1e9; printf "%d\n", v }'; }
# wait_captured_change OLD SECONDS: until the status line shows a count other than OLD.
wait_captured_change() {
	wc_n=$(( $2 * 20 ))
	while [ "$wc_n" -gt 0 ]; do
		c=$(captured)
		[ -n "$c" ] && [ "$c" != "$1" ] && return 0
		sleep 0.05
		wc_n=$((wc_n - 1))
	done
	echo "FAIL: the captured count stayed at '$1' for $2 s during the flood"
	tui_screen
	exit 1
}

tui_start 120 40 --spool-max 32M -i lo "udp port $port"
tui_wait "LIVE" 10
pid=$(tui_pid)
[ -n "$pid" ] || { echo "FAIL: cannot find synwatch's pid"; exit 1; }
rss0=$(rss "$pid")

"$FLOOD" -p "$port" -s 1400 -d 30 > "$TUI_DIR/flood.out" 2>&1 &
flood=$!
TUI_PIDS="$TUI_PIDS $flood"

# The panel shows the flood and keeps counting.
tui_wait "127.0.0.1:$port" 5
wait_captured_change "$(captured)" 3
# Keys take effect mid-flood: the help overlay opens and closes.
tui_keys '?'
tui_wait "synwatch keys" 5
tui_keys Space # any key closes the help
tui_wait_gone "synwatch keys" 5
tui_wait "127.0.0.1:$port" 5

# Memory: bounded, and flat once the spool is at its budget (sampled 2 s apart, after at least 3 s of flood).
t_end=$(( $(date +%s) + 3 ))
while [ "$(date +%s)" -lt "$t_end" ]; do
	case $(captured) in *M) break ;; esac # a million packets: the spool is long at its budget
	sleep 0.05
done
sleep 1 # (a time span to measure over, not a wait for a condition)
rss1=$(rss "$pid")
c1=$(num "$(captured)")
sleep 2
rss2=$(rss "$pid")
c2=$(num "$(captured)")
rate=$(( (c2 - c1) / 2 ))
echo "captured $c1 -> $c2 in 2 s: about $rate packets/s"
echo "RSS KiB: before the flood $rss0, mid-flood $rss1, 2 s later $rss2"
[ -n "$rss1" ] && [ -n "$rss2" ] || { echo "FAIL: synwatch went away during the flood"; tui_screen; exit 1; }
[ "$rss2" -le "$RSS_MAX_KIB" ] || { echo "FAIL: RSS $rss2 KiB is over $RSS_MAX_KIB KiB"; exit 1; }
[ $((rss2 - rss1)) -le "$RSS_GROWTH_KIB" ] || { echo "FAIL: RSS grew $((rss2 - rss1)) KiB in 2 s with the spool at its budget"; exit 1; }

# The terminal stalls: the tmux server stops reading the pane. The panel writes little (~15 KB/s), so
# its writes block only once the pty's buffer is full (about a second); from then on the flood goes on
# for 2 s and ends. Capture must not have waited on the blocked write: the kernel's drops over the stall
# must stay under a quarter of what those 2 s brought (each datagram is 2 kernel packets on lo), where a
# capture loop stuck behind the write loses nearly all of them beyond the kernel ring's ~11000. Memory
# must stay bounded, and every packet caught must be counted once the terminal reads again.
kill -0 "$flood" 2>/dev/null || { echo "FAIL: the flood ended before the stall test (a slow machine?)"; exit 1; }
before=$(num "$(captured)")
d0=$(dropped)
server=$(tui_tmux display-message -p '#{pid}')
kill -STOP "$server"
w=$(wchar "$pid")
t_end=$(( $(date +%s) + 10 ))
while :; do
	sleep 0.3
	w2=$(wchar "$pid")
	[ "$w2" = "$w" ] && break # no write for 0.3 s at ~30 frames/s: the write blocks
	w=$w2
	[ "$(date +%s)" -lt "$t_end" ] || { kill -CONT "$server"; echo "FAIL: synwatch's terminal writes never blocked"; exit 1; }
done
sleep 2 # the stall itself, with the write blocked
rss3=$(rss "$pid")
kill -INT "$flood"
wait "$flood" 2>/dev/null
kill -CONT "$server"
# The flood is over: wait for the count to settle (the same on two looks 0.3 s apart).
prev=-1
t_end=$(( $(date +%s) + 10 ))
while :; do
	now=$(num "$(captured)")
	[ "$now" = "$prev" ] && break
	prev=$now
	[ "$(date +%s)" -lt "$t_end" ] || { echo "FAIL: the count did not settle after the flood"; tui_screen; exit 1; }
	sleep 0.3
done
d1=$(dropped)
echo "across the stall: captured $before -> $now, kernel drops $d0 -> $d1 (limit $((d0 + rate)))"
echo "RSS KiB after the stall: $rss3"
[ "$now" -gt "$before" ] || { echo "FAIL: nothing counted across the stall"; exit 1; }
[ $((d1 - d0)) -le "$rate" ] || { echo "FAIL: $((d1 - d0)) kernel drops while the terminal stalled: capture waited on it"; tui_screen; exit 1; }
[ -n "$rss3" ] && [ "$rss3" -le "$RSS_MAX_KIB" ] || { echo "FAIL: RSS ${rss3:-gone} KiB after the stall"; exit 1; }

# q quits mid-flood and restores the terminal (tui_check_restored allows 5 s).
"$FLOOD" -p "$port" -s 64 -d 20 > "$TUI_DIR/flood2.out" 2>&1 &
flood=$!
TUI_PIDS="$TUI_PIDS $flood"
wait_captured_change "$(captured)" 3
tui_keys q
tui_check_restored
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
echo "ok: the panel kept up with a 1400-byte flood, stayed under $((RSS_MAX_KIB / 1024)) MiB and flat, survived a stalled terminal, and q restored the terminal"
