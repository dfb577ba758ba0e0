/* test_decode_app.c — DNS, HTTP and ARP summaries: decoded through the cursor, every cut and bad field caught, shown as tcpdump writes them. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static struct packet pkt;
static char text[16384], json[16384], details[16384];

/* ---- DNS ----------------------------------------------------------------------------------------- */

/* A DNS message being built after a UDP or TCP header. */
static void dns_header(struct pb *p, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	pb_be16(p, id);
	pb_be16(p, flags);
	pb_be16(p, qd);
	pb_be16(p, an);
	pb_be16(p, ns);
	pb_be16(p, ar);
}

/* "www.example.com." as labels. */
static void dns_www(struct pb *p)
{
	pb_bytes(p, "\3www\7example\3com", 16);
	pb_u8(p, 0);
}

/* An EDNS OPT record (RFC 6891): root name, type 41, payload size 1232, ext-rcode hi. */
static void dns_opt(struct pb *p, uint8_t rcode_hi)
{
	pb_u8(p, 0);
	pb_be16(p, 41);
	pb_be16(p, 1232);
	pb_be32(p, (uint32_t)rcode_hi << 24);
	pb_be16(p, 0);
}

/* Ethernet + IPv4 + UDP sport > dport around the message bytes msg[0..n); UDP at 34, message at 42. */
static void udp_msg(struct pb *p, uint16_t sport, uint16_t dport, const struct pb *msg)
{
	p->n = 0;
	pb_eth(p, 0x0800);
	size_t ip = pb_ipv4(p, 17, LO4, LO4B, 0);
	pb_udp(p, sport, dport, (uint16_t)msg->n);
	pb_bytes(p, msg->b, msg->n);
	pb_ipv4_end(p, ip);
}

/* Ethernet + IPv4 + TCP (PSH+ACK) sport > dport carrying payload[0..n); payload at 54. */
static void tcp_payload(struct pb *p, uint16_t sport, uint16_t dport, const void *payload, size_t n)
{
	p->n = 0;
	pb_eth(p, 0x0800);
	size_t ip = pb_ipv4(p, 6, LO4, LO4B, 0);
	pb_tcp(p, sport, dport, 1000, 2000, TCP_PSH | TCP_ACK, 512, NULL, 0);
	pb_bytes(p, payload, n);
	pb_ipv4_end(p, ip);
}

/* Decode b (caplen of it captured) and make the text, JSON and details of it. */
static void show(const struct pb *p, size_t caplen)
{
	uint8_t *buf = decode_copy(&pkt, LT_EN10MB, p->b, caplen, p->n);
	pb_view_lines(&pkt, text, json, sizeof text);
	pb_details(&pkt, details, sizeof details);
	free(buf);
}

#define HAS(s, sub)                                                                                       \
	do {                                                                                              \
		if (!strstr((s), (sub)))                                                                  \
			fprintf(stderr, "\n  missing \"%s\" in:\n  %s\n", (sub), (s));                    \
		CU_ASSERT_PTR_NOT_NULL(strstr((s), (sub)));                                               \
	} while (0)

static void test_dns_query_is_shown_as_tcpdump_does(void)
{
	struct pb m = { .n = 0 }, p;
	dns_header(&m, 0x1234, 0x0100, 1, 0, 0, 1); /* RD, one question, an OPT */
	dns_www(&m);
	pb_be16(&m, 1);
	pb_be16(&m, 1);
	dns_opt(&m, 0);
	udp_msg(&p, 40000, 53, &m);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.app.kind, APP_DNS);
	CU_ASSERT_EQUAL(pkt.app.u.dns.qtype, 1);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:53: UDP, length 44: 4660+ [1au] A? www.example.com.\n");
	HAS(json, "\"payload\":44,\"app\":\"dns\",\"dns_id\":4660,\"dns_response\":false,\"dns_flags\":256,\"dns_opcode\":0,"
		  "\"dns_qd\":1,\"dns_an\":0,\"dns_ns\":0,\"dns_ar\":1,\"dns_qname\":\"www.example.com.\",\"dns_qtype\":1,"
		  "\"dns_qclass\":1}");
	HAS(details, "DNS: 4660+ [1au] A? www.example.com.\n");
	HAS(details, "  question: www.example.com. type 1 A, class 1 IN\n");
	/* Not port 53: no summary. */
	udp_msg(&p, 40000, 5300, &m);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.app.kind, APP_NONE);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:5300: UDP, length 44\n");
}

/* A record of class IN: its owner name as a compression pointer to `owner`, type, TTL and data. */
static void dns_rr(struct pb *m, uint8_t owner, uint16_t type, uint32_t ttl, const void *data, uint16_t len)
{
	const uint8_t ptr[2] = { 0xc0, owner };
	pb_bytes(m, ptr, 2);
	pb_be16(m, type);
	pb_be16(m, 1);
	pb_be32(m, ttl);
	pb_be16(m, len);
	pb_bytes(m, data, len);
}

/* The response to that query: www.example.com. CNAME example.com. (compressed), A, AAAA, MX, TXT. */
static void dns_response(struct pb *m, uint16_t flags, uint8_t rcode_hi)
{
	m->n = 0;
	dns_header(m, 0x1234, flags, 1, 5, 0, 1);
	dns_www(m); /* at 12; "example.com." at 16 */
	pb_be16(m, 1);
	pb_be16(m, 1);
	static const uint8_t ptr_ex[2] = { 0xc0, 16 }, mx[9] = { 0, 10, 4, 'm', 'a', 'i', 'l', 0xc0, 16 };
	dns_rr(m, 12, 5, 300, ptr_ex, 2);
	dns_rr(m, 16, 1, 60, LO4, 4);
	dns_rr(m, 16, 28, 60, LO6, 16);
	dns_rr(m, 16, 15, 60, mx, 9);             /* MX 10 mail.example.com. */
	dns_rr(m, 16, 16, 60, "\3v=1\3a\"b", 8); /* TXT "v=1" "a\"b" */
	dns_opt(m, rcode_hi);
}

static void test_dns_response_with_compressed_names_lists_its_answers(void)
{
	struct pb m, p;
	dns_response(&m, 0x8580, 0); /* QR, AA, RD, RA */
	udp_msg(&p, 53, 40000, &m);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.app.u.dns.nan, 5);
	HAS(text, ": 4660* 5/0/1 CNAME example.com., A 127.0.0.1, AAAA ::1, MX mail.example.com. 10, TXT \"v=1\" "
		  "\"a\\\"b\"\n");
	HAS(json, "\"dns_response\":true,\"dns_flags\":34176,\"dns_opcode\":0,\"dns_rcode\":0,");
	HAS(json, "\"dns_answers\":[{\"name\":\"www.example.com.\",\"type\":5,\"class\":1,\"ttl\":300,"
		  "\"data\":\"example.com.\"},{\"name\":\"example.com.\",\"type\":1,\"class\":1,\"ttl\":60,"
		  "\"data\":\"127.0.0.1\"},{\"name\":\"example.com.\",\"type\":28,\"class\":1,\"ttl\":60,\"data\":\"::1\"},"
		  "{\"name\":\"example.com.\",\"type\":15,\"class\":1,\"ttl\":60,\"data\":\"mail.example.com.\",\"pref\":10},"
		  "{\"name\":\"example.com.\",\"type\":16,\"class\":1,\"ttl\":60}]");
	HAS(details, "  answer: www.example.com. CNAME example.com. (ttl 300)\n");
	HAS(details, "  answer: example.com. A 127.0.0.1 (ttl 60)\n");
	HAS(details, "  rcode 0 (no error)\n");
}

static void test_dns_rcode_takes_the_edns_upper_bits(void)
{
	struct pb m, p;
	dns_response(&m, 0x8183, 0); /* QR, RD, RA, NXDomain */
	udp_msg(&p, 53, 40000, &m);
	show(&p, p.n);
	HAS(text, ": 4660 NXDomain 5/0/1 CNAME");
	HAS(json, "\"dns_rcode\":3,");
	dns_response(&m, 0x8187, 1); /* header 7, EDNS 1: 23 BADCOOKIE (RFC 7873) */
	udp_msg(&p, 53, 40000, &m);
	show(&p, p.n);
	HAS(text, ": 4660 BadCookie 5/0/1 CNAME");
	HAS(json, "\"dns_rcode\":23,");
	HAS(details, "  rcode 23 BadCookie (extended by EDNS)\n");
}

/* A message whose first question's name is the given bytes (then type A, class IN). */
static void dns_bad_name(struct pb *p, const void *name, size_t n)
{
	struct pb m = { .n = 0 };
	dns_header(&m, 7, 0x0100, 1, 0, 0, 0);
	pb_bytes(&m, name, n);
	pb_be16(&m, 1);
	pb_be16(&m, 1);
	udp_msg(p, 40000, 53, &m);
}

/* The packet shown last is invalid at layer, for field. */
static void expect_invalid(enum layer_id layer, const char *field)
{
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_EQUAL(pkt.bad_layer, layer);
	if (!pkt.bad_field || strcmp(pkt.bad_field, field) != 0)
		fprintf(stderr, "\n  bad field \"%s\", expected \"%s\"\n", pkt.bad_field ? pkt.bad_field : "", field);
	CU_ASSERT_STRING_EQUAL(pkt.bad_field ? pkt.bad_field : "", field);
}

static void expect_invalid_dns(const struct pb *p, const char *field)
{
	show(p, p->n);
	expect_invalid(LAYER_DNS, field);
	char want[128];
	snprintf(want, sizeof want, ": 7+ [invalid dns: %s]\n", field);
	HAS(text, want);
}

static void test_dns_name_loops_and_limits_are_invalid(void)
{
	struct pb p;
	static const uint8_t self[2] = { 0xc0, 12 };            /* points at itself */
	static const uint8_t forward[2] = { 0xc0, 40 };         /* points ahead */
	static const uint8_t loop[4] = { 1, 'a', 0xc0, 12 };    /* "a" then back to its own start */
	static const uint8_t ext[2] = { 0x41, 0 };              /* label type 01 */
	dns_bad_name(&p, self, sizeof self);
	expect_invalid_dns(&p, "compression pointer does not point back");
	dns_bad_name(&p, forward, sizeof forward);
	expect_invalid_dns(&p, "compression pointer does not point back");
	dns_bad_name(&p, loop, sizeof loop);
	expect_invalid_dns(&p, "compression pointer does not point back");
	dns_bad_name(&p, ext, sizeof ext);
	expect_invalid_dns(&p, "label type");
	/* 5 labels of 63: 5 * 64 + 1 = 321 octets, more than 255 */
	uint8_t big[5 * 64 + 1];
	for (int i = 0; i < 5; i++) {
		big[i * 64] = 63;
		memset(big + i * 64 + 1, 'x', 63);
	}
	big[5 * 64] = 0;
	dns_bad_name(&p, big, sizeof big);
	expect_invalid_dns(&p, "name longer than 255 octets");
	/* 4 labels of 63 = 257 octets: too long; 3 of 63 and one of 61 = 255: the longest name */
	dns_bad_name(&p, big + 64, 4 * 64 + 1);
	expect_invalid_dns(&p, "name longer than 255 octets");
	big[64 + 3 * 64] = 61;
	memmove(big + 64 + 3 * 64 + 62, big + 5 * 64, 1);
	dns_bad_name(&p, big + 64, 3 * 64 + 62 + 1);
	show(&p, p.n);
	if (pkt.status != DEC_OK)
		fprintf(stderr, "\n  255-octet name: %s\n", text);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	/* the same name with a space and a dot in a label: escaped as RFC 1035 §5.1 writes them */
	static const uint8_t odd[8] = { 3, 'a', ' ', '.', 2, 'b', '\\', 0 };
	dns_bad_name(&p, odd, sizeof odd);
	show(&p, p.n);
	HAS(text, ": 7+ A? a\\032\\..b\\\\.\n");
	HAS(json, "\"dns_qname\":\"a\\\\032\\\\..b\\\\\\\\.\"");
}

static void test_dns_counts_beyond_the_message_are_invalid_and_cuts_truncated(void)
{
	struct pb m = { .n = 0 }, p;
	dns_header(&m, 7, 0x8180, 1, 2, 0, 0); /* two answers announced, one present */
	dns_www(&m);
	pb_be16(&m, 1);
	pb_be16(&m, 1);
	static const uint8_t ptr[2] = { 0xc0, 12 };
	pb_bytes(&m, ptr, 2);
	pb_be16(&m, 1);
	pb_be16(&m, 1);
	pb_be32(&m, 5);
	pb_be16(&m, 4);
	pb_bytes(&m, LO4, 4);
	udp_msg(&p, 53, 40000, &m);
	show(&p, p.n);
	expect_invalid(LAYER_DNS, "name runs past the message");
	HAS(text, ": 7 2/0/0 A 127.0.0.1 [invalid dns: name runs past the message]\n");
	/* An A record whose data is not 4 bytes. */
	pb_set16(&m, 6, 1);
	m.b[m.n - 5] = 3;
	udp_msg(&p, 53, 40000, &m);
	show(&p, p.n);
	expect_invalid(LAYER_DNS, "A record length");
	/* Shorter than its header. */
	m.n = 5;
	udp_msg(&p, 40000, 53, &m);
	show(&p, p.n);
	expect_invalid(LAYER_DNS, "message shorter than its header");
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:40000 > 127.0.0.2:53: UDP, length 5 [invalid dns: message shorter than its header]\n");
	/* Every cut of a whole response inside the message is the capture's: truncated at dns. */
	dns_response(&m, 0x8180, 0);
	udp_msg(&p, 53, 40000, &m);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 42, LAYER_UDP, CUT_OUTER }, { p.n, LAYER_DNS, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("eth/ipv4/udp/dns", LT_EN10MB, p.b, p.n, cuts, 4), 0);
	show(&p, 42 + 12 + 17 + 4 + 12); /* the question and the CNAME's fixed fields */
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(text, "IP 127.0.0.1:53 > 127.0.0.2:40000: UDP, length 143: 4660 5/0/1 [|dns]\n");
	HAS(json, "\"payload\":143,\"truncated\":\"dns\",\"app\":\"dns\",");
	HAS(json, "\"dns_an\":5,\"dns_ns\":0,\"dns_ar\":1,\"dns_qname\":\"www.example.com.\",\"dns_qtype\":1,\"dns_qclass\":1}");
}

static void test_dns_over_tcp_needs_the_whole_message_at_the_segment_start(void)
{
	struct pb m = { .n = 0 }, seg = { .n = 0 }, p;
	dns_header(&m, 0x4242, 0x0100, 1, 0, 0, 0);
	dns_www(&m);
	pb_be16(&m, 28);
	pb_be16(&m, 1);
	pb_be16(&seg, (uint16_t)m.n);
	pb_bytes(&seg, m.b, m.n);
	tcp_payload(&p, 40000, 53, seg.b, seg.n);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_TRUE(pkt.app.u.dns.tcp);
	HAS(text, "length 35: 16962+ AAAA? www.example.com.\n");
	HAS(details, ", over TCP\n");
	/* The length says more than the segment holds: the message goes on in later segments, not decoded. */
	pb_set16(&seg, 0, (uint16_t)(m.n + 10));
	tcp_payload(&p, 40000, 53, seg.b, seg.n);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.app.kind, APP_NONE);
	/* Two messages in one segment: the first is shown. */
	pb_set16(&seg, 0, (uint16_t)m.n);
	pb_be16(&seg, (uint16_t)m.n);
	pb_bytes(&seg, m.b, m.n);
	tcp_payload(&p, 40000, 53, seg.b, seg.n);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	HAS(text, "length 70: 16962+ AAAA? www.example.com.\n");
}

/* ---- HTTP ---------------------------------------------------------------------------------------- */

static void http(struct pb *p, const char *s, size_t caplen_cut)
{
	tcp_payload(p, 40000, 8080, s, strlen(s));
	show(p, p->n - caplen_cut);
}

static void test_http_request_and_status_lines(void)
{
	struct pb p;
	http(&p, "GET /index.html?q=\"x\" HTTP/1.1\r\nHost: localhost\r\n\r\n", 0);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.app.kind, APP_HTTP);
	HAS(text, ", length 51: HTTP: GET /index.html?q=\"x\" HTTP/1.1\n");
	HAS(json, "\"app\":\"http\",\"http_method\":\"GET\",\"http_uri\":\"/index.html?q=\\\"x\\\"\",\"http_version\":\"HTTP/1.1\"}");
	HAS(details, "HTTP: GET /index.html?q=\"x\" HTTP/1.1\n  request line: method GET, target 17 bytes, version HTTP/1.1\n");
	http(&p, "HTTP/1.0 404 Not \xe9t\xe9\n\n", 0); /* bare LF; obs-text in the reason */
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	HAS(text, ": HTTP: HTTP/1.0 404 Not \\xe9t\\xe9\n");
	HAS(json, "\"http_status\":404,\"http_reason\":\"Not \\u00e9t\\u00e9\",\"http_version\":\"HTTP/1.0\"}");
	http(&p, "HTTP/1.1 204\r\n\r\n", 0); /* no reason phrase at all */
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_EQUAL(pkt.app.u.http.status, 204);
}

static void test_http_line_cut_by_capture_or_segment(void)
{
	struct pb p;
	http(&p, "POST /upload HTTP/1.1\r\n", 12); /* the capture ends in the target */
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_EQUAL(pkt.trunc_layer, LAYER_HTTP);
	HAS(text, ": HTTP: POST /uploa... [|http]\n");
	HAS(json, "\"truncated\":\"http\",\"app\":\"http\",\"http_method\":\"POST\",\"http_uri\":\"/uploa\",\"http_partial\":true}");
	http(&p, "GET /a-very-long-path", 0); /* the line goes on in the next segment */
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	HAS(text, ": HTTP: GET /a-very-long-path...\n");
	HAS(details, "  the line goes on past what this packet holds\n");
	/* Every cut of a request: truncated at tcp, then at http. */
	tcp_payload(&p, 40000, 8080, "GET / HTTP/1.1\r\n", 16);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { 34, LAYER_IPV4, CUT_OUTER },
				    { 54, LAYER_TCP, CUT_OUTER }, { 58, LAYER_NONE, CUT_OK }, { 70, LAYER_HTTP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("eth/ipv4/tcp/http", LT_EN10MB, p.b, p.n, cuts, 5), 0);
}

static void test_http_lookalikes_and_broken_lines(void)
{
	struct pb p;
	http(&p, "GETTER /x HTTP/1.1\r\n", 0); /* not a method */
	CU_ASSERT_EQUAL(pkt.app.kind, APP_NONE);
	http(&p, "HTTP/2.0 200 OK\r\n", 0); /* not HTTP/1.x */
	CU_ASSERT_EQUAL(pkt.app.kind, APP_NONE);
	http(&p, "HEADLINE news\r\n", 0);
	CU_ASSERT_EQUAL(pkt.app.kind, APP_NONE);
	http(&p, "GET /a\x01 HTTP/1.1\r\n", 0); /* a control character in the target */
	expect_invalid(LAYER_HTTP, "request line");
	HAS(text, " [invalid http: request line]\n");
	http(&p, "GET /a b HTTP/1.1\r\n", 0); /* a space in the target */
	expect_invalid(LAYER_HTTP, "request line");
	http(&p, "GET /\r\n", 0); /* HTTP/0.9: no version */
	expect_invalid(LAYER_HTTP, "request line");
	http(&p, "HTTP/1.1 2x0 OK\r\n", 0);
	expect_invalid(LAYER_HTTP, "status line");
}

/* ---- ARP ----------------------------------------------------------------------------------------- */

/* An Ethernet ARP packet for IPv4: op, sender 02:00:00:00:00:01 127.0.0.1, target tha 127.0.0.2. */
static void arp(struct pb *p, uint16_t op, uint8_t tha_last)
{
	static const uint8_t sha[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t tha[6] = { 0, 0, 0, 0, 0, tha_last };
	p->n = 0;
	pb_eth(p, 0x0806);
	pb_be16(p, 1);
	pb_be16(p, 0x0800);
	pb_u8(p, 6);
	pb_u8(p, 4);
	pb_be16(p, op);
	pb_bytes(p, sha, 6);
	pb_bytes(p, LO4, 4);
	pb_bytes(p, tha, 6);
	pb_bytes(p, LO4B, 4);
}

static void test_arp_request_and_reply(void)
{
	struct pb p;
	arp(&p, 1, 0);
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_OK);
	CU_ASSERT_STRING_EQUAL(text, "ethertype arp (0x0806), length 42: Request who-has 127.0.0.2 tell 127.0.0.1\n");
	HAS(json, "\"ethertype\":2054,\"app\":\"arp\",\"arp_op\":1,\"arp_htype\":1,\"arp_ptype\":2048,"
		  "\"arp_sha\":\"02:00:00:00:00:01\",\"arp_spa\":\"127.0.0.1\",\"arp_tha\":\"00:00:00:00:00:00\","
		  "\"arp_tpa\":\"127.0.0.2\"}");
	HAS(details, "ARP: Request who-has 127.0.0.2 tell 127.0.0.1\n");
	HAS(details, "  sender 02:00:00:00:00:01 127.0.0.1\n  target 00:00:00:00:00:00 127.0.0.2\n");
	arp(&p, 1, 9); /* the target's hardware address already known: tcpdump shows it */
	show(&p, p.n);
	HAS(text, ": Request who-has 127.0.0.2 (00:00:00:00:00:09) tell 127.0.0.1\n");
	arp(&p, 2, 9);
	show(&p, p.n);
	HAS(text, ": Reply 127.0.0.1 is-at 02:00:00:00:00:01\n");
	arp(&p, 3, 9);
	show(&p, p.n);
	HAS(text, ": Reverse Request who-is 00:00:00:00:00:09 tell 02:00:00:00:00:01\n");
}

static void test_arp_cut_or_short(void)
{
	struct pb p;
	arp(&p, 1, 0);
	const struct cut cuts[] = { { 14, LAYER_ETH, CUT_OUTER }, { p.n, LAYER_ARP, CUT_OUTER } };
	CU_ASSERT_EQUAL(check_prefixes("eth/arp", LT_EN10MB, p.b, p.n, cuts, 2), 0);
	show(&p, 30); /* cut inside the addresses */
	CU_ASSERT_EQUAL(pkt.status, DEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(text, "ethertype arp (0x0806), length 42: Request [|arp]\n");
	p.n = 30; /* the whole frame is that short */
	show(&p, p.n);
	CU_ASSERT_EQUAL(pkt.status, DEC_INVALID);
	CU_ASSERT_STRING_EQUAL(text, "ethertype arp (0x0806), length 30: Request [invalid arp: shorter than its addresses]\n");
}

int register_test_decode_app(void)
{
	CU_pSuite s = CU_add_suite("decode_app", NULL, NULL);
	if (!s)
		return 1;
	if (!CU_add_test(s, "DNS query as tcpdump shows it", test_dns_query_is_shown_as_tcpdump_does) ||
	    !CU_add_test(s, "DNS response: compressed names, answers", test_dns_response_with_compressed_names_lists_its_answers) ||
	    !CU_add_test(s, "DNS rcode with EDNS's upper bits", test_dns_rcode_takes_the_edns_upper_bits) ||
	    !CU_add_test(s, "DNS name loops, label types, 255 octets", test_dns_name_loops_and_limits_are_invalid) ||
	    !CU_add_test(s, "DNS counts past the message, every cut",
			 test_dns_counts_beyond_the_message_are_invalid_and_cuts_truncated) ||
	    !CU_add_test(s, "DNS over TCP: whole messages only", test_dns_over_tcp_needs_the_whole_message_at_the_segment_start) ||
	    !CU_add_test(s, "HTTP request and status lines", test_http_request_and_status_lines) ||
	    !CU_add_test(s, "HTTP line cut by capture or segment", test_http_line_cut_by_capture_or_segment) ||
	    !CU_add_test(s, "HTTP lookalikes and broken lines", test_http_lookalikes_and_broken_lines) ||
	    !CU_add_test(s, "ARP request, reply, reverse", test_arp_request_and_reply) ||
	    !CU_add_test(s, "ARP cut or short", test_arp_cut_or_short))
		return 1;
	return 0;
}
