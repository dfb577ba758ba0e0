/* flow_print.c — the --flows table (text or JSON lines), its summary, and the flow module's names. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "track/community_id.h"
#include "track/flow.h"
#include "track/zeek.h"

const char *flow_event_name(uint32_t ev_bit)
{
	static const char *const names[EV_COUNT_BITS] = {
		"retransmission", "fast-retransmission", "spurious-retransmission", "out-of-order", "dup-ack",
		"previous-segment-not-captured", "zero-window", "zero-window-probe", "window-update", "window-full",
		"keep-alive", "rst", "connection-refused", "new-flow", "port-reuse", "icmp-error", "state-change",
	};
	for (int b = 0; b < EV_COUNT_BITS; b++)
		if (ev_bit == (1u << b))
			return names[b];
	return "?";
}

const char *flow_end_name(enum flow_end e)
{
	switch (e) {
	case END_OPEN: return "open";
	case END_FIN: return "fin";
	case END_RST: return "rst";
	case END_REFUSED: return "refused";
	case END_TIMEOUT: return "timeout";
	}
	return "?";
}

char *flow_endpoint_str(const struct endpoint *e, bool with_port, char *buf)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(e->af == 6 ? AF_INET6 : AF_INET, e->addr, a, sizeof a))
		strcpy(a, "?");
	if (!with_port)
		snprintf(buf, FLOW_EP_STRLEN, "%s", a);
	else if (e->af == 6)
		snprintf(buf, FLOW_EP_STRLEN, "[%s]:%u", a, (unsigned)e->port);
	else
		snprintf(buf, FLOW_EP_STRLEN, "%s:%u", a, (unsigned)e->port);
	return buf;
}

static const char *proto_str(uint8_t proto)
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmp6";
	}
	return "?";
}

static bool has_ports(const struct flow *f)
{
	return f->proto == 6 || f->proto == 17;
}

/* Seconds with nanoseconds, e.g. 1700000000.123456789 (or -1.5 for negative spans). */
static void put_secs(FILE *out, int64_t ns)
{
	if (ns < 0) {
		fputc('-', out);
		ns = -ns;
	}
	fprintf(out, "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
}

static const char *closer_str(const struct flow *f)
{
	return f->closed_first < 0 ? NULL : f->closed_first == DIR_C2S ? "client" : "server";
}

static void print_json(const struct flow *f, FILE *out)
{
	char c[FLOW_EP_STRLEN], s[FLOW_EP_STRLEN];
	flow_endpoint_str(&f->client, has_ports(f), c);
	flow_endpoint_str(&f->server, has_ports(f), s);
	fprintf(out, "{\"flow\":%" PRIu64 ",\"proto\":\"%s\",\"client\":\"%s\",\"server\":\"%s\"", f->id,
		proto_str(f->proto), c, s);
	if (!has_ports(f))
		fprintf(out, ",\"icmp_id\":%u", (unsigned)f->key.port[0]);
	fprintf(out, ",\"client_guessed\":%s,\"state_inferred\":%s", f->client_guessed ? "true" : "false",
		f->state_inferred ? "true" : "false");
	if (f->proto == 6)
		fprintf(out, ",\"state_client\":\"%s\",\"state_server\":\"%s\"", tcp_state_name(f->state[0]),
			tcp_state_name(f->state[1]));
	else
		fputs(",\"state_client\":null,\"state_server\":null", out);
	fprintf(out, ",\"pkts_c2s\":%" PRIu64 ",\"pkts_s2c\":%" PRIu64 ",\"bytes_c2s\":%" PRIu64 ",\"bytes_s2c\":%" PRIu64,
		f->pkts[0], f->pkts[1], f->bytes[0], f->bytes[1]);
	fputs(",\"first\":", out);
	put_secs(out, f->first_ns);
	fputs(",\"last\":", out);
	put_secs(out, f->last_ns);
	fputs(",\"duration\":", out);
	put_secs(out, f->last_ns - f->first_ns);
	fputs(",\"rtt_syn_synack\":", out);
	if (f->syn_ns && f->synack_ns)
		put_secs(out, f->synack_ns - f->syn_ns);
	else
		fputs("null", out);
	fputs(",\"rtt_synack_ack\":", out);
	if (f->synack_ns && f->ack_ns)
		put_secs(out, f->ack_ns - f->synack_ns);
	else
		fputs("null", out);
	const char *cf = closer_str(f);
	if (cf)
		fprintf(out, ",\"closed_first\":\"%s\"", cf);
	else
		fputs(",\"closed_first\":null", out);
	fprintf(out, ",\"end\":\"%s\",\"icmp_errors\":%u", flow_end_name(f->end), (unsigned)f->icmp_errors);
	char h[ZEEK_HISTORY_MAX + 1], cid[COMMUNITY_ID_LEN + 1];
	fprintf(out, ",\"conn_state\":\"%s\",\"history\":", zeek_conn_state(f));
	if (zeek_history(&f->zeek, h, NULL))
		fprintf(out, "\"%s\"", h);
	else
		fputs("null", out);
	flow_community_id(f, cid);
	fprintf(out, ",\"community_id\":\"%s\"}\n", cid);
}

/* Milliseconds with microseconds, or "-" when a timestamp is missing. */
static void fmt_ms(char *buf, size_t n, int64_t from, int64_t to)
{
	if (!from || !to)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.3f", (double)(to - from) / 1e6);
}

#define TEXT_HEADER                                                                                        \
	"    ID PROTO CLIENT                                       SERVER                                       " \
	"STATE-CLIENT STATE-SERVER   PKTS-C>S   PKTS-S>C  BYTES-C>S  BYTES-S>C   DURATION-S  SYN>SA-MS  "     \
	"SA>ACK-MS CLOSED-1ST END     ICMP-ERR ZEEK   HISTORY\n"

static void print_text(const struct flow *f, FILE *out)
{
	char c[FLOW_EP_STRLEN + 1], s[FLOW_EP_STRLEN];
	flow_endpoint_str(&f->client, has_ports(f), c);
	flow_endpoint_str(&f->server, has_ports(f), s);
	if (f->client_guessed)
		strcat(c, "?"); /* the client was guessed from the ports */
	char r1[32], r2[32];
	fmt_ms(r1, sizeof r1, f->syn_ns, f->synack_ns);
	fmt_ms(r2, sizeof r2, f->synack_ns, f->ack_ns);
	const char *cf = closer_str(f);
	char sc[16], ss[16];
	snprintf(sc, sizeof sc, "%s%s", f->proto == 6 ? tcp_state_name(f->state[0]) : "-",
		 f->state_inferred ? "*" : "");
	snprintf(ss, sizeof ss, "%s%s", f->proto == 6 ? tcp_state_name(f->state[1]) : "-",
		 f->state_inferred ? "*" : "");
	int64_t dur = f->last_ns - f->first_ns;
	char h[ZEEK_HISTORY_MAX + 1];
	bool lost;
	if (!zeek_history(&f->zeek, h, &lost))
		strcpy(h, "-");
	fprintf(out, "%6" PRIu64 " %-5s %-44s %-44s %-12s %-12s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
		" %5" PRId64 ".%06" PRId64 " %10s %10s %-10s %-7s %8u %-6s %s%s\n",
		f->id, proto_str(f->proto), c, s, sc, ss, f->pkts[0], f->pkts[1], f->bytes[0], f->bytes[1],
		dur / 1000000000, (dur % 1000000000) / 1000, r1, r2, cf ? cf : "-", flow_end_name(f->end),
		(unsigned)f->icmp_errors, zeek_conn_state(f), h, lost ? "+" : "");
}

void flowtab_print_flow(const struct flow *f, FILE *out, bool json)
{
	if (json)
		print_json(f, out);
	else
		print_text(f, out);
}

static void print_one(const struct flow *f, void *arg)
{
	struct {
		FILE *out;
		bool json;
	} *a = arg;
	flowtab_print_flow(f, a->out, a->json);
}

void flowtab_print(const struct flow_table *t, FILE *out, bool json)
{
	struct flowtab_stats st;
	flowtab_stats(t, &st);
	struct {
		FILE *out;
		bool json;
	} a = { out, json };
	if (!json)
		fputs(TEXT_HEADER, out);
	flowtab_foreach(t, print_one, &a);
	if (json) {
		fprintf(out,
			"{\"summary\":{\"flows_created\":%" PRIu64 ",\"flows_active\":%" PRIu64 ",\"evicted\":%" PRIu64
			",\"expired\":%" PRIu64 ",\"port_reuses\":%" PRIu64 ",\"packets_tracked\":%" PRIu64
			",\"packets_untracked\":%" PRIu64 ",\"icmp_unmatched\":%" PRIu64 ",\"capacity\":%zu"
			",\"bytes_reserved\":%zu,\"bytes_per_flow\":%zu}}\n",
			st.flows_created, st.flows_active, st.evicted, st.expired, st.port_reuses, st.packets_tracked,
			st.packets_untracked, st.icmp_unmatched, st.capacity, st.bytes_reserved, st.bytes_per_flow);
		return;
	}
	fprintf(out,
		"flows: %" PRIu64 " created, %" PRIu64 " in table, %" PRIu64 " expired (idle), %" PRIu64
		" evicted (table full), %" PRIu64 " port reuses; packets: %" PRIu64 " in flows, %" PRIu64
		" outside any flow (%" PRIu64 " ICMP errors quoting no known flow); table: %zu flows max, %zu bytes"
		" reserved (%zu per flow)\n",
		st.flows_created, st.flows_active, st.expired, st.evicted, st.port_reuses, st.packets_tracked,
		st.packets_untracked, st.icmp_unmatched, st.capacity, st.bytes_reserved, st.bytes_per_flow);
	fputs("  (* state inferred: the capture began mid-connection; ? client guessed from the ports)\n", out);
}
