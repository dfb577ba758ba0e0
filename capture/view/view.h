/* view.h — the non-interactive views: one text line or one JSON object per packet, socket call or socket change. */
#ifndef SYNWATCH_VIEW_H
#define SYNWATCH_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "calls/events.h"
#include "calls/sockdiag.h"
#include "decode/decode.h"
#include "track/flow.h"
#include "view/obuf.h"
#include "packet.h"

/* One line per packet, tcpdump-like, with relative numbers, analysis events and state changes. */
void view_text_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano);
/* One JSON object per line; keys documented in README ("JSON output"). */
void view_json_packet(struct obuf *o, const struct packet *p, const struct track_result *tr, bool nano);

/* A socket call at its place on the timeline at_ns (timeline_call_key()): "HH:MM:SS.ffffff call  ROLE pid
   PID: STRACE-LINE | flow N client", or an object with the keys README lists ("call", "ts", "at", ...).
   f is the flow the call was matched to, made by the end side; NULL when none. */
void view_text_call(struct obuf *o, const struct sock_event *ev, int64_t at_ns, bool nano, const struct flow *f,
		    enum flow_dir side);
void view_json_call(struct obuf *o, const struct sock_event *ev, int64_t at_ns, const struct flow *f, enum flow_dir side);
/* A change of the kernel's socket table seen at now_ns (before is NULL when the socket appeared, after when
   it is gone): "HH:MM:SS.ffffff socket + tcp ESTAB ..." (with " (was STATE)" for a state change), or an
   object {"socket":"appeared"|"gone"|"state"|"queues","ts":...,"proto":...,"was":...,"state":...}. */
void view_text_socket(struct obuf *o, enum sockdiag_change what, const struct sockdiag_row *before,
		      const struct sockdiag_row *after, int64_t now_ns, bool nano);
void view_json_socket(struct obuf *o, enum sockdiag_change what, const struct sockdiag_row *before,
		      const struct sockdiag_row *after, int64_t now_ns);

/* Time of day as HH:MM:SS.ffffff (local time; 9 decimals when nano), cached per second. */
void view_time(struct obuf *o, int64_t sec, uint32_t nsec, bool nano);

/* tcp_flags_str() of flags, from a table made on first use; *len gets its length. The pointer has 16
   readable bytes (copy them whole, count *len). Not thread-safe. */
const char *view_tcp_flags(uint16_t flags, uint8_t *len);

/* One IPv4 option as text ("RR 127.0.0.1 (8 free)", "TS 127.0.0.1@4233000 (3 free)", "RA 0",
   "SEC len 11", "opt-99 len 4 [length beyond the options]") at p, at most VIEW_IPV4_OPT_MAX bytes;
   returns the new end. Shared by the text view and the TUI's details. */
#define VIEW_IPV4_OPT_MAX 320
char *view_ipv4_opt(char *p, const struct ipv4_opt *o);
/* The IPv4 options of ip (ip->ip_opts set) at p, comma-separated, each written by one() after checking for
   room bytes in o; returns the new end. The text and JSON views' option lists. */
char *view_ipv4_opt_list(struct obuf *o, char *p, const struct ip_layer *ip, size_t room,
			 char *(*one)(char *p, const struct ipv4_opt *opt));

/*
 * Application summaries as tcpdump writes them, shared by the text view and the panel's details. Each
 * writes at p at most the bytes its _MAX says and returns the new end.
 *   view_dns_head: "22839+ [1au] A? www.example.com." (query), "22839 NXDomain*- 0/1/0" (response: id,
 *                  rcode, flags, answer/authority/additional counts)
 *   view_dns_rr:   one answer as tcpdump appends it: " A 93.184.216.34", " CNAME example.com.", " MX mx. 10"
 *   view_arp:      "Request who-has 10.0.0.1 tell 10.0.0.2", "Reply 10.0.0.1 is-at 02:00:00:00:00:01"
 *   view_http_bytes: n bytes of an HTTP line, those outside printable ASCII as \xHH (4 * n at most)
 * view_app_text() writes the packet's whole summary after ": " into o (nothing for APP_NONE, or a DNS
 * message whose header was not read), leaving `slack` bytes of room after it: DNS's head and, for a
 * response, its answers separated by ','; "HTTP: " and the line ("..." when it goes on past the segment
 * or the capture); the ARP sentence.
 */
#define VIEW_DNS_HEAD_MAX 1280
#define VIEW_DNS_RR_MAX 2048
#define VIEW_ARP_MAX 512
char *view_dns_head(char *p, const struct dns_msg *d);
char *view_dns_rr(char *p, const struct dns_msg *d, const struct dns_rr *rr);
char *view_arp(char *p, const struct arp_pkt *a);
char *view_http_bytes(char *p, const uint8_t *s, size_t n);
char *view_app_text(struct obuf *o, char *p, const struct packet *pkt, size_t slack);
/* The same summary without the leading ": ", NUL-terminated in buf (the panel's Info column): it stops
   before a piece that does not fit (a DNS answer, an HTTP line's next 1024 bytes); returns its length, 0
   when the packet has none. VIEW_APP_LINE_MAX holds a DNS head and an answer, or 1024 bytes of HTTP. */
#define VIEW_APP_LINE_MAX (VIEW_DNS_HEAD_MAX + VIEW_DNS_RR_MAX + 8)
size_t view_app_line(char *buf, size_t size, const struct packet *pkt);
/* One of an ARP packet's four addresses (a->addrs set): IPv4/IPv6 text for protocol addresses of those
   types, else hex bytes separated by ':' (the first 32, then "..."); at most VIEW_ARP_ADDR_MAX bytes. */
enum arp_which { ARP_SHA, ARP_SPA, ARP_THA, ARP_TPA };
#define VIEW_ARP_ADDR_MAX 112
char *view_arp_addr(char *p, const struct arp_pkt *a, enum arp_which which);

#endif
