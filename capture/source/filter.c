/* filter.c — one BPF expression compiled once for each link type it meets (a BPF program reads one link type's headers). */
#include "source/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SNAPLEN 262144

/* The expression for one link type. */
struct ltprog {
	int linktype;
	bool ok;                      /* compiled: prog is set; else why says libpcap's error */
	struct bpf_program prog;
	char why[PCAP_ERRBUF_SIZE];
};

struct filter {
	char *expr;
	int snaplen;
	struct ltprog *p;             /* one per link type met, in the order met */
	size_t n, cap;
	size_t last;                  /* p[last] served the last call: a file of one link type hits it every time */
};

static struct ltprog *filter_find(const struct filter *f, int linktype)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->p[i].linktype == linktype)
			return &f->p[i];
	return NULL;
}

/* The entry for linktype, compiled now when new; NULL only when out of memory. */
static struct ltprog *filter_for(struct filter *f, int linktype)
{
	struct ltprog *e = filter_find(f, linktype);
	if (e)
		return e;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;
		struct ltprog *p = realloc(f->p, cap * sizeof *p);
		if (!p)
			return NULL;
		f->p = p;
		f->cap = cap;
	}
	e = &f->p[f->n];
	memset(e, 0, sizeof *e);
	e->linktype = linktype;
	pcap_t *dead = pcap_open_dead(linktype, f->snaplen);
	if (!dead) {
		snprintf(e->why, sizeof e->why, "out of memory");
	} else {
		e->ok = pcap_compile(dead, &e->prog, f->expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
		if (!e->ok)
			snprintf(e->why, sizeof e->why, "%s", pcap_geterr(dead));
		pcap_close(dead);
	}
	f->n++;
	return e;
}

struct filter *filter_compile(const char *expr, int linktype, int snaplen, char *err, size_t errlen)
{
	struct filter *f = calloc(1, sizeof *f);
	if (f)
		f->expr = strdup(expr);
	if (!f || !f->expr) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->snaplen = snaplen > 0 ? snaplen : DEFAULT_SNAPLEN;
	if (!filter_prepare(f, linktype, err, errlen)) {
		filter_free(f);
		return NULL;
	}
	return f;
}

bool filter_prepare(struct filter *f, int linktype, char *err, size_t errlen)
{
	struct ltprog *e = filter_for(f, linktype);
	if (e && e->ok)
		return true;
	snprintf(err, errlen, "%s", e ? e->why : "out of memory");
	return false;
}

int filter_run(struct filter *f, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct ltprog *e = f->n > f->last ? &f->p[f->last] : NULL;
	if (!e || e->linktype != linktype) {
		e = filter_for(f, linktype);
		if (!e)
			return -1;
		f->last = (size_t)(e - f->p);
	}
	if (!e->ok)
		return -1;
	return bpf_filter(e->prog.bf_insns, data, len, caplen) != 0;
}

bool filter_match(struct filter *f, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	return filter_run(f, linktype, data, caplen, len) > 0;
}

const char *filter_why(const struct filter *f, int linktype)
{
	const struct ltprog *e = filter_find(f, linktype);
	return e ? e->why : "";
}

struct bpf_program *filter_program(struct filter *f, int linktype)
{
	struct ltprog *e = filter_for(f, linktype);
	return e && e->ok ? &e->prog : NULL;
}

const char *filter_expr(const struct filter *f)
{
	return f->expr;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->p[i].ok)
			pcap_freecode(&f->p[i].prog);
	free(f->p);
	free(f->expr);
	free(f);
}
