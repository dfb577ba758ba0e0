/* sockdemo.c — TCP/UDP demo client and server (skeleton, being written). */
#include <stdio.h>

int main(void)
{
	fputs("sockdemo: not built yet\n", stderr);
	return 1;
}
