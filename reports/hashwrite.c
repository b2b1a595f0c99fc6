/*
 * hashwrite.c - the report file writer behind hashwrite.h.  Two buffers
 * take turns: the caller fills one while the writer thread hashes and
 * writes the other, so that SHA-256 and the kernel's copy of the bytes
 * (together as long as building the rows) overlap the building instead of
 * adding to it.  One mutex and one condition guard the hand-over.
 */
#include "hashwrite.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Owns hash, block and spare; f is borrowed.  Under mu: block, len,
 * block_cap, spare, spare_cap, stop, failed. */
struct sfa_hashwrite {
	FILE *f;
	sfa_sha256 *hash;
	int threaded; /* the thread runs (else put() writes itself) */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *block; /* handed over, not yet written; NULL for none */
	size_t len, block_cap;
	char *spare; /* written, for the caller to fill again */
	size_t spare_cap;
	int stop;   /* no more blocks will come */
	int failed; /* errno of a failed write, -1 for a failed hash */
};

/* Hashes and writes one block; 0, an errno or -1 (hash failed). */
static int write_block(sfa_hashwrite *h, const char *p, size_t n)
{
	if (sfa_sha256_update(h->hash, p, n, NULL))
		return -1;
	if (fwrite(p, 1, n, h->f) != n)
		return errno ? errno : EIO;
	return 0;
}

static void *run(void *arg)
{
	sfa_hashwrite *h = arg;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		char *p;
		size_t n;
		int failed;

		while (!h->block && !h->stop)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->block)
			break;
		p = h->block;
		n = h->len;
		failed = h->failed;
		pthread_mutex_unlock(&h->mu);
		if (!failed)
			failed = write_block(h, p, n);
		pthread_mutex_lock(&h->mu);
		h->failed = failed;
		h->spare = p;
		h->spare_cap = h->block_cap;
		h->block = NULL;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int sfa_hashwrite_new(sfa_hashwrite **out, FILE *f, sfa_err *err)
{
	sfa_hashwrite *h = calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (!h)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	h->f = f;
	if ((rc = sfa_sha256_new(&h->hash, err))) {
		free(h);
		return rc;
	}
	if (pthread_mutex_init(&h->mu, NULL) == 0) {
		if (pthread_cond_init(&h->cv, NULL) == 0) {
			h->threaded =
			    pthread_create(&h->thread, NULL, run, h) == 0;
			if (!h->threaded)
				pthread_cond_destroy(&h->cv);
		}
		if (!h->threaded)
			pthread_mutex_destroy(&h->mu);
	}
	*out = h;
	return 0;
}

/* Lets the thread write what it holds and end; h is single-threaded
 * after. */
static void stop(sfa_hashwrite *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	h->threaded = 0;
}

void sfa_hashwrite_free(sfa_hashwrite *h)
{
	if (!h)
		return;
	stop(h);
	free(h->block);
	free(h->spare);
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
	int failed;

	if (!h->threaded) {
		if (!h->failed)
			h->failed = write_block(h, *buf, len);
		return h->failed ? failure(h->failed, err) : 0;
	}
	pthread_mutex_lock(&h->mu);
	while (h->block)
		pthread_cond_wait(&h->cv, &h->mu);
	failed = h->failed;
	if (!failed) {
		h->block = *buf;
		h->len = len;
		h->block_cap = *cap;
		*buf = h->spare;
		*cap = h->spare_cap;
		h->spare = NULL;
		h->spare_cap = 0;
		pthread_cond_broadcast(&h->cv);
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
