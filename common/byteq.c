/* byteq.c — the placement rule of a FIFO of byte spans in one fixed buffer. */
#include "common/byteq.h"

bool byteq_fit(size_t size, bool held, size_t oldest_off, size_t newest_off, size_t newest_end, size_t len,
	       size_t *pos)
{
	if (len > size)
		return false;
	if (!held) {
		*pos = 0;
		return true;
	}
	if (newest_off >= oldest_off) { /* held bytes are [oldest_off, newest_end): room after, else before */
		if (size - newest_end >= len) {
			*pos = newest_end;
			return true;
		}
		if (oldest_off >= len) {
			*pos = 0;
			return true;
		}
		return false;
	}
	if (oldest_off - newest_end >= len) { /* wrapped: held are [oldest_off, top) and [0, newest_end) */
		*pos = newest_end;
		return true;
	}
	return false;
}
