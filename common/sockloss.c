/* sockloss.c — socket filters that drop a share of a TCP socket's incoming data segments (classic BPF): at random, or one in n by the IPv4 identification. */
#include "common/sockloss.h"

#include <stdint.h>
#include <string.h>

void sockloss_random(struct sock_filter code[SOCKLOSS_LEN], unsigned permille)
{
	const struct sock_filter prog[SOCKLOSS_LEN] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 100, 0, 3), /* a header alone: kept */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_RANDOM)),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 1000),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, permille, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu), /* kept */
		BPF_STMT(BPF_RET | BPF_K, 0),           /* dropped */
	};
	memcpy(code, prog, sizeof prog);
}

void sockloss_every(struct sock_filter code[SOCKLOSS_LEN], unsigned n)
{
	const struct sock_filter prog[SOCKLOSS_LEN] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 100, 0, 3), /* a header alone: kept */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, (uint32_t)(SKF_NET_OFF + 4)), /* the IPv4 identification */
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, n - 1),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu), /* kept */
		BPF_STMT(BPF_RET | BPF_K, 0),           /* dropped */
	};
	memcpy(code, prog, sizeof prog);
}
