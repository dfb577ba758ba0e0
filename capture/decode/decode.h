/* decode.h — packet decoder entry point, per-protocol decoders and {value, "name"} tables. */
#ifndef SYNWATCH_DECODE_H
#define SYNWATCH_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "packet.h"

/*
 * Decode one captured packet of link type `linktype` (a DLT_* value as pcap_datalink() returns it) into
 * *pkt, overwriting it. Never reads outside data[0..caplen), never allocates, never fails: problems are
 * reported in pkt->status / trunc_layer / bad_layer / bad_field. pkt->n and timestamps are the caller's;
 * pkt->iface and pkt->comment are reset to none (a pcapng source sets them after).
 */
void decode_packet(struct packet *pkt, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);

/* True when decode_packet() understands this link type (others are shown as "unsupported link type"). */
bool decode_linktype_supported(int linktype);

/*
 * Uniform per-protocol decoder signature: read one layer from *c into the packet / IP layer, then hand
 * the rest to the next decoder. Link decoders fill pkt->link and call decode_ethertype(); IP decoders fill
 * an ip_layer and dispatch on the protocol number. Each returns the status of what it decoded.
 */
struct decode_ctx {
	struct packet *pkt;    /* the packet being filled */
	struct ip_layer *ip;   /* the IP layer being filled (pkt->ip, or pkt->inner for a quoted packet) */
	bool quoted;           /* decoding a packet quoted in an ICMP error: no further inner, lengths lie */
};
typedef enum dec_status (*decoder_fn)(struct decode_ctx *ctx, struct cursor *c);

/* Dispatch on an ethertype (after link headers and VLAN tags). */
enum dec_status decode_ethertype(struct decode_ctx *ctx, struct cursor *c, uint16_t ethertype);
/* Dispatch on an IP protocol number (after the IP header and extension headers). */
enum dec_status decode_ipproto(struct decode_ctx *ctx, struct cursor *c, uint8_t proto);

/* Names from {value, "name"} tables (common/tok.h's struct tok, in names.c). */
const char *layer_name(enum layer_id layer);  /* "tcp", "ip6"... ; "" for LAYER_NONE */
const char *linktype_name(int linktype);       /* "EN10MB", "LINUX_SLL2"...; "DLT_<n>" style via buf-less table, NULL if unknown */
const char *ipproto_name(int proto);           /* "tcp", "udp", "icmp", "icmp6", "gre", "sctp"...; NULL if unknown */
const char *ether_type_name(int ethertype);    /* "ipv4", "ipv6", "arp", "vlan"...; NULL if unknown */
const char *icmp_type_name(int type);          /* "echo request", "destination unreachable"... */
const char *icmp_code_name(int type, int code); /* "port unreachable"...; NULL when the type has no code names */
const char *icmp6_type_name(int type);
const char *icmp6_code_name(int type, int code);

/* tcpdump's flag notation ("S", "S.", "P.", "F.", "R", "SEW"...) into buf (at least 12 bytes); returns buf. */
char *tcp_flags_str(uint16_t flags, char *buf);

/* True for ICMP/ICMPv6 types that quote the offending packet (unreachable, time exceeded...). */
bool icmp_is_error(int type);
bool icmp6_is_error(int type);

/* IPv4 option types (RFC 791 §3.1; RFC 2113 router alert). */
enum {
	IPOPT_EOL = 0,
	IPOPT_NOP = 1,
	IPOPT_RR = 7,
	IPOPT_TS = 68,
	IPOPT_SEC = 130,
	IPOPT_LSRR = 131,
	IPOPT_SSRR = 137,
	IPOPT_RA = 148,
};
/* IPv4 timestamp option flags (RFC 791 §3.1, "Internet Timestamp"). */
enum { IPOPT_TS_ONLY = 0, IPOPT_TS_ADDR = 1, IPOPT_TS_PRESPEC = 3 };

/* One IPv4 option as ipv4_opt_next() reads it; views print it from these fields, never from raw bytes. */
struct ipv4_opt {
	uint8_t type;          /* type byte (copied flag, class, number): IPOPT_* */
	uint8_t len;           /* length byte as on the wire; 1 for EOL and NOP */
	const char *bad;       /* malformed: static text of what is wrong ("length below 2"...), else NULL */
	const uint8_t *data;   /* the len - 2 bytes after type and length (NULL for EOL, NOP and bad options) */
	/* Route options (RR, LSRR, SSRR) and TS, when not bad: */
	uint8_t ptr;           /* pointer byte: 1-based offset in the option of the next free (or next route) slot */
	bool ptr_bad;          /* pointer not at a slot boundary, or beyond the option: nused is a guess */
	uint8_t nslot;         /* slots the option holds: 4-byte addresses, TS entries of 4 (flag 0) or 8 bytes */
	uint8_t nused;         /* slots before the pointer: recorded (RR, TS) or already visited (LSRR, SSRR) */
	uint8_t slot_size;     /* bytes per slot */
	const uint8_t *slots;  /* the first slot */
	uint8_t ts_flag;       /* TS: IPOPT_TS_* (low 4 bits of the fourth byte) */
	uint8_t ts_overflow;   /* TS: hosts that could not record for lack of room (high 4 bits) */
	uint16_t ra_value;     /* RA: router alert value (0: every router examines the packet) */
};

/*
 * Walk the IPv4 options area in *c (from struct ip_layer's ip_opts / ip_opts_len): true with the next
 * option in *o, false at the end. EOL ends the walk after it is returned (what follows is padding). A
 * length byte that is missing, below 2 or beyond the area ends it too, after the option is returned with
 * o->bad set (tcpdump stops there as well); a length wrong only for its type (RA not 4...) sets o->bad and
 * the walk goes on, since the length still says where the next option starts.
 */
bool ipv4_opt_next(struct cursor *c, struct ipv4_opt *o);
/* "RR", "TS", "RA", "SEC"...; NULL for a type without a name. */
const char *ipv4_opt_name(int type);

/* ---- Application messages (packet.app): DNS (RFC 1035), ARP ---- */

/* Room for a DNS name as text: at most 255 octets on the wire, each label byte at most 4 characters
   ("\DDD"), the dots, the terminating NUL. */
#define DNS_NAME_TEXT_MAX 1024

/* Header bits (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2). */
enum {
	DNS_QR = 0x8000,
	DNS_AA = 0x0400,
	DNS_TC = 0x0200,
	DNS_RD = 0x0100,
	DNS_RA = 0x0080,
	DNS_AD = 0x0020,
	DNS_CD = 0x0010,
};
static inline bool dns_is_response(const struct dns_msg *d)
{
	return (d->flags & DNS_QR) != 0;
}
static inline unsigned dns_opcode(const struct dns_msg *d)
{
	return (d->flags >> 11) & 15u;
}
/* The RCODE: the header's 4 bits, and EDNS's upper 8 when the message has an OPT record. */
static inline unsigned dns_rcode(const struct dns_msg *d)
{
	return (unsigned)d->rcode_hi << 4 | (d->flags & 15u);
}

/*
 * The name at offset off of the message: DEC_OK with *end the offset just after it where it stands (after
 * its first compression pointer, if any) and, when text is not NULL, its RFC 1035 §5.1 text in
 * text[0..DNS_NAME_TEXT_MAX) ("www.example.com.", "." for the root; \. \\ and \DDD escapes).
 * DEC_TRUNCATED when the capture ended first, DEC_INVALID (*why: static text) when the message did, a
 * label type is unknown, the name is longer than 255 octets, or a compression pointer does not point
 * before everything the name has read so far (so that every walk ends).
 */
enum dec_status dns_name_read(const struct dns_msg *d, size_t off, size_t *end, char *text, const char **why);

/* One resource record (§4.1.3) as dns_rr_read() reads it; offsets are into the message. */
struct dns_rr {
	uint16_t name;        /* its owner name */
	uint16_t type, cls;
	uint32_t ttl;
	uint16_t rdata, rdlen; /* its data */
	/* The data, for the types the views show: */
	uint8_t addr[16];     /* A (4 bytes), AAAA */
	bool have_target;     /* target names a valid name: NS, CNAME, PTR, DNAME, SOA (its MNAME), MX, SRV */
	uint16_t target;
	uint16_t pref;        /* MX preference, SRV priority */
	uint16_t weight, port; /* SRV */
};
/* Read the record at *off into *rr and move *off past it: DEC_OK, DEC_TRUNCATED or DEC_INVALID (*why). */
enum dec_status dns_rr_read(const struct dns_msg *d, size_t *off, struct dns_rr *rr, const char **why);
/* A TXT record's next <character-string> (§3.3.14) from byte *pos of its data (start at 0): true with *s over
   its bytes, false after the last. */
bool dns_txt_next(const struct dns_msg *d, const struct dns_rr *rr, size_t *pos, struct cursor *s);
/* A cursor over the captured bytes [off, off + len) of the message (fewer when fewer were captured). */
struct cursor dns_cursor(const struct dns_msg *d, size_t off, size_t len);

const char *dns_type_name(int type);     /* "A", "AAAA", "MX"...; NULL if unknown */
const char *dns_class_name(int cls);     /* "IN", "CH", "HS", "ANY"; NULL if unknown */
const char *dns_rcode_name(int rcode);   /* tcpdump's: "FormErr", "NXDomain", "BadCookie"...; NULL for 0, unknown */
const char *dns_opcode_name(int opcode); /* tcpdump's: "inv_q", "stat", "notify", "update"; NULL for 0 */
const char *arp_op_name(int op);         /* "Request", "Reply", "Reverse Request"...; NULL if unknown */

#endif
