# write_kill.sh — a -w capture killed with SIGKILL mid-write still reads back as whole records (no cut last record), pcap and pcapng alike.
. tests/lib.sh
need_cmd tcpdump
need_cmd tshark
G=build/bench/gencap
make --no-print-directory -s "$G" >/dev/null || fail "cannot build $G (make $G)"
"$G" -s 7 -n 200000 -c 2000 -o "$TMP/in.pcap" 2> "$TMP/gen.log" || fail "gencap failed: $(cat "$TMP/gen.log")"

# Kill at different points of the copy: once the output has passed each of these sizes.
for out in out.pcap out.pcapng; do
	for at in 1500000 4000000 9000000; do
		rm -f "$TMP/$out"
		"$SW" -r "$TMP/in.pcap" -w "$TMP/$out" --stats > /dev/null 2> "$TMP/sw.err" &
		pid=$!
		bg_pid $pid
		n=0
		while [ "$(stat -c %s "$TMP/$out" 2>/dev/null || echo 0)" -lt "$at" ]; do
			kill -0 $pid 2>/dev/null || break
			n=$((n + 1))
			[ $n -lt 20000 ] || fail "the output never reached $at bytes"
		done
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		size=$(stat -c %s "$TMP/$out")
		# A SIGKILL can cut the kernel's copy of one write() at a page boundary (the kernel stops a write
		# between pages for a fatal signal), so the final record may be cut: only there. tcpdump (tshark for
		# pcapng) must read every record before it, with no error other than that last record's truncation.
		case $out in
		*.pcapng)
			if ! tshark -r "$TMP/$out" -T fields -e frame.number > /dev/null 2> "$TMP/td.err"; then
				grep -q "cut short in the middle of a packet" "$TMP/td.err" || fail "tshark cannot read the killed pcapng: $(cat "$TMP/td.err")"
			fi ;;
		*)
			if ! tcpdump -r "$TMP/$out" -w /dev/null 2> "$TMP/td.err"; then
				grep -q "truncated dump file" "$TMP/td.err" || fail "tcpdump cannot read the killed capture: $(cat "$TMP/td.err")"
			fi ;;
		esac
		if ! "$SW" -r "$TMP/$out" --stats > /dev/null 2> "$TMP/re.err"; then
			grep -q "is cut short after packet" "$TMP/re.err" || fail "synwatch cannot read it back: $(cat "$TMP/re.err")"
		fi
		echo "$out killed at $size bytes: $(head -n 1 "$TMP/re.err")"
	done
done
echo ok
