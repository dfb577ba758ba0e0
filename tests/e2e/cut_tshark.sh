#!/bin/sh
# cut_tshark.sh — snaplen-cut copies (editcap -s 54, 60, 68, 96) of every capture the tshark cross-check reads: synwatch agrees with tshark on each cut file, packet by packet, and keeps the uncut file's flow table where the cut holds the ports.
#
# For every capture of tests/crosscheck/lib.sh's list and every cut size:
#  1. Per packet, tshark.awk's and synwatch.awk's columns with -v analysis=1 (ports, flags, raw and relative
#     seq/ack, window, payload length, options, ICMP, and the analysis flags R/D/O/Z) on the cut file. Where
#     tshark gives a value, synwatch's must be the same. Where tshark gives none (it decodes nothing of a
#     TCP header cut before its 20 bytes, nor a UDP length it did not capture), synwatch's must be none or
#     what synwatch says on the uncut file (which tshark_crosscheck checks against tshark): a length from
#     the IP header, fields captured before the cut. Its analysis flags there may only be fewer than on
#     the uncut file: nothing is invented from a missing length. The few places where the two show a cut
#     differently are named in agree() below. At least 99% of the packets agree in every column, as
#     flows_tshark asks of the full files; every disagreement is listed.
#  2. When the cut left every tracked packet tracked (the same packets_tracked), the flow table (flows,
#     packets each way, first packet) equals the uncut file's; and when every packet that had a payload
#     length still has one, the payload bytes each way too.
# tshark takes about half a second to start, so it runs once per cut size on all the cut files put end to
# end in one pcapng (mergecap -a), in batches with no TCP address/port pair in two captures (its analysis
# would join them); frame numbers are mapped back to each capture by its packet count. synwatch runs once
# per file; the awk scripts once per cut size over all of them (-v tagged=1).
. tests/lib.sh
need_cmd tshark
need_cmd editcap
need_cmd mergecap
. tests/crosscheck/lib.sh
SIZES=${CUT_SIZES:-54 60 68 96}
XC=$PWD/tests/crosscheck
crosscheck_captures ../shared/corpus > "$TMP/files"
[ -s "$TMP/files" ] || skip "no captures to compare"

# capture_format FILE: editcap's name for FILE's own format (by its magic number), so that a cut copy is
# read the way the original is.
capture_format() {
	case $(od -An -tx1 -N4 "$1" | tr -d ' \n') in
	a1b2c3d4 | d4c3b2a1) echo pcap ;;
	a1b23c4d | 4d3cb2a1) echo nsecpcap ;;
	*) echo pcapng ;;
	esac
}

# synwatch_all DIR: synwatch --json --flows on each capture DIR/cap/I into DIR/I; then, over all of them,
# DIR/rows (synwatch.awk, "I|n|..."), DIR/flows (flows.awk, "I lo hi ..."), DIR/tracked ("I packets").
synwatch_all() {
	while read -r i n f; do
		"$SW" -r "$1/cap/$i" --json --flows --max-flows 65536 > "$1/$i" 2> "$TMP/err" ||
			fail "$f (as $1/cap/$i): synwatch exited $?: $(head -n 1 "$TMP/err")"
	done < "$TMP/counts"
	(
		cd "$1" || exit 1
		set -- $(awk '{ print $1 }' "$TMP/counts")
		awk -v analysis=1 -v tagged=1 -f "$XC/synwatch.awk" "$@" > rows
		awk -v tagged=1 -f "$XC/flows.awk" "$@" > flows
		awk '/^\{"summary"/ { sub(/.*"packets_tracked":/, ""); print FILENAME, $0 + 0 }' "$@" > tracked
	)
}

# ---- the uncut captures ----------------------------------------------------------------------------
mkdir -p "$TMP/u/cap"
i=0
: > "$TMP/counts"
while read -r f; do
	i=$((i + 1))
	# Packets in the capture (tshark's frame numbers are mapped back by them); a capture without packets
	# has nothing to cut (and editcap writes an empty pcapng without its IDB).
	n=$("$SW" -r "$f" --stats 2>&1 >/dev/null | sed -n 's/^\([0-9]*\) packets read.*/\1/p')
	[ "${n:-0}" -gt 0 ] || continue
	echo "$i $n $f" >> "$TMP/counts"
	ln -s "$PWD/$f" "$TMP/u/cap/$i"
done < "$TMP/files"
synwatch_all "$TMP/u"

# Batches for tshark: a capture joins the first batch holding none of its TCP address/port pairs.
awk '$9 == "tcp" { print $1, $2 "-" $3 }' "$TMP/u/flows" > "$TMP/pairs"
awk '
	FILENAME ~ /pairs$/ { p[$1] = p[$1] " " $2; next }
	{
		n = split(p[$1], a, " ")
		for (b = 1; ; b++) {
			clash = 0
			for (k = 1; k <= n; k++) if ((b SUBSEP a[k]) in used) clash = 1
			if (!clash) break
		}
		for (k = 1; k <= n; k++) used[b, a[k]] = 1
		print $1, b
	}' "$TMP/pairs" "$TMP/counts" > "$TMP/batch"

total=0 bad=0 flow_full=0 flow_nobytes=0 flow_skip=0 flow_bad=0
: > "$TMP/report"
for s in $SIZES; do
	# ---- cut copies, synwatch on each --------------------------------------------------------------
	rm -rf "$TMP/c"
	mkdir -p "$TMP/c/cap"
	while read -r i n f; do
		editcap -F "$(capture_format "$f")" -s "$s" "$f" "$TMP/c/cap/$i" 2> "$TMP/err" ||
			fail "editcap -s $s $f: $(head -n 1 "$TMP/err")"
	done < "$TMP/counts"
	synwatch_all "$TMP/c"

	# ---- tshark, one run per batch; frame numbers back to (capture, packet) ------------------------
	: > "$TMP/t.rows"
	for b in $(awk '{ print $2 }' "$TMP/batch" | sort -un); do
		members=$(awk -v b="$b" '$2 == b { print $1 }' "$TMP/batch")
		# shellcheck disable=SC2046
		mergecap -a -F pcapng -w "$TMP/merged.pcapng" $(for i in $members; do echo "$TMP/c/cap/$i"; done) \
			2> "$TMP/err" || fail "mergecap of the captures cut at $s: $(head -n 1 "$TMP/err")"
		# shellcheck disable=SC2086
		tshark $TSHARK_OPTS -r "$TMP/merged.pcapng" $TSHARK_FIELDS 2> /dev/null |
			awk -v analysis=1 -f "$XC/tshark.awk" |
			awk -F'|' -v members="$members" -v counts="$TMP/counts" '
			BEGIN {
				while ((getline l < counts) > 0) { split(l, a, " "); cnt[a[1]] = a[2] }
				m = split(members, mi, "\n")
				for (k = 1; k <= m; k++) { first[k] = off; off += cnt[mi[k]] }
				k = 1
			}
			{
				while (k < m && $1 > first[k + 1]) k++
				$1 = $1 - first[k]
				print mi[k] "|" $0
			}' OFS='|' >> "$TMP/t.rows"
	done

	# ---- 1: packets ------------------------------------------------------------------------------------
	awk -F'|' -v size="$s" -v counts="$TMP/counts" -v report="$TMP/report" '
	BEGIN {
		while ((getline l < counts) > 0) { split(l, a, " "); name[a[1]] = a[3]; cnt[a[1]] = a[2] }
		split("file n proto src dst sport dport flags seq ack win payload mss wscale tsval tsecr itype icode isrc idst isport idport ipopt ipoptptr rseq rack events", col, " ")
	}
	FILENAME ~ /\/u\/rows$/ { u[$1, $2] = $0; next }
	FILENAME ~ /\/c\/rows$/ { c[$1, $2] = $0; next }
	# Every letter of a is in b.
	function subset(a, b,    i) {
		if (a == "-") return 1
		for (i = 1; i <= length(a); i++) if (index(b, substr(a, i, 1)) == 0) return 0
		return 1
	}
	# Column j agrees: t is the row of tshark, c the row of synwatch on the cut file, u on the uncut one.
	function agree(j, t, c, u) {
		if (t[j] == "-") {
			# tshark knows nothing here: synwatch knows nothing either, or what it knows uncut; its
			# analysis flags only fewer than uncut.
			return c[j] == "-" || (col[j] == "events" ? subset(c[j], u[j]) : c[j] == u[j])
		}
		if (c[j] == t[j])
			return 1
		# The transport header lies beyond the cut IP options: tshark names no transport ("other"),
		# synwatch the protocol of the IP header, and neither decodes any of it.
		if (col[j] == "proto" && t[j] == "other" && c[j] == u[j] && c[6] == "-" && c[12] == "-")
			return 1
		# An option the cut went through: tshark shows the fields of it that were captured, synwatch
		# lists only the options captured whole.
		if (col[j] ~ /^(mss|wscale|tsval|tsecr)$/ && c[j] == "-" && t[j] == u[j])
			return 1
		# A quoted IP header cut before its destination: tshark shows its source, synwatch none of it.
		if (col[j] == "isrc" && c[j] == "-" && t[j + 1] == "-")
			return 1
		return 0
	}
	{
		seen[$1]++
		if ($3 == "skip") next
		total++
		key = $1 SUBSEP $2
		if (!(key in c)) { bad++; printf "  %s cut at %s, packet %s: tshark has it, synwatch does not\n", name[$1], size, $2 >> report; next }
		nt = split($0, t, "|"); split(c[key], cs, "|"); split(u[key], us, "|")
		why = ""
		# An IP header cut before its destination address: tshark shows what it holds, synwatch decodes
		# nothing of an IP header it does not have whole.
		if (!(cs[3] == "none" && us[3] != "none" && t[3] != "none" && t[5] == "-"))
			for (j = 3; j <= nt; j++)
				if (!agree(j, t, cs, us))
					why = why sprintf(" %s: tshark %s, synwatch %s (uncut %s);", col[j], t[j], cs[j], us[j])
		if (why != "") { bad++; printf "  %s cut at %s, packet %s:%s\n", name[$1], size, $2, why >> report }
	}
	END {
		for (i in cnt) if (seen[i] + 0 != cnt[i]) {
			bad++; printf "  %s cut at %s: tshark has %d packets, synwatch %d\n", name[i], size, seen[i], cnt[i] >> report
		}
		print total + 0, bad + 0
	}' "$TMP/u/rows" "$TMP/c/rows" "$TMP/t.rows" > "$TMP/count"
	read -r t b < "$TMP/count"
	total=$((total + t))
	bad=$((bad + b))

	# ---- 2: flow tables ----------------------------------------------------------------------------
	awk -v size="$s" -v counts="$TMP/counts" -v report="$TMP/report" '
	BEGIN { while ((getline l < counts) > 0) { split(l, a, " "); name[a[1]] = a[3] } }
	FILENAME ~ /\/u\/tracked$/ { ut[$1] = $2; next }
	FILENAME ~ /\/c\/tracked$/ { ct[$1] = $2; next }
	FILENAME ~ /\/u\/rows$/ { split($0, r, "|"); if (r[12] != "-") upay[r[1]] = upay[r[1]] " " r[2]; next }
	FILENAME ~ /\/c\/rows$/ { split($0, r, "|"); if (r[12] != "-") cpay[r[1], r[2]] = 1; next }
	# flows.awk lines after the capture number: lo hi pkts pkts bytes bytes first proto
	FILENAME ~ /\/u\/flows$/ { uf[$1] = uf[$1] "\n      " $0; ub[$1] = ub[$1] "\n      " $1 " " $2 " " $3 " " $4 " " $5 " " $8 " " $9; next }
	FILENAME ~ /\/c\/flows$/ { cf[$1] = cf[$1] "\n      " $0; cb[$1] = cb[$1] "\n      " $1 " " $2 " " $3 " " $4 " " $5 " " $8 " " $9; next }
	END {
		for (i in ut) {
			if (ut[i] != ct[i]) { skip++; continue }
			held = 1
			n = split(upay[i], p, " ")
			for (k = 1; k <= n; k++) if (!((i, p[k]) in cpay)) held = 0
			if (held ? uf[i] != cf[i] : ub[i] != cb[i]) {
				fbad++
				printf "  %s cut at %s: flow table (%s) differs from the uncut one:\n    uncut:%s\n    cut:%s\n", name[i], size,
					held ? "flows, packets and bytes" : "flows and packets", held ? uf[i] : ub[i], held ? cf[i] : cb[i] >> report
			}
			if (held) full++; else nobytes++
		}
		print full + 0, nobytes + 0, skip + 0, fbad + 0
	}' "$TMP/u/tracked" "$TMP/c/tracked" "$TMP/u/rows" "$TMP/c/rows" "$TMP/u/flows" "$TMP/c/flows" > "$TMP/count"
	read -r a b c d < "$TMP/count"
	flow_full=$((flow_full + a)) flow_nobytes=$((flow_nobytes + b)) flow_skip=$((flow_skip + c)) flow_bad=$((flow_bad + d))
done

echo "cut at $SIZES, $(wc -l < "$TMP/counts") captures: packets agree with tshark on $((total - bad)) of $total"
echo "flow tables equal to the uncut file's: compared $((flow_full + flow_nobytes)) ($flow_full with payload bytes," \
	"$flow_nobytes without: a TCP data offset cut), not compared $flow_skip (ports cut), $flow_bad differ"
if [ -s "$TMP/report" ]; then
	echo "disagreements (columns as tshark.awk names them):"
	cat "$TMP/report"
fi
[ "$flow_bad" -eq 0 ] || exit 1
# agreement >= 99%: disagreements * 100 <= total
[ "$total" -gt 0 ] && [ $((bad * 100)) -le "$total" ]
