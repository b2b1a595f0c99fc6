/*
 * file.c - the whole-file readers of file.h.
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "secret.h"

/* Sets err about the file: before, "<what> <path>", after; where is the
 * path. */
static int file_err(sfa_err *err, int code, const char *what, const char *path,
		    const char *before, const char *after)
{
	sfa_err_where(err, "%.200s", path);
	return sfa_err_set(err, code, "%s%s%s%.300s%s", before,
			   what ? what : "", what ? " " : "", path, after);
}

/* Reads fd to its end into *data with a NUL after the bytes: at most max
 * bytes, more is SFA_EINPUT.  A secret is read into one buffer of max + 2
 * bytes, wiped when it is given up: realloc would leave copies of it in
 * the heap.  Returns 0, SFA_EINPUT, SFA_EIO (errno set) or SFA_ENOMEM. */
static int read_all(int fd, size_t max, int secret, char **data, size_t *len)
{
	size_t n = 0, cap = 0;
	char *buf = NULL;
	ssize_t r = 0;
	int rc = 0;

	/* Room for one byte past max, to tell a file that is too large. */
	if (secret && !(buf = malloc(cap = max + 2)))
		return SFA_ENOMEM;
	while (rc == 0) {
		size_t room;

		if (!secret && SFA_GROW(buf, cap, n + 65536 + 1)) {
			rc = SFA_ENOMEM;
			break;
		}
		room = cap - n - 1 < max + 1 - n ? cap - n - 1 : max + 1 - n;
		r = read(fd, buf + n, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n > max)
			rc = SFA_EINPUT;
	}
	if (rc == 0 && r < 0)
		rc = SFA_EIO;
	if (rc) {
		if (secret)
			sfa_secret_wipe(buf, cap);
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int read_fd(int fd, const char *path, const char *what, size_t max,
		   int secret, char **data, size_t *len, sfa_err *err)
{
	int rc = read_all(fd, max, secret, data, len);
	int e = errno;
	char after[160];

	close(fd);
	if (rc == SFA_EIO) {
		snprintf(after, sizeof(after), ": %s", strerror(e));
		return file_err(err, rc, what, path, "cannot read ", after);
	}
	if (rc == SFA_EINPUT) {
		snprintf(after, sizeof(after), " is larger than %zu bytes",
			 max);
		return file_err(err, rc, what, path, "", after);
	}
	if (rc)
		return sfa_err_set(err, rc, "out of memory");
	return 0;
}

static int open_error(const char *path, const char *what, sfa_err *err)
{
	char after[160];
	int e = errno;

	snprintf(after, sizeof(after), ": %s", strerror(e));
	return file_err(err, e == ENOENT ? SFA_ENOTFOUND : SFA_EINPUT, what,
			path, "cannot open ", after);
}

int sfa_read_file(const char *path, const char *what, size_t max, char **data,
		  size_t *len, sfa_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return open_error(path, what, err);
	return read_fd(fd, path, what, max, 0, data, len, err);
}

int sfa_read_private_file(const char *path, const char *what, size_t max,
			  char **data, size_t *len, sfa_err *err)
{
	struct stat st;
	char after[512];
	/* O_NONBLOCK: a FIFO would otherwise block the open, before it can
	 * be refused; on a regular file the flag changes nothing. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	*data = NULL;
	*len = 0;
	/* The mode checked must be that of the file read: a link's target
	 * can be changed between a check and the read. */
	if (fd < 0 && errno == ELOOP)
		return file_err(err, SFA_EINPUT, what, path, "",
				" is a symbolic link: name the file itself");
	if (fd < 0)
		return open_error(path, what, err);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return file_err(err, SFA_EINPUT, what, path, "",
				" is not a regular file");
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		snprintf(after, sizeof(after),
			 " is open to group or others (mode %03o): run `chmod "
			 "600 %.300s`, and replace the secret it holds if "
			 "someone else may have read it",
			 (unsigned)(st.st_mode & 0777), path);
		return file_err(err, SFA_EINPUT, what, path, "", after);
	}
	return read_fd(fd, path, what, max, 1, data, len, err);
}
