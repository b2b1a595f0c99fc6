/*
 * hashwrite.c - the report file writer behind hashwrite.h.  The caller
 * fills a buffer while two threads take the blocks it handed over before:
 * one hashes them, the other writes them.  SHA-256 and the kernel's copy
 * of the bytes into the page cache each cost about as much as building the
 * rows; on one thread, one after the other, they cost more, and the
 * building waited for them.  On two, each of the three keeps up with the
 * others, as far as two cores allow.
 *
 * A block handed over waits in a ring of RING slots until both threads are
 * done with it; its buffer then goes back to the caller at a later
 * hand-over.  Both threads only read a block, so they may read the same one
 * at once, and either may run ahead of the other, by RING blocks at most.
 * One mutex guards the ring and the counts; the threads wait on one
 * condition (a block to take), the caller on another (a buffer to take
 * back), so that nobody is woken for what it does not wait for.
 *
 * The file is written past the page cache (O_DIRECT) where its file
 * system allows.  A report is gigabytes written once and not read back
 * at once, and copying it into the page cache cost the kernel more CPU
 * than building it: 4-14 s for the 7.1 GB access review of 200,000 users,
 * on a VM whose buffered writes run at 470 MB/s and direct ones at
 * 2.9 GB/s.  The writer gathers the blocks in an aligned buffer and
 * writes it whole; the tail, and everything after a write the file
 * system refuses, go through the page cache.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "hashwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Blocks handed over and not yet both hashed and written.  More than one
 * lets a thread that the scheduler held back (three busy threads share
 * two cores) catch up while the others go on instead of waiting for it;
 * each is a buffer of about 512 KiB (csv.c hands over 256 KiB and a row,
 * in a buffer that grows by doubling).  8 was no slower than 4 or 16 and
 * switched threads less often than 4. */
#define RING 8

/* O_DIRECT writes: their alignment, and the size of the buffer gathered
 * for each. */
#define DIRECT_ALIGN 4096
#define DIRECT_STAGE (4u << 20)

/* A block handed over: the first len bytes of p, a buffer of cap bytes. */
struct slot {
	char *p;
	size_t len, cap;
};

/* Owns hash and the buffers in ring; f is borrowed.  Block i (counting
 * from 0) is in ring[i % RING].  Under mu: ring, handed, hashed, written,
 * stop, failed.  The threads read a block's bytes without mu: the caller
 * gets its buffer back, to fill again, only once both are past it. */
struct sfa_hashwrite {
	FILE *f;
	sfa_sha256 *hash;
	int threaded; /* the threads run (else put() hashes and writes) */
	pthread_t hasher, writer;
	pthread_mutex_t mu;
	pthread_cond_t more; /* a block handed over, or stop: for the threads */
	pthread_cond_t room; /* a buffer free: for the caller */
	struct slot ring[RING];
	size_t handed;		/* blocks handed over so far */
	size_t hashed, written; /* of those, done by each thread */
	int stop;		/* no more blocks will come */
	int failed; /* errno of a failed write, -1 for a failed hash */
	/* Past the page cache: f's descriptor, written with write() from
	 * stage (DIRECT_STAGE bytes, staged of them in use), else -1.
	 * direct: O_DIRECT is on.  Only the writer touches them. */
	int fd, direct;
	char *stage;
	size_t staged;
};

/* Blocks both threads are done with. */
static size_t both_done(const sfa_hashwrite *h)
{
	return h->hashed < h->written ? h->hashed : h->written;
}

/* 0 or -1 (hash failed). */
static int hash_block(sfa_hashwrite *h, const char *p, size_t n)
{
	return sfa_sha256_update(h->hash, p, n, NULL) ? -1 : 0;
}

/* Turns O_DIRECT on for f when its file system takes it and the file is
 * at an aligned offset; h->fd stays -1 otherwise. */
static void try_direct(sfa_hashwrite *h)
{
#ifdef O_DIRECT
	void *stage;
	int fd, fl;

	if (fflush(h->f) != 0 || (fd = fileno(h->f)) < 0 ||
	    lseek(fd, 0, SEEK_CUR) % DIRECT_ALIGN != 0 ||
	    (fl = fcntl(fd, F_GETFL)) < 0 ||
	    posix_memalign(&stage, DIRECT_ALIGN, DIRECT_STAGE))
		return;
	if (fcntl(fd, F_SETFL, fl | O_DIRECT) < 0) {
		free(stage);
		return;
	}
	h->stage = stage;
	h->fd = fd;
	h->direct = 1;
#endif
}

/* Turns O_DIRECT off again: 0 or errno. */
static int undirect(sfa_hashwrite *h)
{
#ifdef O_DIRECT
	int fl = fcntl(h->fd, F_GETFL);

	if (fl < 0 || fcntl(h->fd, F_SETFL, fl & ~O_DIRECT) < 0)
		return errno ? errno : EIO;
#endif
	h->direct = 0;
	return 0;
}

/* Writes p (n bytes) to h->fd, *done of them so far: 0 or errno. */
static int write_all(sfa_hashwrite *h, const char *p, size_t n, size_t *done)
{
	while (*done < n) {
		ssize_t w = write(h->fd, p + *done, n - *done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 && errno ? errno : EIO;
		*done += (size_t)w;
	}
	return 0;
}

/* Writes the staged bytes: a whole stage, or with last whatever is
 * staged, its aligned part direct and the rest through the page cache.
 * A direct write the file system refuses (EINVAL) is done again through
 * the page cache, and so is everything after.  0 or errno. */
static int flush_stage(sfa_hashwrite *h, int last)
{
	size_t aligned =
	    h->direct ? h->staged - (last ? h->staged % DIRECT_ALIGN : 0) : 0;
	size_t done = 0;
	int rc = write_all(h, h->stage, aligned, &done);

	if (h->direct && (rc == EINVAL || (!rc && done < h->staged)))
		rc = undirect(h);
	if (!rc)
		rc = write_all(h, h->stage, h->staged, &done);
	h->staged = 0;
	return rc;
}

/* 0 or the errno of the failed write.  An empty block may have no buffer
 * (csv.c's last, at times), which fwrite() does not take even for 0
 * bytes. */
static int write_block(sfa_hashwrite *h, const char *p, size_t n)
{
	int rc;

	if (h->fd < 0) {
		if (n && fwrite(p, 1, n, h->f) != n)
			return errno ? errno : EIO;
		return 0;
	}
	while (n) {
		size_t take = DIRECT_STAGE - h->staged;

		if (take > n)
			take = n;
		memcpy(h->stage + h->staged, p, take);
		h->staged += take;
		p += take;
		n -= take;
		if (h->staged == DIRECT_STAGE && (rc = flush_stage(h, 0)))
			return rc;
	}
	return 0;
}

/* One thread's loop: applies step to each block in order, *done counting
 * them, until stop() and none is left.  After a failure (either thread's)
 * it only counts, so that put() and stop() do not wait for it forever. */
static void consume(sfa_hashwrite *h, size_t *done,
		    int (*step)(sfa_hashwrite *, const char *, size_t))
{
	pthread_mutex_lock(&h->mu);
	for (;;) {
		const struct slot *s;
		const char *p;
		size_t n, before;
		int failed;

		while (*done == h->handed && !h->stop)
			pthread_cond_wait(&h->more, &h->mu);
		if (*done == h->handed)
			break;
		s = &h->ring[*done % RING];
		p = s->p;
		n = s->len;
		failed = h->failed;
		pthread_mutex_unlock(&h->mu);
		if (!failed)
			failed = step(h, p, n);
		pthread_mutex_lock(&h->mu);
		/* The first failure is the one to report.  The other thread
		 * stops at its next block, perhaps a few past the one that
		 * failed: no matter, cmd/report.c removes a failed report. */
		if (!h->failed)
			h->failed = failed;
		/* A buffer comes free, all the caller waits for, only when the
		 * later of the two threads is done with its block. */
		before = both_done(h);
		(*done)++;
		if (both_done(h) != before)
			pthread_cond_signal(&h->room);
	}
	pthread_mutex_unlock(&h->mu);
}

static void *run_hasher(void *arg)
{
	sfa_hashwrite *h = arg;

	consume(h, &h->hashed, hash_block);
	return NULL;
}

static void *run_writer(void *arg)
{
	sfa_hashwrite *h = arg;

	consume(h, &h->written, write_block);
	return NULL;
}

/* Tells the threads that started (those of the first n: hasher, writer)
 * to finish what they hold, and waits for them. */
static void join(sfa_hashwrite *h, int n)
{
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_broadcast(&h->more);
	pthread_mutex_unlock(&h->mu);
	if (n > 0)
		pthread_join(h->hasher, NULL);
	if (n > 1)
		pthread_join(h->writer, NULL);
}

/* Starts both threads, or none: with only one, the other's work would
 * need a third way of running. */
static int start(sfa_hashwrite *h)
{
	if (pthread_mutex_init(&h->mu, NULL))
		return 0;
	if (pthread_cond_init(&h->more, NULL)) {
		pthread_mutex_destroy(&h->mu);
		return 0;
	}
	if (pthread_cond_init(&h->room, NULL)) {
		pthread_cond_destroy(&h->more);
		pthread_mutex_destroy(&h->mu);
		return 0;
	}
	if (pthread_create(&h->hasher, NULL, run_hasher, h) == 0) {
		if (pthread_create(&h->writer, NULL, run_writer, h) == 0)
			return 1;
		join(h, 1);
	}
	pthread_cond_destroy(&h->more);
	pthread_cond_destroy(&h->room);
	pthread_mutex_destroy(&h->mu);
	return 0;
}

int sfa_hashwrite_new(sfa_hashwrite **out, FILE *f, sfa_err *err)
{
	sfa_hashwrite *h = calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (!h)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	h->f = f;
	h->fd = -1;
	if ((rc = sfa_sha256_new(&h->hash, err))) {
		free(h);
		return rc;
	}
	try_direct(h);
	h->threaded = start(h);
	*out = h;
	return 0;
}

/* Lets the threads hash and write what they hold and end, and writes
 * what is staged; h is single-threaded after, and f as it was given. */
static void stop(sfa_hashwrite *h)
{
	if (h->threaded) {
		join(h, 2);
		pthread_cond_destroy(&h->more);
		pthread_cond_destroy(&h->room);
		pthread_mutex_destroy(&h->mu);
		h->threaded = 0;
	}
	if (h->fd >= 0) {
		int rc = h->failed ? 0 : flush_stage(h, 1);

		if (h->direct && undirect(h) && !rc)
			rc = EIO;
		if (!h->failed)
			h->failed = rc;
		h->fd = -1;
	}
}

void sfa_hashwrite_free(sfa_hashwrite *h)
{
	int i;

	if (!h)
		return;
	stop(h);
	for (i = 0; i < RING; i++)
		free(h->ring[i].p);
	free(h->stage);
	sfa_sha256_free(h->hash);
	free(h);
}

static int failure(int failed, sfa_err *err)
{
	if (failed < 0)
		return sfa_err_set(err, SFA_EINTERNAL, "SHA-256 failed");
	return sfa_err_set(err, SFA_EIO, "cannot write the report: %s",
			   strerror(failed));
}

int sfa_hashwrite_put(sfa_hashwrite *h, char **buf, size_t len, size_t *cap,
		      sfa_err *err)
{
	struct slot *s, old;
	int failed;

	if (!h->threaded) {
		if (!h->failed)
			h->failed = hash_block(h, *buf, len);
		if (!h->failed)
			h->failed = write_block(h, *buf, len);
		return h->failed ? failure(h->failed, err) : 0;
	}
	pthread_mutex_lock(&h->mu);
	/* The slot of this block held block handed - RING, whose buffer is
	 * free once both threads are past it. */
	while (h->handed - both_done(h) == RING)
		pthread_cond_wait(&h->room, &h->mu);
	failed = h->failed;
	if (!failed) {
		s = &h->ring[h->handed % RING];
		old = *s;
		s->p = *buf;
		s->len = len;
		s->cap = *cap;
		*buf = old.p;
		*cap = old.cap;
		h->handed++;
		pthread_cond_broadcast(&h->more);
	}
	pthread_mutex_unlock(&h->mu);
	return failed ? failure(failed, err) : 0;
}

int sfa_hashwrite_finish(sfa_hashwrite *h, sfa_file_digest *d, sfa_err *err)
{
	stop(h);
	if (h->failed)
		return failure(h->failed, err);
	return sfa_sha256_final(h->hash, d->sha256, &d->bytes, err);
}
