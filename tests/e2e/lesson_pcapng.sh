# lesson_pcapng.sh — a lesson recorded live (-w LESSON.pcapng with --events) for the handshake, refused, reset,
# half-close and UDP scenarios: tshark reads it with no warning and shows each packet's comment as synwatch
# wrote it (the SYN's names connect(), a refused connect() its ECONNREFUSED); `-r` of the file alone (no
# events file, no root needed) gives the live text timeline line for line, and the same JSON as replaying
# the pcapng with the events file beside it.
. tests/lib.sh
need_root
need_cmd tshark
[ -x "$SD" ] || fail "$SD is missing; run make"
chmod 755 "$TMP"

# tshark's complaints, without its note about running as root.
tshark_errors() { grep -v '^Running as user "root"' "$1"; }

for sc in handshake refused reset halfclose udp; do
	P=$(free_port)
	L="$TMP/$sc.pcapng"
	: > "$TMP/$sc.ev"
	chmod 666 "$TMP/$sc.ev"
	$SW -w "$L" --events "$TMP/$sc.ev" --text "port $P" > "$TMP/$sc.live" 2> "$TMP/$sc.live.err" &
	SWPID=$!
	bg_pid $SWPID
	wait_for "$TMP/$sc.live.err" 'listening on' 10 || fail "$sc: synwatch did not start"
	$SD scenario "$sc" -p "$P" --events "$TMP/$sc.ev" --no-narrate 2> "$TMP/$sc.sd.err" ||
		fail "$sc: sockdemo failed: $(cat "$TMP/$sc.sd.err")"
	wait_lines "$TMP/$sc.live" ' call ' "$(wc -l < "$TMP/$sc.ev")" 10 || fail "$sc: the live view did not show every call"
	kill -INT $SWPID
	wait_exit $SWPID 10 || fail "$sc: synwatch did not stop on SIGINT"
	wait $SWPID || fail "$sc: synwatch exited $?: $(cat "$TMP/$sc.live.err")"
	grep -qE "^[0-9]+ packets written to $L$" "$TMP/$sc.live.err" || fail "$sc: no count of packets written: $(cat "$TMP/$sc.live.err")"

	# tshark reads the whole file with no error or warning, and the file is pcapng with synwatch's section.
	tshark -r "$L" > "$TMP/$sc.tshark" 2> "$TMP/$sc.tshark.err" || fail "$sc: tshark cannot read the lesson: $(cat "$TMP/$sc.tshark.err")"
	[ -z "$(tshark_errors "$TMP/$sc.tshark.err")" ] || fail "$sc: tshark warns: $(tshark_errors "$TMP/$sc.tshark.err")"
	capinfos -t -k "$L" 2>/dev/null | grep -q 'pcapng' || fail "$sc: capinfos does not see a pcapng file"
	capinfos "$L" 2>/dev/null | grep -q 'Capture application: *synwatch ' || fail "$sc: the section header does not name synwatch"
	capinfos "$L" 2>/dev/null | grep -q 'Number of stat entries = 1' || fail "$sc: no interface statistics block at the end"

	# Each packet's comment as tshark shows it equals the one synwatch wrote (read back by our own reader).
	tshark -r "$L" -Y 'tcp or udp or icmp' -T fields -e frame.comment 2>/dev/null > "$TMP/$sc.tcom"
	$SW -r "$L" --json 2>/dev/null | grep '^{"n":' | sed -E 's/.*"comment":"([^"]*)".*/\1/' > "$TMP/$sc.ocom"
	[ -s "$TMP/$sc.ocom" ] || fail "$sc: no packet read back"
	diff -u "$TMP/$sc.ocom" "$TMP/$sc.tcom" >&2 || fail "$sc: tshark's frame.comment differs from what synwatch wrote"
	[ "$(wc -l < "$TMP/$sc.tcom")" -eq "$(grep -c ' IP6\? ' "$TMP/$sc.live")" ] ||
		fail "$sc: $(wc -l < "$TMP/$sc.tcom") packets in the file, $(grep -c ' IP6\? ' "$TMP/$sc.live") shown live"
	case $sc in
	refused) want='^connect\(\) by client pid [0-9]+ \(failed: ECONNREFUSED\); client CLOSED→SYN-SENT$' ;;
	udp) want='^sendto\(\) by client pid [0-9]+$' ;;
	*) want='^connect\(\) by client pid [0-9]+; client CLOSED→SYN-SENT$' ;;
	esac
	head -n 1 "$TMP/$sc.tcom" | grep -qE "$want" || fail "$sc: the first packet's comment is '$(head -n 1 "$TMP/$sc.tcom")', want /$want/"
	case $sc in
	refused) grep -qE '^no call: sent by the server.s kernel; client SYN-SENT→CLOSED' "$TMP/$sc.tcom" || fail "refused: no comment on the RST" ;;
	reset) grep -qE '^close\(\) by client pid [0-9]+; client ESTABLISHED→CLOSED' "$TMP/$sc.tcom" || fail "reset: the RST's comment does not name close()" ;;
	halfclose) grep -qE '^shutdown\(\) by client pid [0-9]+; client ESTABLISHED→FIN-WAIT-1' "$TMP/$sc.tcom" || fail "halfclose: the FIN's comment does not name shutdown()" ;;
	esac

	# Replay from the file alone: the live text timeline (calls, packets) line for line.
	$SW -r "$L" > "$TMP/$sc.replay" 2> "$TMP/$sc.replay.err" || fail "$sc: replay failed: $(cat "$TMP/$sc.replay.err")"
	diff -u "$TMP/$sc.live" "$TMP/$sc.replay" >&2 || fail "$sc: the replayed lesson differs from the live timeline"
	n=$(grep -c ' call ' "$TMP/$sc.replay")
	[ "$n" -eq "$(wc -l < "$TMP/$sc.ev")" ] || fail "$sc: replay shows $n calls, sockdemo made $(wc -l < "$TMP/$sc.ev")"
	grep -qE "^$n socket calls shown$" "$TMP/$sc.replay.err" || fail "$sc: the replay does not count its calls: $(cat "$TMP/$sc.replay.err")"
	# JSON: the lesson's own calls give what the events file gives beside the same packets.
	$SW -r "$L" --json > "$TMP/$sc.rj" 2>/dev/null
	$SW -r "$L" --events "$TMP/$sc.ev" --json > "$TMP/$sc.ej" 2>/dev/null
	diff -u "$TMP/$sc.ej" "$TMP/$sc.rj" >&2 || fail "$sc: the lesson's JSON differs from the events file's"
	echo "$sc: $n calls and $(wc -l < "$TMP/$sc.tcom") commented packets replayed as live"
done
