/*
 * credentials.c - reading and writing the credentials file.  The file is
 * a bearer credential for the org, so it is treated like an ssh private
 * key: refused when others can read it, written 0600 via temp + rename,
 * and every buffer that held it is wiped.
 */
#include "credentials.h"

#include "file.h"
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX ((size_t)64 * 1024)

static const char header[] =
    "# sfaccess credentials, written by `sfaccess login`.  The refresh "
    "token\n# below grants access to the org: keep this file mode 0600.\n";

int sfa_credentials_default_path(char **out, sfa_err *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	size_t n;

	*out = NULL;
	/* The XDG spec says a relative XDG_CONFIG_HOME is to be ignored. */
	if (xdg && xdg[0] == '/') {
		n = strlen(xdg) + sizeof("/sfaccess/credentials");
		if ((*out = malloc(n)) != NULL)
			snprintf(*out, n, "%s/sfaccess/credentials", xdg);
	} else if (home && home[0] == '/') {
		n = strlen(home) + sizeof("/.config/sfaccess/credentials");
		if ((*out = malloc(n)) != NULL)
			snprintf(*out, n, "%s/.config/sfaccess/credentials",
				 home);
	} else {
		sfa_err_where(err, "--credentials");
		return sfa_err_set(err, SFA_EINPUT,
				   "neither XDG_CONFIG_HOME nor HOME is set: "
				   "give --credentials FILE");
	}
	return *out ? 0 : sfa_err_set(err, SFA_ENOMEM, "out of memory");
}

void sfa_credentials_clear(sfa_credentials *c)
{
	if (!c)
		return;
	free(c->client_id);
	free(c->instance_url);
	sfa_secret_free(c->refresh_token);
	memset(c, 0, sizeof(*c));
}

/* Takes one "key=value" line (NUL-terminated, no newline) into c. */
static int take_line(char *line, sfa_credentials *c)
{
	char *eq = strchr(line, '='), **slot;
	size_t n = strlen(line);

	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	if (line[0] == '#' || line[0] == '\0' || !eq)
		return 0;
	*eq = '\0';
	if (!strcmp(line, "client_id"))
		slot = &c->client_id;
	else if (!strcmp(line, "instance_url"))
		slot = &c->instance_url;
	else if (!strcmp(line, "refresh_token"))
		slot = &c->refresh_token;
	else
		return 0; /* a newer version's key: not ours to refuse */
	sfa_secret_free(*slot);
	*slot = eq[1] ? strdup(eq + 1) : NULL;
	return eq[1] && !*slot ? SFA_ENOMEM : 0;
}

static int read_error(sfa_err *err, const char *path, int code, const char *why)
{
	sfa_err_where(err, "%.200s", path);
	return sfa_err_set(err, code, "credentials file %.300s: %s", path, why);
}

int sfa_credentials_read(const char *path, sfa_credentials *out, sfa_err *err)
{
	char *buf, *line, *next;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sfa_read_private_file(path, "credentials file", FILE_MAX, &buf, &n,
				   err);
	if (rc == SFA_ENOTFOUND)
		return read_error(err, path, rc,
				  "does not exist: run `sfaccess login "
				  "--domain D --client-id ID` first");
	if (rc)
		return rc;
	for (line = buf; !rc && line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (take_line(line, out))
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	sfa_secret_wipe(buf, n);
	free(buf);
	if (!rc && !out->refresh_token)
		rc = read_error(err, path, SFA_EINPUT,
				"holds no refresh_token: run `sfaccess login` "
				"again");
	if (rc)
		sfa_credentials_clear(out);
	return rc;
}

/* Creates each missing directory above path with mode 0700. */
static int make_parents(const char *path, sfa_err *err)
{
	char *dir = strdup(path), *p;
	int rc = 0;

	if (!dir)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (p = strchr(dir + 1, '/'); p && !rc; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = sfa_err_set(err, SFA_EIO,
					 "cannot create %.300s: %s", dir,
					 strerror(errno));
		*p = '/';
	}
	free(dir);
	return rc;
}

static int has_newline(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

int sfa_credentials_write(const char *path, const sfa_credentials *c,
			  sfa_err *err)
{
	const char *cid = c->client_id ? c->client_id : "";
	const char *url = c->instance_url ? c->instance_url : "";
	size_t n, off = 0;
	char *text, *tmp;
	int fd, rc = 0;

	if (!c->refresh_token || !*c->refresh_token ||
	    has_newline(c->client_id) || has_newline(c->instance_url) ||
	    has_newline(c->refresh_token))
		return sfa_err_set(err, SFA_EINPUT,
				   "refusing to write credentials without a "
				   "refresh token or with a line break in a "
				   "value");
	rc = make_parents(path, err);
	if (rc)
		return rc;
	n = sizeof(header) + strlen(cid) + strlen(url) +
	    strlen(c->refresh_token) + 64;
	text = malloc(n);
	tmp = malloc(strlen(path) + sizeof(".tmp.XXXXXX"));
	if (!text || !tmp) {
		free(text);
		free(tmp);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	n = (size_t)snprintf(text, n,
			     "%sclient_id=%s\ninstance_url=%s\n"
			     "refresh_token=%s\n",
			     header, cid, url, c->refresh_token);
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	/* mkstemp creates the file 0600 and O_EXCL: no window in which
	 * another user could open it. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = sfa_err_set(err, SFA_EIO, "cannot create %.300s: %s", tmp,
				 strerror(errno));
		goto out;
	}
	while (off < n && rc == 0) {
		ssize_t w = write(fd, text + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc =
			    sfa_err_set(err, SFA_EIO, "cannot write %.300s: %s",
					tmp, strerror(errno));
		else
			off += (size_t)w;
	}
	if (rc == 0 && (fchmod(fd, 0600) != 0 || fsync(fd) != 0))
		rc = sfa_err_set(err, SFA_EIO, "cannot write %.300s: %s", tmp,
				 strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = sfa_err_set(err, SFA_EIO, "cannot write %.300s: %s", tmp,
				 strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = sfa_err_set(err, SFA_EIO, "cannot replace %.300s: %s",
				 path, strerror(errno));
	if (rc)
		unlink(tmp);
out:
	if (rc)
		sfa_err_where(err, "%.200s", path);
	sfa_secret_wipe(text, n);
	free(text);
	free(tmp);
	return rc;
}
