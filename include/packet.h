/* packet.h — the decoded form of one captured packet, filled in place by decode_packet() with no allocation. */
#ifndef SYNWATCH_PACKET_H
#define SYNWATCH_PACKET_H

#include <stdbool.h>
#include <stdint.h>

/* Outcome of decoding a packet or one layer. */
enum dec_status {
	DEC_OK = 0,        /* every layer we decode was complete and sane */
	DEC_TRUNCATED = 1, /* the capture ended inside a layer (see trunc_layer) */
	DEC_INVALID = 2,   /* a field held an impossible value (see bad_layer / bad_field) */
};

/* Protocol layers, used to say where a packet was cut or went wrong; names from layer_name(). */
enum layer_id {
	LAYER_NONE = 0,
	LAYER_ETH,     /* "eth" */
	LAYER_VLAN,    /* "vlan" (802.1Q / 802.1ad tag) */
	LAYER_NULL,    /* "null" (BSD loopback / OpenBSD LOOP family word) */
	LAYER_SLL,     /* "sll" */
	LAYER_SLL2,    /* "sll2" */
	LAYER_IPV4,    /* "ip" */
	LAYER_IPV6,    /* "ip6" */
	LAYER_IPV6EXT, /* "ip6-ext" (hop-by-hop, routing, fragment, destination options) */
	LAYER_TCP,     /* "tcp" */
	LAYER_UDP,     /* "udp" */
	LAYER_ICMP,    /* "icmp" */
	LAYER_ICMP6,   /* "icmp6" */
	LAYER_ARP,     /* "arp" */
	LAYER_DNS,     /* "dns" */
	LAYER_HTTP,    /* "http" */
	LAYER_COUNT
};

/* TCP flag bits as in the 9-bit field of RFC 9293 §3.1 (NS from RFC 3540 is the high bit). */
enum {
	TCP_FIN = 0x001,
	TCP_SYN = 0x002,
	TCP_RST = 0x004,
	TCP_PSH = 0x008,
	TCP_ACK = 0x010,
	TCP_URG = 0x020,
	TCP_ECE = 0x040,
	TCP_CWR = 0x080,
	TCP_NS = 0x100,
};

/* Which fields of an ip_layer were present in the captured bytes (bits of ip_layer.have). */
enum {
	HAVE_IP = 1u << 0,       /* version, addresses, proto, lengths */
	HAVE_PORTS = 1u << 1,    /* sport/dport (TCP or UDP) */
	HAVE_SEQ = 1u << 2,      /* tcp.seq */
	HAVE_ACK = 1u << 3,      /* tcp.ack (the field, whatever the ACK flag says) */
	HAVE_FLAGS = 1u << 4,    /* tcp.flags and tcp.hdr_len */
	HAVE_WIN = 1u << 5,      /* tcp.win */
	HAVE_TCPOPTS = 1u << 6,  /* the options area was decoded (maybe empty), whole or up to the capture's
				    end (then tcp_hdr.opt_have has TCPOPT_CUT) */
	HAVE_UDPLEN = 1u << 7,   /* udp.len (and checksum) */
	HAVE_ICMP = 1u << 8,     /* icmp.type / icmp.code */
	HAVE_ICMP_REST = 1u << 9, /* the 4 bytes after the ICMP checksum (id/seq, mtu, gateway, pointer) */
	HAVE_ND_TARGET = 1u << 10, /* icmp.nd_target (ICMPv6 neighbour solicitation/advertisement) */
	HAVE_PAYLOAD = 1u << 11, /* payload_wire is known: from the IP length less the transport header (TCP:
				    once its data offset was read; UDP: the UDP length, or the IP length when
				    the capture cut the UDP header), whether or not the header was captured whole */
	HAVE_URP = 1u << 12,     /* tcp.urp and checksum (with HAVE_WIN: the whole fixed TCP header) */
};

/* Bits of tcp_hdr.opt_have. */
enum {
	TCPOPT_HAVE_MSS = 1u << 0,
	TCPOPT_HAVE_WSCALE = 1u << 1,
	TCPOPT_HAVE_SACK_OK = 1u << 2,
	TCPOPT_HAVE_SACK = 1u << 3,
	TCPOPT_HAVE_TS = 1u << 4,
	TCPOPT_CUT = 1u << 7, /* the capture ended inside the options area: opt[] lists the options captured
				 whole before the cut (tcpdump's "options [mss 65495,sackOK, [|tcp]") */
};

#define PKT_MAX_SACK 4    /* SACK blocks one option can carry (40-byte options area) */
#define PKT_MAX_TCPOPT 40 /* options listed in wire order: at most one per byte of the options area */
#define PKT_MAX_VLAN 4    /* stacked 802.1Q/802.1ad tags decoded */
#define PKT_MAX_IP6EXT 8  /* IPv6 extension headers followed before giving up (invalid) */

/* One TCP option in wire order, so text output can print them as they appeared. */
struct tcp_opt {
	uint8_t kind; /* option kind (0 EOL, 1 NOP, 2 MSS, 3 wscale, 4 SACK-permitted, 5 SACK, 8 TS...) */
	uint8_t len;  /* length byte as on the wire (1 for EOL/NOP) */
};

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;   /* raw 32-bit values */
	uint16_t flags;      /* 9-bit flags field, TCP_* bits */
	uint8_t hdr_len;     /* data offset in bytes (20..60) */
	uint16_t win;        /* raw window field, unscaled */
	uint16_t urp;        /* urgent pointer */
	uint16_t sum;        /* checksum as on the wire, not verified */
	uint8_t opt_have;    /* TCPOPT_HAVE_* bits, and TCPOPT_CUT */
	uint8_t wscale;      /* window-scale shift count */
	uint16_t mss;
	uint8_t nsack;       /* SACK blocks in sack[] */
	uint8_t nopt;        /* entries in opt[] */
	uint32_t tsval, tsecr;
	struct {
		uint32_t left, right;
	} sack[PKT_MAX_SACK];
	struct tcp_opt opt[PKT_MAX_TCPOPT];
};

struct udp_hdr {
	uint16_t sport, dport;
	uint16_t len; /* length field: header + payload */
	uint16_t sum;
};

/* ICMP (RFC 792) and ICMPv6 (RFC 4443, RFC 4861) header; the 4 "rest of header" bytes by type. */
struct icmp_hdr {
	uint8_t type, code;
	uint16_t sum;
	uint16_t id, seq;     /* echo request/reply */
	uint32_t mtu;         /* IPv4 fragmentation needed (next-hop MTU) / ICMPv6 packet too big */
	uint32_t pointer;     /* parameter problem pointer */
	uint8_t gateway[4];   /* IPv4 redirect gateway */
	uint8_t nd_target[16]; /* ICMPv6 NS/NA target address */
	uint8_t nd_flags;     /* NA flags byte: R=0x80 S=0x40 O=0x20 */
};

/* Which member of ip_layer.l4 is valid. */
enum l4_kind {
	L4_NONE = 0, /* none decoded: unknown protocol, non-first fragment, or cut before it */
	L4_TCP,
	L4_UDP,
	L4_ICMP,  /* ICMP for IPv4 */
	L4_ICMP6, /* ICMPv6 */
};

/* One IP packet: the outer one, or the one quoted inside an ICMP error (which has no further inner). */
struct ip_layer {
	uint32_t have;            /* HAVE_* bits: which fields below were captured */
	uint8_t version;          /* 4 or 6; 0 when no IP layer */
	uint8_t proto;            /* upper-layer protocol after any IPv6 extension headers */
	uint8_t ttl;              /* TTL / hop limit */
	uint8_t tos;              /* TOS / traffic class */
	uint16_t hdr_len;         /* IPv4 IHL*4; IPv6 40 + extension headers */
	uint32_t total_len;       /* IPv4 total length; IPv6 40 + payload length */
	uint8_t src[16], dst[16]; /* addresses; IPv4 uses the first 4 bytes */
	uint8_t ip_opts_len;      /* bytes of IPv4 options (IHL*4 - 20) */
	const uint8_t *ip_opts;   /* those bytes in the caller's buffer when all were captured, else NULL;
				     walk them with ipv4_opt_next() */
	uint8_t next_hdr;         /* IPv6: the fixed header's next-header value */
	uint32_t flowlabel;       /* IPv6 flow label */
	uint8_t n_ext;            /* IPv6 extension headers in ext[] */
	uint8_t ext[PKT_MAX_IP6EXT]; /* their protocol numbers, in order (0, 43, 44, 60...) */
	/* Fragmentation (IPv4 flags/offset or an IPv6 fragment header). */
	bool is_frag;             /* MF set or offset > 0 */
	bool more_frags;          /* MF */
	bool dont_frag;           /* IPv4 DF */
	uint16_t frag_off;        /* offset in bytes */
	uint32_t ip_id;           /* IPv4 identification, or IPv6 fragment identification */
	enum l4_kind l4;
	union {
		struct tcp_hdr tcp;
		struct udp_hdr udp;
		struct icmp_hdr icmp;
	} u;
	uint32_t payload_wire;    /* transport payload bytes on the wire, from IP/UDP lengths (HAVE_PAYLOAD) */
	uint32_t payload_cap;     /* of those, bytes present in the capture */
	const uint8_t *payload;   /* first captured payload byte (points into the caller's buffer); NULL when
				     the capture cut the transport header (payload_cap 0) */
	enum dec_status status;   /* of this IP packet and what it carries */
	enum layer_id trunc_layer; /* when DEC_TRUNCATED: the layer the capture cut */
	enum layer_id bad_layer;  /* when DEC_INVALID: the layer with the bad field */
	const char *bad_field;    /* when DEC_INVALID: static text naming the field, e.g. "header length 3" */
};

struct vlan_tag {
	uint16_t tpid; /* 0x8100 (802.1Q) or 0x88a8 (802.1ad) */
	uint16_t vid;  /* VLAN id, 12 bits */
	uint8_t pcp;   /* priority code point */
};

/* Link-layer facts worth showing; which fields mean something depends on linktype. */
struct link_info {
	uint16_t ethertype;   /* final ethertype / protocol after tags (0 when none) */
	uint8_t src_mac[6], dst_mac[6]; /* Ethernet; SLL/SLL2 source address when its length is 6 */
	uint8_t nvlan;
	struct vlan_tag vlan[PKT_MAX_VLAN];
	uint16_t sll_pkttype; /* SLL/SLL2 packet type (0 host, 4 outgoing...) */
	uint32_t sll_ifindex; /* SLL2 interface index */
	uint32_t null_family; /* NULL/LOOP address family word, as read in the right byte order */
};

/*
 * Application messages summarised in one line (packet.app.kind). They point into the caller's buffer, as
 * ip_opts does, and views read them through the decoders' walkers (decode.h), so the packet stays small.
 */
enum app_kind {
	APP_NONE = 0, /* nothing below is valid */
	APP_DNS,      /* a DNS message: UDP port 53, or TCP port 53 with the message at the segment's start */
	APP_HTTP,     /* an HTTP/1.x request or status line at the start of a TCP segment */
	APP_ARP,      /* an ARP or RARP packet (ethertype 0x0806, 0x8035) */
};

/* Bits of dns_msg.have. */
enum {
	DNS_HAVE_HEADER = 1u << 0,   /* id, flags and the four counts */
	DNS_HAVE_QUESTION = 1u << 1, /* qname, qtype, qclass of the first question */
	DNS_HAVE_OPT = 1u << 2,      /* an EDNS OPT record (RFC 6891) was read: rcode_hi holds its upper RCODE bits */
};

/* A DNS message (RFC 1035 §4.1); over TCP, after its 2-byte length (RFC 1035 §4.2.2). Every record is
   checked; the first question and the answers are what the views show. */
struct dns_msg {
	const uint8_t *msg;     /* its first byte in the caller's buffer */
	uint16_t cap;           /* bytes of it captured (at most wire) */
	uint16_t wire;          /* its length on the wire: the UDP payload, or the TCP length prefix */
	uint16_t id;
	uint16_t flags;         /* the header's second word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode */
	uint16_t qdcount, ancount, nscount, arcount;
	uint16_t qname;         /* offset in msg of the first question's name */
	uint16_t qtype, qclass;
	uint16_t answers;       /* offset in msg of the first answer record */
	uint16_t nan;           /* answers read whole and valid, from `answers` on (at most ancount) */
	uint8_t have;           /* DNS_HAVE_* */
	uint8_t rcode_hi;       /* EDNS's 8 upper bits of the 12-bit RCODE (RFC 6891 §6.1.3) */
	bool tcp;
};

/* The first line of an HTTP/1.x message (RFC 9112 §3 request-line, §4 status-line). */
struct http_line {
	const uint8_t *line;    /* its first byte in the caller's buffer */
	uint16_t len;           /* bytes of it, without the line end: captured, up to the line end (a line
				   longer than 65535 bytes is taken as its first 65535, not complete) */
	bool response;          /* a status line (else a request line) */
	bool complete;          /* its line end was captured; false: the capture or the segment ended first */
	bool have_version;      /* the "HTTP/x.y" (8 bytes) at line[version_off] was captured */
	uint16_t status;        /* response: the status code (0 when not captured) */
	uint16_t method_len;    /* request: the method, line[0..method_len) */
	uint16_t target_off, target_len; /* request: the request-target (target_len 0: not captured) */
	uint16_t version_off;   /* request: where the version starts (a status line starts with it) */
	uint16_t reason_off, reason_len; /* response: the reason phrase (may be empty) */
};

/* An ARP packet (RFC 826): fixed header, then sender and target hardware and protocol addresses. */
struct arp_pkt {
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;
	const uint8_t *addrs;   /* sha, spa, tha, tpa (hlen, plen, hlen, plen bytes) in the caller's buffer;
				   NULL when the capture or the frame ended before them */
};

/* The application message the packet carries, when its kind is one synwatch summarises. */
struct app_layer {
	uint8_t kind;           /* enum app_kind; only the matching member of u is valid */
	union {
		struct dns_msg dns;
		struct http_line http;
		struct arp_pkt arp;
	} u;
};

/* A capture interface as a pcapng file describes it (interface description block); its packets point at it. */
struct pkt_iface {
	uint32_t index;           /* its id within its section: what the packet blocks give (tshark's frame.interface_id) */
	int linktype;             /* DLT_* value */
	bool nano;                /* its timestamps are finer than microseconds (if_tsresol) */
	const char *name;         /* if_name made printable (control bytes and invalid UTF-8 as '?'), or NULL */
};

/* A whole decoded packet. */
struct packet {
	uint64_t n;               /* 1-based number among packets that passed the filter */
	int64_t ts_sec;           /* capture timestamp, seconds since the epoch */
	uint32_t ts_nsec;         /* nanoseconds (microsecond captures: a multiple of 1000) */
	uint32_t caplen, len;     /* captured and on-the-wire lengths */
	int linktype;             /* DLT_* value from pcap_datalink() */
	bool link_supported;      /* false: "unsupported link type NAME"; nothing below link is decoded */
	struct link_info link;
	enum dec_status status;   /* worst of the link layer and ip.status */
	enum layer_id trunc_layer; /* when DEC_TRUNCATED: where the capture cut */
	enum layer_id bad_layer;  /* when DEC_INVALID */
	const char *bad_field;    /* when DEC_INVALID */
	bool has_ip;              /* ip holds a decoded (maybe partial) IP packet */
	struct ip_layer ip;
	bool has_inner;           /* inner holds the IP packet quoted in an ICMP/ICMPv6 error */
	struct ip_layer inner;
	struct app_layer app;     /* DNS, HTTP or ARP summary (of the outer packet only) */
	const uint8_t *data;      /* the captured bytes (caller's buffer, valid for this callback only) */
	/* What a pcapng file says about the packet besides its bytes; decode_packet() resets them (none), the
	   capture source sets them after. */
	const struct pkt_iface *iface; /* the interface that captured it; NULL for classic pcap and live capture */
	bool iface_several;       /* with iface: the file has described more than one interface (text names it) */
	const char *comment;      /* its first opt_comment, comment_len bytes (not terminated, as in the file), or NULL */
	uint16_t comment_len;
};

/*
 * The packet's timestamp in ns since the epoch, clamped to +-(2^62 - 1) ns (years 1824
 * to 2116, wider than a classic pcap's 32-bit seconds) so that the difference of two such times never
 * overflows. libpcap hands over any 64-bit ts_sec a pcapng file's if_tsoffset or a 1-second if_tsresol
 * produces, and any 32-bit fraction a damaged pcap record header holds (so ts_nsec may exceed 999999999).
 */
#define PACKET_TS_NS_LIMIT (((int64_t)1 << 62) - 1)
/* sec seconds and nsec nanoseconds (0 to 2^42) as nanoseconds within the limit: a record's time before it
   is a packet (the same value packet_time_ns() gives the packet). */
static inline int64_t time_ns_clamped(int64_t sec, int64_t nsec)
{
	const int64_t lim_s = PACKET_TS_NS_LIMIT / 1000000000;
	if (sec > lim_s)
		return PACKET_TS_NS_LIMIT;
	if (sec < -lim_s)
		return -PACKET_TS_NS_LIMIT;
	int64_t ns = sec * 1000000000 + nsec;
	return ns > PACKET_TS_NS_LIMIT ? PACKET_TS_NS_LIMIT : ns < -PACKET_TS_NS_LIMIT ? -PACKET_TS_NS_LIMIT : ns;
}

static inline int64_t packet_time_ns(const struct packet *p)
{
	return time_ns_clamped(p->ts_sec, (int64_t)p->ts_nsec);
}

#endif
