#!/bin/sh
# flows_tshark.sh — synwatch's TCP flows and per-packet analysis flags against tshark, on pcaps/ and the corpus.
#
# Checks, for every capture whose link type synwatch decodes:
#  1. the TCP conversations (count, and packets each way) equal tshark's `-z conv,tcp`;
#  2. payload bytes each way per address/port pair equal the sum of tshark's tcp.len;
#  3. per packet, the retransmission family (retransmission, fast, spurious), duplicate ACK, out-of-order
#     and zero-window flags agree with tshark's tcp.analysis.* on at least 99% of TCP packets; every
#     disagreement is listed.
# tshark is told to count only TCP carried directly in one IP header (no tunnels, no ICMP-quoted headers)
# and not to reassemble IP fragments, which is what synwatch tracks.
#
# What it expects of synwatch (`SYNWATCH=path` overrides build/synwatch; FLOWS_FILES=... the captures):
#  `synwatch -r F --flows --json --stats`: one JSON object per flow per line with keys "flow", "proto",
#    "client", "server" ("addr:port", "[v6]:port"), "pkts_c2s", "pkts_s2c", "bytes_c2s", "bytes_s2c", "first";
#  `synwatch -r F --json`: one JSON object per packet per line, in capture order, with "n" (packet number,
#    from 1), and for packets of a flow "flow" and "events" (a list of names such as "retransmission").
# Exit: 0 pass, 1 fail, 77 skip (synwatch not built with --flows yet, or tshark missing).
cd "$(dirname "$0")/../.." || exit 2
SW=${SYNWATCH:-build/synwatch}

if [ ! -x "$SW" ]; then
	echo "flows_tshark: skip: $SW is not built (run make)"
	exit 77
fi
if ! "$SW" --help 2>&1 | grep -q -e '--flows'; then
	echo "flows_tshark: skip: $SW --help does not list --flows yet (flow output not wired into the CLI)"
	exit 77
fi
for tool in tshark tcpdump awk; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "flows_tshark: skip: $tool is not installed (make deps installs it)"
		exit 77
	fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

corpus=""
for d in "${SYNWATCH_CORPUS:-}" ../shared/corpus/well-formed ../../shared/corpus/well-formed; do
	if [ -n "$d" ] && [ -d "$d" ]; then
		corpus=$d
		break
	fi
done

# Only TCP directly in a single IP header: what synwatch's flows are made of.
TFILTER='tcp && !icmp && !icmpv6 && ((ip && !ipv6 && count(ip) == 1) || (ipv6 && !ip && count(ipv6) == 1))'
TSHARK="tshark -n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE"

files=0 conv_fail=0 total_pkts=0 dis_pkts=0
: > "$tmp/disagreements"
: > "$tmp/convdiff"

# FLOWS_FILES replaces the list (other tests check captures they make).
for f in ${FLOWS_FILES:-pcaps/*.pcap pcaps/*.pcapng pcaps/*.pcap.gz ${corpus:+"$corpus"/*}}; do
	[ -f "$f" ] || continue
	lt=$(tcpdump -r "$f" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([A-Za-z0-9_]*\).*/\1/p' | head -n 1)
	case $lt in
	EN10MB | LINUX_SLL | LINUX_SLL2 | NULL | LOOP | RAW | IPV4 | IPV6) ;;
	*)
		echo "  $f: link type ${lt:-unknown} is not decoded by synwatch; skipped"
		continue
		;;
	esac
	files=$((files + 1))
	name=$(basename "$f")

	# --- 1 and 2: conversations ---------------------------------------------------------------------
	if ! "$SW" -r "$f" --flows --json --stats > "$tmp/sw_flows" 2> "$tmp/sw_err"; then
		echo "FAIL $name: synwatch -r --flows --json --stats exited non-zero: $(head -n 1 "$tmp/sw_err")"
		conv_fail=$((conv_fail + 1))
		continue
	fi
	# ours: "lo hi pkts_lo2hi pkts_hi2lo bytes_lo2hi bytes_hi2lo start proto" (endpoints without IPv6 brackets)
	awk -v proto=tcp -f tests/crosscheck/flows.awk "$tmp/sw_flows" | sort -k1,2 -k7,7g > "$tmp/ours"

	# One tshark run: per-packet fields, then the conversation table.
	$TSHARK -r "$f" -Y "$TFILTER" -T fields -E occurrence=f -e frame.number -e ip.src -e ipv6.src \
		-e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.len -e tcp.analysis.retransmission \
		-e tcp.analysis.fast_retransmission -e tcp.analysis.spurious_retransmission \
		-e tcp.analysis.duplicate_ack -e tcp.analysis.out_of_order -e tcp.analysis.zero_window \
		-z "conv,tcp,$TFILTER" > "$tmp/tshark" 2> /dev/null
	awk '/^====/ { exit } { print }' "$tmp/tshark" > "$tmp/tfields"
	# A saved lesson's custom blocks are frames to tshark but hold no packet: number tshark's packets among
	# themselves, as synwatch numbers them.
	case $f in
	*.pcapng)
		$TSHARK -r "$f" -T fields -e frame.encap_type 2> /dev/null | awk -v OFS='\t' '$0 != "" { print NR, ++n }' > "$tmp/fmap"
		awk -F'\t' -v OFS='\t' 'NR == FNR { m[$1] = $2; next } { $1 = m[$1]; print }' "$tmp/fmap" "$tmp/tfields" > "$tmp/tf2"
		mv "$tmp/tf2" "$tmp/tfields"
		;;
	esac

	# tshark: "A <-> B  framesB>A bytes unit  framesA>B bytes unit  total bytes unit  start  duration"
	awk '
	$2 == "<->" {
		a = $1; b = $3; ba = $4; ab = $7; gsub(/,/, "", ba); gsub(/,/, "", ab)
		if (a <= b) print a, b, ab, ba, $(NF - 1)
		else print b, a, ba, ab, $(NF - 1)
	}' "$tmp/tshark" | sort -k1,2 -k5,5g > "$tmp/theirs"

	# rank conversations on the same address/port pair (port reuse) by start time, then compare
	awk '{ k = $1 " " $2; r[k]++; print k, r[k], $3, $4 }' "$tmp/ours" | sort > "$tmp/ours_r"
	awk '{ k = $1 " " $2; r[k]++; print k, r[k], $3, $4 }' "$tmp/theirs" | sort > "$tmp/theirs_r"
	nours=$(wc -l < "$tmp/ours_r")
	ntheirs=$(wc -l < "$tmp/theirs_r")
	if ! cmp -s "$tmp/ours_r" "$tmp/theirs_r"; then
		conv_fail=$((conv_fail + 1))
		{
			echo "$name: TCP conversations differ (synwatch $nours, tshark $ntheirs); lines: A B instance pkts_A>B pkts_B>A"
			diff "$tmp/theirs_r" "$tmp/ours_r" | sed -n 's/^< /  tshark:   /p; s/^> /  synwatch: /p'
		} >> "$tmp/convdiff"
	fi

	# payload bytes each way per address/port pair
	awk -F '\t' '
	{
		s = ($2 != "" ? $2 : $3) ":" $4; d = ($5 != "" ? $5 : $6) ":" $7
		if (s <= d) { k = s " " d; f[k] += $8 } else { k = d " " s; r[k] += $8 }
		seen[k] = 1
	}
	END { for (k in seen) print k, f[k] + 0, r[k] + 0 }' "$tmp/tfields" | sort > "$tmp/tbytes"
	awk '{ k = $1 " " $2; f[k] += $5; r[k] += $6 } END { for (k in f) print k, f[k], r[k] }' "$tmp/ours" |
		sort > "$tmp/obytes"
	if ! cmp -s "$tmp/tbytes" "$tmp/obytes"; then
		conv_fail=$((conv_fail + 1))
		{
			echo "$name: payload bytes each way differ; lines: A B bytes_A>B bytes_B>A"
			diff "$tmp/tbytes" "$tmp/obytes" | sed -n 's/^< /  tshark:   /p; s/^> /  synwatch: /p'
		} >> "$tmp/convdiff"
	fi

	# --- 3: per-packet flags --------------------------------------------------------------------------
	if ! "$SW" -r "$f" --json > "$tmp/sw_pkts" 2> "$tmp/sw_err"; then
		echo "FAIL $name: synwatch -r --json exited non-zero: $(head -n 1 "$tmp/sw_err")"
		conv_fail=$((conv_fail + 1))
		continue
	fi
	# ours: "n flags" where flags is a string of R (retransmission family), D, O, Z (synwatch.awk's last column)
	awk -v analysis=1 -f tests/crosscheck/synwatch.awk "$tmp/sw_pkts" |
		awk -F'|' '{ print $1, (NF > 2 ? $NF : "-") }' > "$tmp/oflags"
	awk -F '\t' '
	{
		fl = ""
		if ($9 != "" || $10 != "" || $11 != "") fl = fl "R"
		if ($12 != "") fl = fl "D"
		if ($13 != "") fl = fl "O"
		if ($14 != "") fl = fl "Z"
		print $1, (fl == "" ? "-" : fl)
	}' "$tmp/tfields" > "$tmp/tflags"
	awk -v name="$name" -v out="$tmp/disagreements" '
	NR == FNR { ours[$1] = $2; next }
	{
		total++
		o = ($1 in ours) ? ours[$1] : "(no packet)"
		if (o != $2) {
			bad++
			printf "  %s packet %s: synwatch %s, tshark %s\n", name, $1, o, $2 >> out
		}
	}
	END { print total + 0, bad + 0 }' "$tmp/oflags" "$tmp/tflags" > "$tmp/count"
	read -r t b < "$tmp/count"
	total_pkts=$((total_pkts + t))
	dis_pkts=$((dis_pkts + b))
done

if [ "$files" -eq 0 ]; then
	echo "flows_tshark: skip: no captures in pcaps/ or the corpus (../shared/corpus/well-formed)"
	exit 77
fi

rc=0
if [ -s "$tmp/convdiff" ]; then
	cat "$tmp/convdiff"
	rc=1
fi
echo "flags (R retransmission family, D dup-ack, O out-of-order, Z zero-window; - none):"
if [ -s "$tmp/disagreements" ]; then
	cat "$tmp/disagreements"
else
	echo "  no disagreements"
fi
# agreement >= 99%: disagreements * 100 <= total
if [ $((dis_pkts * 100)) -gt "$total_pkts" ]; then
	rc=1
fi
echo "flows_tshark: $files captures, $conv_fail conversation/byte mismatches; per-packet flags agree on" \
	"$((total_pkts - dis_pkts)) of $total_pkts TCP packets"
exit $rc
