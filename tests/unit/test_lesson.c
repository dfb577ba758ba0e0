/* test_lesson.c — a lesson's custom blocks (calls/lesson.c) written and read back, every cut or damaged block refused with its reason, and the packet comments the recorder writes (calls/recorder.c). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "calls/lesson.h"
#include "calls/recorder.h"

static struct sock_event sample_call(void)
{
	struct sock_event ev;
	memset(&ev, 0, sizeof ev);
	ev.ts_us = 1700000000123456;
	ev.dur_us = 789;
	ev.pid = 4712;
	snprintf(ev.role, sizeof ev.role, "client");
	snprintf(ev.call, sizeof ev.call, "connect");
	ev.fd = 3;
	snprintf(ev.args, sizeof ev.args, "3, {AF_INET, 127.0.0.1:8888}, 16");
	ev.ret = -1;
	ev.err = 111;
	snprintf(ev.errname, sizeof ev.errname, "ECONNREFUSED");
	snprintf(ev.retnote, sizeof ev.retnote, " (Connection refused)");
	ev.local.af = 4;
	ev.local.port = 40000;
	ev.local.addr[12] = 127;
	ev.local.addr[15] = 1;
	ev.remote = ev.local;
	ev.remote.port = 8888;
	return ev;
}

static struct tl_note sample_note(void)
{
	struct tl_note n;
	memset(&n, 0, sizeof n);
	n.what = SOCKDIAG_STATE;
	n.has_before = n.has_after = true;
	n.before.proto = 6;
	n.before.state = 2; /* SYN-SENT */
	n.before.local.af = n.before.remote.af = 6;
	n.before.local.addr[15] = n.before.remote.addr[15] = 1;
	n.before.local.port = 40000;
	n.before.remote.port = 8888;
	n.before.wqueue = 1;
	n.before.inode = 99;
	n.before.uid = 1000;
	n.before.cookie = 0x0123456789abcdefull;
	n.after = n.before;
	n.after.state = 1; /* ESTABLISHED */
	n.after.wqueue = 0;
	n.after.info.valid = true;
	n.after.info.mss = 65483;
	n.after.info.cwnd = 10;
	n.after.info.srtt_us = 42;
	n.after.info.pacing_rate = 1ull << 40;
	return n;
}

/* Each kind of block reads back as written: the header's flags and ports, a call's every field, a socket
   change with both rows and their tcp_info. */
static void test_blocks_read_back_as_written(void)
{
	uint8_t buf[LESSON_BLOCK_MAX];
	struct lesson_block b;
	char err[256];
	const uint16_t ports[] = { 8888, 8889 };
	size_t n = lesson_encode_header(buf, LESSON_HAS_CALLS | LESSON_HAS_SOCKETS, ports, 2);
	CU_ASSERT_EQUAL_FATAL(lesson_decode(buf, n, &b, err, sizeof err), 1);
	CU_ASSERT(b.kind == LESSON_HEADER && b.flags == (LESSON_HAS_CALLS | LESSON_HAS_SOCKETS) && b.nports == 2 &&
		  b.ports[0] == 8888 && b.ports[1] == 8889);

	struct sock_event ev = sample_call();
	n = lesson_encode_call(buf, &ev);
	CU_ASSERT_FATAL(n <= LESSON_BLOCK_MAX);
	CU_ASSERT_EQUAL_FATAL(lesson_decode(buf, n, &b, err, sizeof err), 1);
	CU_ASSERT_EQUAL(b.kind, LESSON_CALL);
	CU_ASSERT_EQUAL(memcmp(&b.ev, &ev, sizeof ev), 0); /* both zeroed first: padding and unused bytes agree */

	struct tl_note note = sample_note();
	n = lesson_encode_socket(buf, 1700000000999000000LL, &note);
	CU_ASSERT_EQUAL_FATAL(lesson_decode(buf, n, &b, err, sizeof err), 1);
	CU_ASSERT(b.kind == LESSON_SOCKET && b.at_ns == 1700000000999000000LL);
	CU_ASSERT(b.note.what == SOCKDIAG_STATE && b.note.has_before && b.note.has_after);
	CU_ASSERT_EQUAL(memcmp(&b.note.before, &note.before, sizeof note.before), 0);
	CU_ASSERT_EQUAL(memcmp(&b.note.after, &note.after, sizeof note.after), 0);

	/* the block pads the data with up to 3 zeros: still read */
	memset(buf + n, 0, 3);
	CU_ASSERT_EQUAL(lesson_decode(buf, n + 3, &b, err, sizeof err), 1);
}

/* Data without the tag is someone else's (0, passed over); every cut of a valid block, and each damaged
   field, is refused (-1) with a line naming what is wrong, never read past its end. */
static void test_cut_and_damaged_blocks_are_refused_with_their_reason(void)
{
	uint8_t buf[LESSON_BLOCK_MAX + 8];
	struct lesson_block b;
	char err[256];
	CU_ASSERT_EQUAL(lesson_decode((const uint8_t *)"XYZ1abcdefgh", 12, &b, err, sizeof err), 0);
	CU_ASSERT_EQUAL(lesson_decode((const uint8_t *)"SW", 2, &b, err, sizeof err), 0);

	struct sock_event ev = sample_call();
	size_t n = lesson_encode_call(buf, &ev);
	/* cut anywhere: the length field no longer matches, or the head is short */
	for (size_t k = 4; k < n; k++) {
		CU_ASSERT_EQUAL(lesson_decode(buf, k, &b, err, sizeof err), -1);
		CU_ASSERT(err[0] != '\0');
	}
	/* a length field that says less than the fields need: they run past it */
	uint8_t cut[LESSON_BLOCK_MAX];
	memcpy(cut, buf, n);
	cut[8] = 0;
	cut[9] = 0;
	cut[10] = 0;
	cut[11] = 40;
	CU_ASSERT_EQUAL(lesson_decode(cut, 40, &b, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "call of 40 bytes: its numbers run past its end");

	memcpy(cut, buf, n);
	cut[4] = 9; /* kind */
	CU_ASSERT_EQUAL(lesson_decode(cut, n, &b, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "kind 9 is none of header (1), call (2), socket change (3)"));

	memcpy(cut, buf, n);
	cut[12 + 8 + 8 + 4 + 4 + 8 + 4] = 2; /* the local endpoint's family */
	CU_ASSERT_EQUAL(lesson_decode(cut, n, &b, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "the local endpoint's family is 2 (not 0, 4 or 6)"));

	/* a control byte in a string */
	struct sock_event bad = ev;
	bad.args[0] = '\n';
	n = lesson_encode_call(buf, &bad);
	CU_ASSERT_EQUAL(lesson_decode(buf, n, &b, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "its args field holds control byte 0x0a"));

	/* a duration longer than the time: not a call */
	bad = ev;
	bad.dur_us = bad.ts_us + 1;
	n = lesson_encode_call(buf, &bad);
	CU_ASSERT_EQUAL(lesson_decode(buf, n, &b, err, sizeof err), -1);

	/* a socket change whose rows do not match its kind (appeared with a before row) */
	struct tl_note note = sample_note();
	note.what = SOCKDIAG_APPEARED;
	n = lesson_encode_socket(buf, 5, &note);
	CU_ASSERT_EQUAL(lesson_decode(buf, n, &b, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "change 0 with rows before 1 and after 1 is not one"));
	/* every cut of a valid socket change */
	note = sample_note();
	n = lesson_encode_socket(buf, 5, &note);
	for (size_t k = 4; k < n; k++)
		CU_ASSERT_EQUAL(lesson_decode(buf, k, &b, err, sizeof err), -1);
	/* bytes left after the fields */
	buf[n] = 1;
	buf[n + 1] = 2;
	buf[n + 2] = 3;
	buf[n + 3] = 4;
	uint32_t len = (uint32_t)n + 4;
	buf[8] = (uint8_t)(len >> 24);
	buf[9] = (uint8_t)(len >> 16);
	buf[10] = (uint8_t)(len >> 8);
	buf[11] = (uint8_t)len;
	CU_ASSERT_EQUAL(lesson_decode(buf, len, &b, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "4 bytes are left after its fields"));
}

/* The comment a packet carries: its call (failed ones with their errno) or its kernel, then the state
   changes it made; what the tracker assumes of a new flow's other end (UNANSWERED, LISTEN) is not one. */
static void test_packet_comments_name_the_call_and_the_state_changes(void)
{
	struct pkt_summary p;
	memset(&p, 0, sizeof p);
	p.proto = 6;
	p.flow_id = 1;
	p.dir = 0;
	p.before[0] = TCPS_NONE;
	p.after[0] = TCPS_SYN_SENT;
	p.before[1] = TCPS_NONE;
	p.after[1] = TCPS_UNANSWERED;
	struct sock_event ev = sample_call();
	ev.ret = 0;
	char c[RECORDER_COMMENT_MAX];
	recorder_comment(c, sizeof c, &p, &ev);
	CU_ASSERT_STRING_EQUAL(c, "connect() by client pid 4712; client CLOSED\u2192SYN-SENT");
	ev.ret = -1;
	recorder_comment(c, sizeof c, &p, &ev);
	CU_ASSERT_STRING_EQUAL(c, "connect() by client pid 4712 (failed: ECONNREFUSED); client CLOSED\u2192SYN-SENT");

	p.dir = 1;
	p.before[0] = TCPS_SYN_SENT;
	p.after[0] = TCPS_ESTABLISHED;
	p.before[1] = TCPS_UNANSWERED;
	p.after[1] = TCPS_SYN_RECEIVED;
	recorder_comment(c, sizeof c, &p, NULL);
	CU_ASSERT_STRING_EQUAL(c, "no call: sent by the server's kernel; client SYN-SENT\u2192ESTABLISHED, server UNANSWERED\u2192SYN-RECEIVED");

	/* a capture that starts at the SYN-ACK: the client's SYN-SENT is assumed, the server's state is the
	   packet's doing */
	p.before[0] = p.before[1] = TCPS_NONE;
	p.after[0] = TCPS_SYN_SENT;
	p.after[1] = TCPS_SYN_RECEIVED;
	recorder_comment(c, sizeof c, &p, NULL);
	CU_ASSERT_STRING_EQUAL(c, "no call: sent by the server's kernel; server CLOSED\u2192SYN-RECEIVED");

	p.before[0] = p.after[0] = TCPS_ESTABLISHED;
	p.before[1] = p.after[1] = TCPS_ESTABLISHED;
	recorder_comment(c, sizeof c, &p, NULL);
	CU_ASSERT_STRING_EQUAL(c, "no call: sent by the server's kernel; no state change");

	p.proto = 17; /* UDP: no states */
	snprintf(ev.call, sizeof ev.call, "sendto");
	ev.ret = 7;
	recorder_comment(c, sizeof c, &p, &ev);
	CU_ASSERT_STRING_EQUAL(c, "sendto() by client pid 4712");

	/* a small buffer: cut, terminated, and the full length returned */
	char small[8];
	size_t full = recorder_comment(small, sizeof small, &p, &ev);
	CU_ASSERT_EQUAL(full, strlen("sendto() by client pid 4712"));
	CU_ASSERT_STRING_EQUAL(small, "sendto(");
}

int register_test_lesson(void)
{
	CU_pSuite s = CU_add_suite("lesson", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "blocks read back as written", test_blocks_read_back_as_written) ||
	    !CU_add_test(s, "cut and damaged blocks are refused with their reason",
			 test_cut_and_damaged_blocks_are_refused_with_their_reason) ||
	    !CU_add_test(s, "packet comments name the call and the state changes",
			 test_packet_comments_name_the_call_and_the_state_changes))
		return -1;
	return 0;
}
