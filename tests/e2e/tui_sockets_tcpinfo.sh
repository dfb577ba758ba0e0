#!/bin/sh
# tui_sockets_tcpinfo.sh — the panel's socket pane (--sockets, live, in tmux) shows under each TCP connection
# the kernel's numbers (tcp_info), equal to what `ss -tin` prints for the same socket within one refresh:
# cwnd, ssthresh, rtt, mss, unacked, total retransmissions exactly, delivery and pacing rate to the pane's
# three significant digits. And where the kernel's state and the wire's disagree for two reads in a row
# (here: a capture filter that hides FINs, so the wire never sees the close), the pane says so; while they
# agree it says nothing.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/e2e/lib/tcp_pair.sh
. tests/e2e/lib/tui_tmux.sh
trap 'tui_cleanup; cleanup' EXIT
tui_require
need_root
need_cmd nc
need_cmd ss
p=$(free_port)

tcp_pair "$p" -N # the client shuts its side down at the end of its input (closing fd 4)
tcp_pair_quiet "$p"
ss_info "$p" > "$TUI_DIR/ss1"
[ "$(wc -l < "$TUI_DIR/ss1")" -eq 2 ] || fail "ss shows $(wc -l < "$TUI_DIR/ss1") established sockets on $p: $(cat "$TUI_DIR/ss1")"

# The FINs are filtered out of the capture: the wire's states stay ESTABLISHED once the pair closes.
# (The tmux server must not hold the FIFOs' write ends: the client's EOF is how the pair closes.)
tui_start 200 60 -i lo --sockets --ports "$p" "tcp port $p and tcp[tcpflags] & tcp-fin == 0" 3>&- 4>&-
tui_wait "Sockets (kernel, as ss -tuan) port $p" 5
n=100
until [ "$(tui_screen | grep -c '^ *kernel: ')" -eq 2 ]; do
	n=$((n - 1)); [ $n -gt 0 ] || { echo "FAIL: the socket pane shows no tcp_info for the pair"; tui_screen; exit 1; }
	sleep 0.05
done
tui_screen > "$TUI_DIR/pane"
ss_info "$p" > "$TUI_DIR/ss2"
cmp -s "$TUI_DIR/ss1" "$TUI_DIR/ss2" ||
	fail "the sockets' numbers changed while being compared: $(cat "$TUI_DIR/ss1") / $(cat "$TUI_DIR/ss2")"

# The pane's lines as ss_info's: "LOCAL PEER cwnd=... ", rates back in bits per second.
awk '
function bps(v, u) { return v * (u ~ /^T/ ? 1e12 : u ~ /^G/ ? 1e9 : u ~ /^M/ ? 1e6 : u ~ /^k/ ? 1e3 : 1) }
/^tcp +[A-Z]/ { st = $2; loc = $5; peer = $6; next }
/^ *kernel: / && st == "ESTAB" {
	for (i = 1; i <= NF; i++) v[$i] = $(i + 1)
	# ss -tin writes retrans:A/B with A the segments resent and not yet acknowledged: 0 once quiet.
	printf "%s %s cwnd=%s ssthresh=%s rtt=%s mss=%s unacked=%s retrans=0/%s delivery=%s pacing=%s\n", loc, peer,
		v["cwnd"], v["ssthresh"], v["rtt"], v["mss"], v["unacked"], v["total_retrans"], rate("delivery"), rate("pacing")
}
function idx(k,   i) { for (i = 1; i <= NF; i++) if ($i == k) return i; return 0 }
function rate(k,   i) { i = idx(k); if ($(i + 1) == "-" || $(i + 1) == "none") return "-"; return sprintf("%.0f", bps($(i + 1), $(i + 2))) }
' "$TUI_DIR/pane" | sort > "$TUI_DIR/sw"
[ "$(wc -l < "$TUI_DIR/sw")" -eq 2 ] || { echo "FAIL: the pane shows tcp_info for $(wc -l < "$TUI_DIR/sw") connections, not 2"; cat "$TUI_DIR/pane"; exit 1; }
# Equal but for the rates, which the pane rounds to three significant digits.
paste -d '\n' "$TUI_DIR/ss1" "$TUI_DIR/sw" | awk '
NR % 2 == 1 { split($0, a, " "); next }
{
	split($0, b, " ")
	for (i = 1; i <= 10; i++) {
		if (a[i] == b[i]) continue
		split(a[i], x, "="); split(b[i], y, "=")
		if (x[1] == y[1] && (x[1] == "delivery" || x[1] == "pacing") && x[2] + 0 > 0 &&
		    (y[2] - x[2]) / x[2] < 0.006 && (x[2] - y[2]) / x[2] < 0.006) continue
		print "FAIL: ss -tin has " a[i] ", the pane " b[i] " (" a[1] " " a[2] ")"; bad = 1
	}
}
END { exit bad }' || { cat "$TUI_DIR/ss1" "$TUI_DIR/sw" "$TUI_DIR/pane"; exit 1; }
grep -q 'cwnd=[0-9]' "$TUI_DIR/sw" && grep -q 'pacing=[0-9]' "$TUI_DIR/sw" || fail "no tcp_info numbers: $(cat "$TUI_DIR/sw")"
# Both ends ESTABLISHED on the wire and in the kernel: nothing to say.
if grep -q "the kernel and the wire disagree" "$TUI_DIR/pane"; then
	echo "FAIL: a disagreement reported while both say ESTABLISHED"; cat "$TUI_DIR/pane"; exit 1
fi
echo "tcp_info in the pane equal to ss -tin: $(head -n 1 "$TUI_DIR/sw" | cut -d' ' -f3-)"

# Close the client's side: the kernel moves to FIN-WAIT-2 / CLOSE-WAIT; the wire, without the FIN, stays.
# The socket pane zoomed to the whole screen, so both sockets' sentences fit.
tui_keys Tab z
tui_wait_gone "Proto Info" 5
exec 4>&-
# nc -N shuts the client's side down (FIN-WAIT-2, the server CLOSE-WAIT); the server's nc then exits (its
# FIN: the client TIME-WAIT, the server gone). The wire saw neither FIN.
n=0
until ss -Htan "( sport = :$p or dport = :$p )" | grep -qE '^(FIN-WAIT-2|TIME-WAIT) '; do
	n=$((n + 1)); [ $n -lt 500 ] || fail "the client's socket never left ESTAB: $(ss -Htan "( sport = :$p or dport = :$p )")"; sleep 0.01
done
n=100
until tui_screen | grep -qE "the kernel and the wire disagree: the kernel has this client end in (FIN-WAIT-2|TIME-WAIT), the packets say ESTABLISHED \(for [0-9]+ reads"; do
	n=$((n - 1)); [ $n -gt 0 ] || { echo "FAIL: the pane does not say the kernel and the wire disagree"; tui_screen; exit 1; }
	sleep 0.05
done
tui_keys q
tui_check_restored
echo "ok: the pane says the kernel (the client closing or TIME-WAIT) and the wire (ESTABLISHED) disagree"
