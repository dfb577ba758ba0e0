/* filter.h — one BPF expression compiled once for each link type it meets, since a BPF program is link-type specific. */
#ifndef SYNWATCH_FILTER_H
#define SYNWATCH_FILTER_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filter;

/*
 * The expression compiled for linktype (a DLT_* value) with snaplen (0: 262144): NULL with libpcap's
 * error in err when it is invalid there (or no memory). Other link types are compiled when first met.
 */
struct filter *filter_compile(const char *expr, int linktype, int snaplen, char *err, size_t errlen);

/* Compile for linktype now (as filter_run would): false with libpcap's error in err. */
bool filter_prepare(struct filter *f, int linktype, char *err, size_t errlen);

/* 1 the packet matches, 0 it does not, -1 the expression is invalid for its link type (filter_why). */
int filter_run(struct filter *f, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);

/* The same where "invalid for this link type" counts as no match. */
bool filter_match(struct filter *f, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);

/* libpcap's reason the expression is invalid for linktype ("" when it is not, or was not tried). */
const char *filter_why(const struct filter *f, int linktype);

/* The program for linktype (compiled if need be), for pcap_setfilter(); NULL when invalid there. */
struct bpf_program *filter_program(struct filter *f, int linktype);

const char *filter_expr(const struct filter *f);
void filter_free(struct filter *f);

#endif
