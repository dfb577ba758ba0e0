# cli_write.sh — -w writes exactly the packets that passed the filter; the file is complete after -c, INT, TERM, HUP and a closed stdout.
. tests/lib.sh
need_root
need_cmd tcpdump
need_cmd nc

count_pcap() { tcpdump -r "$1" 2>/dev/null | wc -l; }
written() { sed -n 's/^\([0-9]*\) packets written to .*/\1/p' "$1"; }

# From a file, with a filter: the same packets tcpdump selects with that filter.
src=$(ls pcaps/*.pcap ../shared/corpus/well-formed/tcp-handshake-nano.pcap 2>/dev/null | head -n 1)
[ -n "$src" ] || skip "no capture to read"
"$SW" -r "$src" -w "$TMP/f.pcap" --text tcp > "$TMP/f.txt" 2> "$TMP/f.err" || fail "-r -w: $(cat "$TMP/f.err")"
want=$(tcpdump -r "$src" tcp 2>/dev/null | wc -l)
[ "$(count_pcap "$TMP/f.pcap")" -eq "$want" ] || fail "-w from file wrote $(count_pcap "$TMP/f.pcap"), tcpdump selects $want"
[ "$(written "$TMP/f.err")" -eq "$want" ] || fail "reported $(written "$TMP/f.err") written, want $want"
[ "$(wc -l < "$TMP/f.txt")" -eq "$want" ] || fail "printed $(wc -l < "$TMP/f.txt") lines, want $want"

port=$(free_port)
nc -lk 127.0.0.1 "$port" > /dev/null 2>&1 &
bg_pid $!
n=0
while ! ss -Hltn "sport = :$port" | grep -q .; do n=$((n + 1)); [ $n -lt 500 ] || fail "nc did not listen"; sleep 0.01; done
traffic() { i=0; while [ $i -lt "$1" ]; do printf 'ping %s\n' "$i" | nc -N 127.0.0.1 "$port"; i=$((i + 1)); done; }

# -c COUNT: stops by itself after COUNT packets; the file holds exactly that many.
"$SW" -i lo -c 5 -w "$TMP/c.pcap" --text "tcp port $port" > /dev/null 2> "$TMP/c.err" &
sw=$!
bg_pid $sw
wait_for "$TMP/c.err" "listening on" || fail "synwatch did not start"
traffic 2
wait_exit $sw 10 || fail "synwatch -c 5 did not stop after 5 packets"
wait $sw || fail "synwatch -c exited non-zero: $(cat "$TMP/c.err")"
[ "$(count_pcap "$TMP/c.pcap")" -eq 5 ] || fail "-c 5 wrote $(count_pcap "$TMP/c.pcap") packets"

# Each stopping signal: the file reads back complete with as many packets as synwatch reported.
for sig in INT TERM HUP; do
	"$SW" -i lo -w "$TMP/$sig.pcap" --text "tcp port $port" > "$TMP/$sig.txt" 2> "$TMP/$sig.err" &
	sw=$!
	bg_pid $sw
	wait_for "$TMP/$sig.err" "listening on" || fail "synwatch did not start"
	traffic 3
	# Shown means written: wait for the packets of all three exchanges (at least 10), not only the first
	# FIN (under the sanitizers the output can lag the traffic; what is still in the kernel's ring at the
	# signal is not read, as with tcpdump).
	wait_lines "$TMP/$sig.txt" "Flags \[F" 3 || fail "FINs of three connections not seen before SIG$sig"
	wait_lines "$TMP/$sig.txt" "." 10 || fail "ten packets not seen before SIG$sig"
	kill -s "$sig" $sw
	wait_exit $sw 10 || fail "synwatch ignored SIG$sig"
	wait $sw
	rc=$?
	[ $rc -eq 0 ] || fail "synwatch exited $rc after SIG$sig: $(cat "$TMP/$sig.err")"
	got=$(count_pcap "$TMP/$sig.pcap")
	rep=$(written "$TMP/$sig.err")
	[ -n "$rep" ] && [ "$got" -eq "$rep" ] && [ "$got" -ge 10 ] ||
		fail "after SIG$sig tcpdump reads $got packets, synwatch reported '$rep' written"
	tcpdump -r "$TMP/$sig.pcap" > /dev/null 2> "$TMP/$sig.td" || fail "tcpdump cannot read the SIG$sig file: $(cat "$TMP/$sig.td")"
done

# A closed stdout (synwatch | head): quiet exit 0, and the -w file still complete.
( "$SW" -i lo -w "$TMP/pipe.pcap" --text "tcp port $port" 2> "$TMP/pipe.err"; echo $? > "$TMP/pipe.rc" ) | head -n 1 > "$TMP/pipe.txt" &
wait_for "$TMP/pipe.err" "listening on" || fail "synwatch did not start"
traffic 3
n=0
while [ ! -s "$TMP/pipe.rc" ]; do traffic 1; n=$((n + 1)); [ $n -lt 50 ] || fail "synwatch kept running after head exited"; done
[ "$(cat "$TMP/pipe.rc")" -eq 0 ] || fail "closed stdout: exit $(cat "$TMP/pipe.rc"), want 0; $(cat "$TMP/pipe.err")"
grep -qi "error\|broken" "$TMP/pipe.err" && fail "closed stdout printed an error: $(cat "$TMP/pipe.err")"
tcpdump -r "$TMP/pipe.pcap" > /dev/null 2>&1 || fail "tcpdump cannot read the file after a closed stdout"
[ "$(wc -l < "$TMP/pipe.txt")" -eq 1 ] || fail "head saw no line"
echo ok
