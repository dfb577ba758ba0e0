/* names.c — {value, "name"} tables: layers, link types, ethertypes, IP protocols, IPv4 options, ICMP, TCP flags, DNS, ARP. */
#include <pcap/pcap.h>

#include "decode/decode.h"

#include "common/tok.h"

static const struct tok layer_names[] = {
	{ LAYER_ETH, "eth" },     { LAYER_VLAN, "vlan" }, { LAYER_NULL, "null" },
	{ LAYER_SLL, "sll" },     { LAYER_SLL2, "sll2" }, { LAYER_IPV4, "ip" },
	{ LAYER_IPV6, "ip6" },    { LAYER_IPV6EXT, "ip6-ext" }, { LAYER_TCP, "tcp" },
	{ LAYER_UDP, "udp" },     { LAYER_ICMP, "icmp" }, { LAYER_ICMP6, "icmp6" },
	{ LAYER_ARP, "arp" },     { LAYER_DNS, "dns" },   { LAYER_HTTP, "http" },
	{ 0, NULL },
};

const char *layer_name(enum layer_id layer)
{
	return tok2str(layer_names, "", layer);
}

/* The link types we decode, by the DLT value pcap_datalink() returns (and LINKTYPE_RAW's 101). */
static const struct tok linktype_names[] = {
	{ 0, "NULL" },          { 1, "EN10MB" },      { 12, "RAW" },  { 14, "RAW" },
	{ 101, "RAW" },         { 108, "LOOP" },      { 113, "LINUX_SLL" },
	{ 228, "IPV4" },        { 229, "IPV6" },      { 276, "LINUX_SLL2" },
	{ 0, NULL },
};

const char *linktype_name(int linktype)
{
	const char *n = tok2str(linktype_names, NULL, linktype);
	return n ? n : pcap_datalink_val_to_name(linktype);
}

/* IANA protocol numbers (https://www.iana.org/assignments/protocol-numbers), keyword style. */
static const struct tok ipproto_names[] = {
	{ 0, "hopopt" },   { 1, "icmp" },     { 2, "igmp" },   { 4, "ipip" },     { 6, "tcp" },
	{ 8, "egp" },      { 17, "udp" },     { 33, "dccp" },  { 41, "ipv6" },    { 43, "ipv6-route" },
	{ 44, "ipv6-frag" }, { 46, "rsvp" },  { 47, "gre" },   { 50, "esp" },     { 51, "ah" },
	{ 58, "icmp6" },   { 59, "ipv6-nonxt" }, { 60, "ipv6-opts" }, { 88, "eigrp" }, { 89, "ospf" },
	{ 103, "pim" },    { 112, "vrrp" },   { 115, "l2tp" }, { 132, "sctp" },   { 135, "mobility" },
	{ 136, "udplite" }, { 137, "mpls-in-ip" }, { 143, "ethernet" },
	{ 0, NULL },
};

const char *ipproto_name(int proto)
{
	return tok2str(ipproto_names, NULL, proto);
}

/* IEEE ethertypes (https://standards-oui.ieee.org/ethertype/). */
static const struct tok ether_type_names[] = {
	{ 0x0800, "ipv4" },    { 0x0806, "arp" },     { 0x8035, "rarp" },   { 0x809b, "appletalk" },
	{ 0x80f3, "aarp" },    { 0x8100, "vlan" },    { 0x8137, "ipx" },    { 0x86dd, "ipv6" },
	{ 0x8809, "slow" },    { 0x8847, "mpls" },    { 0x8848, "mpls-mcast" },
	{ 0x8863, "pppoe-discovery" }, { 0x8864, "pppoe-session" }, { 0x888e, "eapol" },
	{ 0x88a8, "qinq" },    { 0x88cc, "lldp" },    { 0x88e5, "macsec" }, { 0x88f7, "ptp" },
	{ 0x8906, "fcoe" },    { 0x9000, "loopback" }, { 0x9100, "qinq-old" },
	{ 0, NULL },
};

const char *ether_type_name(int ethertype)
{
	return tok2str(ether_type_names, NULL, ethertype);
}

/* ICMP types (RFC 792, RFC 950, RFC 1256). */
static const struct tok icmp_types[] = {
	{ 0, "echo reply" },          { 3, "destination unreachable" }, { 4, "source quench" },
	{ 5, "redirect" },            { 8, "echo request" },            { 9, "router advertisement" },
	{ 10, "router solicitation" }, { 11, "time exceeded" },         { 12, "parameter problem" },
	{ 13, "timestamp request" },  { 14, "timestamp reply" },        { 15, "information request" },
	{ 16, "information reply" },  { 17, "address mask request" },   { 18, "address mask reply" },
	{ 0, NULL },
};

/* Destination unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1). */
static const struct tok icmp_unreach_codes[] = {
	{ 0, "net unreachable" },       { 1, "host unreachable" },
	{ 2, "protocol unreachable" },  { 3, "port unreachable" },
	{ 4, "fragmentation needed" },  { 5, "source route failed" },
	{ 6, "destination network unknown" }, { 7, "destination host unknown" },
	{ 8, "source host isolated" },  { 9, "network administratively prohibited" },
	{ 10, "host administratively prohibited" }, { 11, "network unreachable for TOS" },
	{ 12, "host unreachable for TOS" }, { 13, "communication administratively prohibited" },
	{ 14, "host precedence violation" }, { 15, "precedence cutoff in effect" },
	{ 0, NULL },
};

static const struct tok icmp_redirect_codes[] = {
	{ 0, "redirect for network" },         { 1, "redirect for host" },
	{ 2, "redirect for TOS and network" }, { 3, "redirect for TOS and host" },
	{ 0, NULL },
};

static const struct tok icmp_timxceed_codes[] = {
	{ 0, "TTL exceeded in transit" }, { 1, "fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct tok icmp_paramprob_codes[] = {
	{ 0, "pointer indicates the error" }, { 1, "missing a required option" }, { 2, "bad length" },
	{ 0, NULL },
};

const char *icmp_type_name(int type)
{
	return tok2str(icmp_types, NULL, type);
}

const char *icmp_code_name(int type, int code)
{
	switch (type) {
	case 3: return tok2str(icmp_unreach_codes, NULL, code);
	case 5: return tok2str(icmp_redirect_codes, NULL, code);
	case 11: return tok2str(icmp_timxceed_codes, NULL, code);
	case 12: return tok2str(icmp_paramprob_codes, NULL, code);
	default: return NULL;
	}
}

/* ICMPv6 types (RFC 4443, RFC 4861, RFC 2710, RFC 3810, RFC 2894). */
static const struct tok icmp6_types[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" },  { 3, "time exceeded" },
	{ 4, "parameter problem" },       { 128, "echo request" },  { 129, "echo reply" },
	{ 130, "multicast listener query" }, { 131, "multicast listener report" },
	{ 132, "multicast listener done" }, { 133, "router solicitation" },
	{ 134, "router advertisement" },  { 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" }, { 137, "redirect" },     { 138, "router renumbering" },
	{ 143, "multicast listener report v2" },
	{ 0, NULL },
};

static const struct tok icmp6_unreach_codes[] = {
	{ 0, "no route to destination" }, { 1, "administratively prohibited" },
	{ 2, "beyond scope of source address" }, { 3, "address unreachable" },
	{ 4, "port unreachable" }, { 5, "source address failed ingress/egress policy" },
	{ 6, "reject route to destination" },
	{ 0, NULL },
};

static const struct tok icmp6_timxceed_codes[] = {
	{ 0, "hop limit exceeded in transit" }, { 1, "fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct tok icmp6_paramprob_codes[] = {
	{ 0, "erroneous header field" }, { 1, "unrecognized next header" },
	{ 2, "unrecognized IPv6 option" }, { 3, "first fragment has incomplete header chain" },
	{ 0, NULL },
};

const char *icmp6_type_name(int type)
{
	return tok2str(icmp6_types, NULL, type);
}

const char *icmp6_code_name(int type, int code)
{
	switch (type) {
	case 1: return tok2str(icmp6_unreach_codes, NULL, code);
	case 3: return tok2str(icmp6_timxceed_codes, NULL, code);
	case 4: return tok2str(icmp6_paramprob_codes, NULL, code);
	default: return NULL;
	}
}

bool icmp_is_error(int type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

bool icmp6_is_error(int type)
{
	return type >= 1 && type <= 4;
}

/* IPv4 option types (IANA "IP Option Numbers"; RFC 791, RFC 2113 router alert, RFC 4782 quick-start).
 * The four classics keep the names tcpdump and Wireshark show (LSRR, SSRR, RA); the rest are IANA's. */
static const struct tok ipv4_opt_names[] = {
	{ IPOPT_EOL, "EOL" },    { IPOPT_NOP, "NOP" },    { IPOPT_RR, "RR" },      { IPOPT_TS, "TS" },
	{ IPOPT_SEC, "SEC" },    { IPOPT_LSRR, "LSRR" },  { IPOPT_SSRR, "SSRR" },  { IPOPT_RA, "RA" },
	{ 10, "ZSU" },           { 11, "MTUP" },          { 12, "MTUR" },          { 15, "ENCODE" },
	{ 25, "QS" },            { 30, "EXP" },           { 82, "TR" },            { 94, "EXP" },
	{ 133, "E-SEC" },        { 134, "CIPSO" },        { 136, "SID" },          { 142, "VISA" },
	{ 144, "IMITD" },        { 145, "EIP" },          { 147, "ADDEXT" },       { 149, "SDB" },
	{ 151, "DPS" },          { 152, "UMP" },          { 158, "EXP" },          { 205, "FINN" },
	{ 222, "EXP" },
	{ 0, NULL },
};

const char *ipv4_opt_name(int type)
{
	return tok2str(ipv4_opt_names, NULL, type);
}

/* tcpdump's letters, in the order tcpdump 4.99 prints them ("S.", "P.", "S.E", "SEW"). */
static const struct tok tcp_flag_letters[] = {
	{ TCP_FIN, "F" }, { TCP_SYN, "S" }, { TCP_RST, "R" }, { TCP_PSH, "P" }, { TCP_ACK, "." },
	{ TCP_URG, "U" }, { TCP_ECE, "E" }, { TCP_CWR, "W" }, { TCP_NS, "e" },
	{ 0, NULL },
};

char *tcp_flags_str(uint16_t flags, char *buf)
{
	char *p = buf;
	for (const struct tok *e = tcp_flag_letters; e->s; e++)
		if (flags & e->v)
			*p++ = e->s[0];
	if (p == buf) {
		const char *none = "none";
		while (*none)
			*p++ = *none++;
	}
	*p = '\0';
	return buf;
}

/* DNS RR types (IANA "Resource Record (RR) TYPEs"), as tcpdump and dig name them. */
static const struct tok dns_types[] = {
	{ 1, "A" },        { 2, "NS" },         { 5, "CNAME" },   { 6, "SOA" },       { 12, "PTR" },
	{ 13, "HINFO" },   { 15, "MX" },        { 16, "TXT" },    { 17, "RP" },       { 18, "AFSDB" },
	{ 24, "SIG" },     { 25, "KEY" },       { 28, "AAAA" },   { 29, "LOC" },      { 33, "SRV" },
	{ 35, "NAPTR" },   { 36, "KX" },        { 37, "CERT" },   { 39, "DNAME" },    { 41, "OPT" },
	{ 42, "APL" },     { 43, "DS" },        { 44, "SSHFP" },  { 45, "IPSECKEY" }, { 46, "RRSIG" },
	{ 47, "NSEC" },    { 48, "DNSKEY" },    { 49, "DHCID" },  { 50, "NSEC3" },    { 51, "NSEC3PARAM" },
	{ 52, "TLSA" },    { 53, "SMIMEA" },    { 55, "HIP" },    { 59, "CDS" },      { 60, "CDNSKEY" },
	{ 61, "OPENPGPKEY" }, { 62, "CSYNC" },  { 63, "ZONEMD" }, { 64, "SVCB" },     { 65, "HTTPS" },
	{ 99, "SPF" },     { 249, "TKEY" },     { 250, "TSIG" },  { 251, "IXFR" },    { 252, "AXFR" },
	{ 253, "MAILB" },  { 254, "MAILA" },    { 255, "ANY" },   { 256, "URI" },     { 257, "CAA" },
	{ 0, NULL },
};

const char *dns_type_name(int type)
{
	return tok2str(dns_types, NULL, (unsigned)type);
}

/* DNS classes (RFC 1035 §3.2.4, §3.2.5). */
static const struct tok dns_classes[] = {
	{ 1, "IN" }, { 3, "CH" }, { 4, "HS" }, { 254, "NONE" }, { 255, "ANY" }, { 0, NULL },
};

const char *dns_class_name(int cls)
{
	return tok2str(dns_classes, NULL, (unsigned)cls);
}

/* DNS RCODEs (RFC 1035 §4.1.1, RFC 2136 §2.2; extended: RFC 6891 BADVERS, RFC 7873 BADCOOKIE), as tcpdump
   prints them. */
static const struct tok dns_rcodes[] = {
	{ 1, "FormErr" },  { 2, "ServFail" }, { 3, "NXDomain" }, { 4, "NotImp" },   { 5, "Refused" },
	{ 6, "YXDomain" }, { 7, "YXRRSet" },  { 8, "NXRRSet" },  { 9, "NotAuth" },  { 10, "NotZone" },
	{ 16, "BadVers" }, { 23, "BadCookie" }, { 0, NULL },
};

const char *dns_rcode_name(int rcode)
{
	return tok2str(dns_rcodes, NULL, (unsigned)rcode);
}

/* DNS OPCODEs (RFC 1035 §4.1.1, RFC 1996 NOTIFY, RFC 2136 UPDATE), as tcpdump prints them. */
static const struct tok dns_opcodes[] = {
	{ 1, "inv_q" }, { 2, "stat" }, { 4, "notify" }, { 5, "update" }, { 0, NULL },
};

const char *dns_opcode_name(int opcode)
{
	return tok2str(dns_opcodes, NULL, (unsigned)opcode);
}

/* ARP operations (RFC 826, RFC 903 RARP, RFC 2390 InARP), as tcpdump names them. */
static const struct tok arp_ops[] = {
	{ 1, "Request" }, { 2, "Reply" }, { 3, "Reverse Request" }, { 4, "Reverse Reply" },
	{ 8, "Inverse Request" }, { 9, "Inverse Reply" }, { 0, NULL },
};

const char *arp_op_name(int op)
{
	return tok2str(arp_ops, NULL, (unsigned)op);
}
