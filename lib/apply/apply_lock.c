/*
 * apply_lock.c - one apply at a time, per store and per org.  Two applies
 * of one file side by side would both perform its operations (each reads
 * the state before the other's write lands), and both would journal them.
 * A sync or gc is kept alone by the store's SQLite write lock, held for
 * the whole write; an apply cannot hold that lock (every journal row is
 * committed on its own, so a kill loses nothing), so it takes advisory
 * locks instead: flock() on a file next to the store, and on one per org
 * (its Id and instance) in the user's runtime directory, so two stores
 * cannot change one org at once either.  The kernel drops them when the
 * process ends, so a killed apply never leaves a stale lock.
 */
#include "apply.h"
#include "fnv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct sfa_apply_lock {
	int fd[2]; /* the store's, the org's */
};

/* Takes an exclusive lock on path without waiting; the pid of the holder
 * goes into the file so that the next one can name it. */
static int take(const char *path, int *fd_out, const char *what,
		sfa_err *err)
{
	char pid[32] = "";
	ssize_t n;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return sfa_err_set(err, SFA_EIO, "cannot lock %s: %s (%s)",
				   what, strerror(errno), path);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		if (e != EWOULDBLOCK)
			return sfa_err_set(err, SFA_EIO,
					   "cannot lock %s: %s (%s)", what,
					   strerror(e), path);
		return sfa_err_set(err, SFA_EBUSY,
				   "%s is in use by another sfaccess apply%s%s%s; "
				   "try again when it has finished (nothing "
				   "was changed)",
				   what, pid[0] ? " (pid " : "", pid,
				   pid[0] ? ")" : "");
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0)
		n = pwrite(fd, pid, strlen(pid), 0);
	(void)n;
	*fd_out = fd;
	return 0;
}

static const char *runtime_dir(void)
{
	const char *d = getenv("XDG_RUNTIME_DIR");

	if (!d || !*d)
		d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

int sfa_apply_lock_take(sfa_apply_lock **out, const char *store_path,
			const char *org_id, const char *instance_url,
			sfa_err *err)
{
	sfa_apply_lock *l = malloc(sizeof(*l));
	char path[4096], what[600];
	int rc;

	*out = NULL;
	if (!l)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	l->fd[0] = l->fd[1] = -1;
	snprintf(path, sizeof(path), "%s.apply-lock", store_path);
	snprintf(what, sizeof(what), "store %s", store_path);
	if ((rc = take(path, &l->fd[0], what, err))) {
		sfa_apply_lock_free(l);
		return rc;
	}
	snprintf(path, sizeof(path), "%s/sfaccess-%ld-apply-%s-%016llx.lock",
		 runtime_dir(), (long)getuid(), org_id,
		 (unsigned long long)sfa_fnv1a(instance_url));
	snprintf(what, sizeof(what), "org %s (%s)", org_id,
		 instance_url ? instance_url : "");
	if ((rc = take(path, &l->fd[1], what, err))) {
		sfa_apply_lock_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

void sfa_apply_lock_free(sfa_apply_lock *l)
{
	int i;

	if (!l)
		return;
	for (i = 0; i < 2; i++)
		if (l->fd[i] >= 0)
			close(l->fd[i]);
	free(l);
}
