/* privs.c — drops root to an unprivileged user and clears all capabilities, without libcap. */
#include "app/privs.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* capset(2) with all three sets empty: what we hold is given up for good. */
static bool caps_clear(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof data);
	return syscall(SYS_capset, &hdr, data) == 0;
}

/* The user who ran `sudo synwatch`, when that is who we are: files we write then belong to them. */
static const char *sudo_user(void)
{
	const char *name = getenv("SUDO_USER");
	const char *uid = getenv("SUDO_UID");
	if (!name || !*name || !uid || strcmp(uid, "0") == 0)
		return NULL;
	struct passwd *pw = getpwnam(name);
	if (!pw || pw->pw_uid == 0)
		return NULL;
	char buf[24];
	snprintf(buf, sizeof buf, "%u", (unsigned)pw->pw_uid);
	return strcmp(buf, uid) == 0 ? name : NULL;
}

bool privs_drop(const char *user, char *err, size_t errlen)
{
	if (!user) {
		user = sudo_user();
		if (!user)
			user = "nobody";
	}
	if (geteuid() == 0 && strcmp(user, "root") != 0) {
		errno = 0;
		struct passwd *pw = getpwnam(user);
		if (!pw) {
			snprintf(err, errlen, "cannot switch to user '%s': %s; name an existing user with -Z USER",
				 user, errno ? strerror(errno) : "no such user");
			return false;
		}
		gid_t gid = pw->pw_gid;
		if (setgroups(1, &gid) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
			snprintf(err, errlen, "cannot switch to user '%s': %s", user, strerror(errno));
			return false;
		}
		if (pw->pw_uid != 0 && setuid(0) == 0) {
			snprintf(err, errlen, "switched to user '%s' but could regain root; refusing to go on", user);
			return false;
		}
	}
	if (geteuid() != 0 || strcmp(user, "root") != 0) {
		if (!caps_clear()) {
			snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
			return false;
		}
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
	return true;
}
