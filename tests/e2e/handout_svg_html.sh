# handout_svg_html.sh — --graph/--ladder with --svg and --html write handouts that validate (xmllint), render (rsvg-convert: the size the SVG declares, not blank), name the flow and the capture, carry a legend in words; the page opens in headless Chromium without a console error, is not blank, loads nothing from outside, prints on A4 and lists the socket calls of a capture recorded with --events.
. tests/lib.sh
need_cmd xmllint
need_cmd rsvg-convert
need_cmd chromium
[ -x "$SW" ] || fail "$SW not built"

# png_size FILE: "W H" from the PNG header.
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d\n", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}
# svg_size FILE: the root element's width and height.
svg_size() {
	sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$1" | head -n 1
}
# rendered NAME FILE: valid XML, rendered at the size it declares, and far from blank: a white picture of
# that size compresses to a few kB; a drawing to many times that.
rendered() {
	xmllint --noout "$2" 2> "$TMP/xmllint.err" || fail "$1: not well-formed XML: $(head -n 3 "$TMP/xmllint.err")"
	rsvg-convert -o "$TMP/$1.png" "$2" 2> "$TMP/rsvg.err" || fail "$1: rsvg-convert failed: $(cat "$TMP/rsvg.err")"
	want=$(svg_size "$2")
	[ -n "$want" ] || fail "$1: no width and height on the <svg> element"
	[ "$(png_size "$TMP/$1.png")" = "$want" ] || fail "$1: rendered $(png_size "$TMP/$1.png"), the SVG says $want"
	set -- "$1" "$2" $want
	printf '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s"><rect width="%s" height="%s" fill="#fff"/></svg>\n' \
		"$3" "$4" "$3" "$4" > "$TMP/blank.svg"
	rsvg-convert -o "$TMP/blank.png" "$TMP/blank.svg"
	b=$(wc -c < "$TMP/blank.png") g=$(wc -c < "$TMP/$1.png")
	[ "$g" -gt $((b * 5)) ] && [ "$g" -gt 20000 ] || fail "$1: the picture looks blank ($g bytes, blank $b)"
}
# has NAME FILE TEXT...: each TEXT (a fixed string) is in the file.
has() {
	_n=$1 _f=$2
	shift 2
	for _t in "$@"; do
		grep -qF -- "$_t" "$_f" || fail "$_n: '$_t' is missing"
	done
}

# ---- One graph of each kind, of the lossy transfer's client data (the flow with most data: flow 1) ----
for k in tsg throughput rtt inflight; do
	"$SW" -r pcaps/lossy.pcap --graph "$k" --svg "$TMP/$k.svg" > "$TMP/out" 2> "$TMP/err" || fail "--graph $k: $(cat "$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "--graph $k wrote to stdout: $(head -n 2 "$TMP/out")"
	rendered "$k" "$TMP/$k.svg"
	has "$k" "$TMP/$k.svg" "flow 1 tcp 127.0.0.1:" "capture lossy.pcap" "client's data" "<title id=\"graph-title\">"
done
has tsg "$TMP/tsg.svg" ">segment</tspan>" ">retransmission</tspan>" ">ACK</tspan>" ">receive window</tspan>" \
	">SACK block</tspan>" ">duplicate ACK</tspan>" ">zero window</tspan>" ">SYN</tspan>" ">FIN</tspan>" \
	"relative sequence number (MB)" "time since the flow's first packet (ms)"
has throughput "$TMP/throughput.svg" ">bytes sent</tspan>" ">retransmitted</tspan>" "bytes sent per 10 ms (kB)"
has rtt "$TMP/rtt.svg" ">RTT (ACK)</tspan>" ">RTT (timestamp)</tspan>" "round-trip time (ms)"
has inflight "$TMP/inflight.svg" ">bytes in flight</tspan>" ">receive window</tspan>"
# The other direction on request: the server sent no data; the drawing says so instead of being empty.
"$SW" -r pcaps/lossy.pcap --graph inflight:1:s2c --svg "$TMP/s2c.svg" 2> "$TMP/err" || fail "inflight:1:s2c: $(cat "$TMP/err")"
has s2c "$TMP/s2c.svg" "server's data" "no data segments in this direction"
xmllint --noout "$TMP/s2c.svg" || fail "s2c: not well-formed"

# ---- A ladder ----
"$SW" -r pcaps/handshake.pcap --ladder 1 --svg "$TMP/ladder.svg" > "$TMP/out" 2> "$TMP/err" || fail "--ladder 1 --svg: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "--ladder 1 --svg also printed the text ladder"
rendered ladder "$TMP/ladder.svg"
has ladder "$TMP/ladder.svg" "Ladder: flow 1 tcp" "capture handshake.pcap" ">SYN-SENT<" ">UNANSWERED<" ">SYN-RECEIVED<" ">ESTABLISHED<" \
	">TIME-WAIT<" ">S seq 0 win 65495 mss 65495 sackOK TS ws 10<" "a packet, in its direction"
[ "$(grep -c 'class="a-pkt"' "$TMP/ladder.svg")" -eq 11 ] || fail "ladder: $(grep -c 'class="a-pkt"' "$TMP/ladder.svg") arrows, want the 10 packets and the legend's"

# ---- The page of a whole capture, with the socket calls of a capture recorded with --events ----
page=pcaps/lossy.pcap
events=""
if [ "$(id -u)" -eq 0 ] && [ -x "$SD" ]; then
	P=$(free_port)
	chmod 755 "$TMP"
	: > "$TMP/ev.jsonl"
	chmod 666 "$TMP/ev.jsonl"
	"$SW" -w "$TMP/cap.pcap" --events "$TMP/ev.jsonl" --text "tcp port $P" > "$TMP/live" 2> "$TMP/live.err" &
	sw=$!
	bg_pid $sw
	wait_for "$TMP/live.err" 'listening on' 10 || fail "synwatch did not start"
	"$SD" scenario handshake -p "$P" --events "$TMP/ev.jsonl" --no-narrate 2> "$TMP/sd.err" || fail "sockdemo: $(cat "$TMP/sd.err")"
	wait_for "$TMP/live" 'call  client pid [0-9]+: close\(' 10 || fail "the capture did not see the client's close"
	kill -INT $sw
	wait_exit $sw 10 || fail "synwatch did not stop"
	"$SW" -r "$TMP/cap.pcap" --events "$TMP/ev.jsonl" --html "$TMP/calls.html" > "$TMP/out" 2> "$TMP/err" ||
		fail "--html with --events: $(cat "$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "--html printed per-packet lines"
	has calls.html "$TMP/calls.html" "<h3>Socket calls</h3>" "connect(3, {AF_INET, 127.0.0.1:$P}" ">accept" 'class="c-dot"'
	events="$TMP/calls.html"
else
	echo "skipped the page with socket calls: needs root and sockdemo"
fi
"$SW" -r "$page" --html "$TMP/page.html" 2> "$TMP/err" || fail "--html: $(cat "$TMP/err")"
"$SW" -r pcaps/timewait.pcap --html "$TMP/two.html" 2> "$TMP/err" || fail "--html timewait: $(cat "$TMP/err")"
has two "$TMP/two.html" 'href="#flow-1"' 'href="#flow-2"' 'id="flow-1"' 'id="flow-2"' "2 flows"
has page "$TMP/page.html" "<!DOCTYPE html>" "<title>synwatch: lossy.pcap</title>" "@page{size:A4" "@media print" \
	"Client → server data" "Time-sequence of the client" "Throughput of the client" "Round-trip time of the client" \
	"Bytes in flight of the client" "Ladder: flow 1 tcp"
# Self-contained: no scripts, no links, no images or fonts from anywhere; the only URL is SVG's namespace.
for f in "$TMP/page.html" $events; do
	if grep -Eo '(src|href)="[^#"][^"]*"|<script|<link|<iframe|@import|url\([^#)]' "$f" | grep -q .; then
		fail "$f refers to something outside it: $(grep -Eo '(src|href)="[^#"][^"]*"|<script|<link|<iframe|@import|url\([^#)]' "$f" | head -n 3)"
	fi
	[ "$(grep -Eo 'https?://[^"]*' "$f" | sort -u)" = "http://www.w3.org/2000/svg" ] ||
		fail "$f names a URL other than the SVG namespace: $(grep -Eo 'https?://[^"]*' "$f" | sort -u | head -n 3)"
done
# Every inline SVG of the page is well-formed XML on its own.
awk -v dir="$TMP" '/^<svg /{ n++; f = dir "/inline" n ".svg" } f { print > f } /^<\/svg>$/{ close(f); f = "" }' "$TMP/page.html"
[ -f "$TMP/inline5.svg" ] || fail "the page holds fewer than 5 drawings"
for s in "$TMP"/inline*.svg; do
	xmllint --noout "$s" 2> "$TMP/xmllint.err" || fail "$s from the page: $(head -n 2 "$TMP/xmllint.err")"
done

# ---- Chromium, offline: no console message, a picture that is not blank, A4 pages ----
chrome() {
	_prof=$(mktemp -d "$TMP/profile.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--no-first-run --enable-logging=stderr --v=0 --user-data-dir="$_prof" "$@" > "$TMP/chrome.out" 2> "$TMP/chrome.err"
}
# The check itself must see a page's errors: a page with a script error and a missing image.
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body><p>x</p><script>nosuchfunction();</script></body></html>\n' > "$TMP/bad.html"
chrome --screenshot="$TMP/bad.png" "file://$TMP/bad.html"
grep -q 'CONSOLE' "$TMP/chrome.err" || fail "chromium does not report a page's script error; the check below would prove nothing"
for f in "$TMP/page.html" $events; do
	chrome --window-size=1100,3000 --screenshot="$TMP/shot.png" "file://$f" || fail "chromium failed on $f: $(grep -v dbus "$TMP/chrome.err" | tail -n 3)"
	if grep -E 'CONSOLE|net::ERR_|Uncaught' "$TMP/chrome.err"; then
		fail "chromium reported errors on $f"
	fi
	[ -s "$TMP/shot.png" ] || fail "no screenshot of $f"
	[ "$(png_size "$TMP/shot.png")" = "1100 3000" ] || fail "screenshot of $f is $(png_size "$TMP/shot.png")"
	printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' > "$TMP/blank.html"
	cp "$TMP/shot.png" "$TMP/page-shot.png"
	chrome --window-size=1100,3000 --screenshot="$TMP/blankshot.png" "file://$TMP/blank.html"
	[ "$(wc -c < "$TMP/page-shot.png")" -gt $(($(wc -c < "$TMP/blankshot.png") * 10)) ] ||
		fail "the screenshot of $f looks blank ($(wc -c < "$TMP/page-shot.png") bytes, blank $(wc -c < "$TMP/blankshot.png"))"
	chrome --no-pdf-header-footer --print-to-pdf="$TMP/page.pdf" "file://$f" || fail "chromium could not print $f"
	# A4 is 595.28 x 841.89 points; Chromium rounds to its pixel grid.
	boxes=$(grep -ao 'MediaBox \[[^]]*\]' "$TMP/page.pdf" | sort -u)
	[ -n "$boxes" ] || fail "no pages in the PDF of $f"
	printf '%s\n' "$boxes" | awk '{ w = $4; h = $5; sub(/\]/, "", h); if (w < 594 || w > 596 || h < 841 || h > 843) bad = 1 } END { exit bad }' ||
		fail "$f does not print on A4: $boxes"
done

# ---- Bad input: one line, the documented status, nothing written ----
# After reading a capture synwatch closes with tcpdump's "N packets read from F": not an error line.
expect_exit() {
	_want=$1 _pat=$2
	shift 2
	"$@" > "$TMP/out" 2> "$TMP/err.all"
	_got=$?
	grep -Ev '^[0-9]+ packets read from ' "$TMP/err.all" > "$TMP/err"
	[ "$_got" -eq "$_want" ] || fail "'$*' exited $_got, want $_want; stderr: $(cat "$TMP/err.all")"
	grep -Eq -e "$_pat" "$TMP/err" || fail "'$*' stderr does not match /$_pat/: $(cat "$TMP/err.all")"
	[ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "'$*' printed $(wc -l < "$TMP/err") error lines: $(cat "$TMP/err.all")"
}
expect_exit 2 "no flow 7 to draw; list them with --flows" "$SW" -r pcaps/handshake.pcap --ladder 7 --svg "$TMP/no.svg"
[ ! -e "$TMP/no.svg" ] || fail "a missing flow left a file"
expect_exit 2 "flow 1 is udp: --graph draws TCP flows" "$SW" -r pcaps/udp.pcap --graph tsg:1 --svg "$TMP/no.svg"
expect_exit 2 "no TCP flow in the capture to draw" "$SW" -r pcaps/udp.pcap --graph rtt --svg "$TMP/no.svg"
expect_exit 2 "--graph takes KIND\[:FLOW\[:DIR\]\]: .*got: speed" "$SW" -r pcaps/handshake.pcap --graph speed --svg "$TMP/no.svg"
expect_exit 6 "cannot write '$TMP/nodir/x.svg': No such file or directory" "$SW" -r pcaps/handshake.pcap --graph tsg --svg "$TMP/nodir/x.svg"
expect_exit 6 "cannot write '$TMP': it is a directory" "$SW" -r pcaps/handshake.pcap --html "$TMP"
# A file that cannot be completed (past ulimit -f) is not left half-written, nor its temp file.
expect_exit 6 "cannot write '$TMP/big.html': File too large; nothing was written" sh -c "ulimit -f 16; exec \"\$0\" \"\$@\"" \
	"$SW" -r pcaps/lossy.pcap --html "$TMP/big.html"
[ -z "$(ls -A "$TMP" | grep -E '^\.?(no\.svg|big\.html)')" ] || fail "left behind: $(ls -A "$TMP" | grep -E 'no\.svg|big\.html')"
# The capture files' own errors come first, before any file is made.
expect_exit 3 "cannot read capture" "$SW" -r "$TMP/missing.pcap" --html "$TMP/never.html"
[ ! -e "$TMP/never.html" ] || fail "--html file made although the capture could not be read"
echo ok
