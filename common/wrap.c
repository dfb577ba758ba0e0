/* wrap.c — breaking text into lines of a number of columns at spaces, for the panel and the text ladder. */
#include "common/wrap.h"

size_t wrap_take(const char *p, int room)
{
	if (room < 1)
		room = 1;
	size_t last_space = 0, at_room = 0;
	int col = 0;
	size_t i = 0;
	for (; p[i]; i++) {
		if (((unsigned char)p[i] & 0xC0) == 0x80)
			continue; /* a UTF-8 continuation byte: same column */
		if (col == room) {
			at_room = i;
			break;
		}
		if (p[i] == ' ')
			last_space = i;
		col++;
	}
	if (!p[i])
		return i; /* the rest fits */
	if (p[at_room] == ' ')
		return at_room;
	return last_space ? last_space : at_room;
}
