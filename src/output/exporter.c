/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exporter.c - cgtop as a Prometheus exporter, headless, until SIGTERM, SIGINT
 * or SIGHUP (each stops it cleanly: the socket closed, exit status 0).  The
 * tree is refreshed every -d seconds (15 by default here), as cAdvisor's
 * housekeeping does: reading every file of thousands of groups costs far more
 * than formatting them, so a scrape (GET /metrics over HTTP, --listen, served
 * by libmicrohttpd, loaded when --listen starts: the only file that calls it,
 * through microhttpd-dl.h) is answered from the last refresh, with the kernel
 * log's counters as of the scrape.  Two scrapers, or a scrape retried, cost
 * no second read of the tree, and a scrape is answered in milliseconds at
 * any fleet size.  --textfile DIR replaces DIR/cgtop.prom
 * after each refresh atomically (safefile.h: a new file nobody else can have
 * made, fsync, rename, fsync the directory), so node_exporter's textfile
 * collector never reads half a file.  One thread and one poll() loop: a
 * signalfd, /dev/kmsg (drained as it is written, so OOM kills between
 * refreshes are counted and the kernel's ring buffer does not overwrite them),
 * libmicrohttpd's epoll fd and the refresh schedule.  No locks are needed: a scrape is answered from within
 * MHD_run(), between two loop turns.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events/events.h"
#include "output/exporter.h"
#include "sample/forks.h"
#include "base/macro.h"
#include "output/output.h"
#include "base/safefile.h"
#include "base/clock.h"
#include "base/signals.h"

#include "output/microhttpd-dl.h" /* libmicrohttpd, loaded by --listen */
#ifdef HAVE_MICROHTTPD
#if MHD_VERSION >= 0x00097002
typedef enum MHD_Result mhd_result;
#else
typedef int mhd_result;
#endif
#endif

#define TEXTFILE_NAME "cgtop.prom"
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define STREAM_BLOCK 65536
#define HTTP_CONNECTIONS_MAX 64
#define HTTP_PER_ADDRESS_MAX 8   /* connections from one client address */
#define HTTP_IDLE_TIMEOUT_SEC 10 /* a connection that sends nothing is closed */

struct exporter {
	const struct config *cfg;
	struct cg_tree tree;
	struct sampler s;
	struct events ev;
	struct forks *forks; /* the proc connector (forks.h) */
	bool with_events;
	struct prom_state *prom;
	struct buf out;        /* the exposition being built */
	uint64_t refresh_usec; /* how long the last refresh took */
	unsigned streaming;    /* responses being sent: the tree must not change */
	int dir_fd;            /* --textfile directory, or -1 */
	bool write_failing;    /* said once per run of failures */
#ifdef HAVE_MICROHTTPD
	struct MHD_Daemon *mhd;
#endif
};

static void drain_kmsg(struct exporter *x)
{
	if (x->with_events)
		while (events_poll_kmsg(&x->ev, 1024) > 0)
			;
}

/* One refresh of the tree: read every group, reconcile the event counters. */
static void sample(struct exporter *x)
{
	uint64_t t0;

	drain_kmsg(x);
	t0 = clock_mono_usec();
	sampler_tick(&x->s);
	forks_attribute(x->forks, &x->s);
	if (x->with_events) {
		events_settle(&x->ev, x->s.mono_usec);
		events_reconcile(&x->ev, &x->s);
	}
	x->refresh_usec = clock_mono_usec() - t0;
}

static struct prom_info info(struct exporter *x)
{
	return (struct prom_info){
		.state = x->prom,
		.events = x->with_events,
		.kmsg_open = x->with_events && x->ev.kmsg_open,
		.duration_usec = x->refresh_usec,
		.forks_overruns = forks_fd(x->forks) >= 0 ? (int64_t)x->forks->pc.dropped : -1,
	};
}

/* ---- --textfile ---- */

/* Replace DIR/cgtop.prom with the exposition of the last refresh, written in
 * parts of 64 KiB (no buffer of the whole exposition): a reader sees the old
 * file or the new one, never a part.  The new file is one nobody else can
 * have made or planted (safefile.h): a shared textfile directory is often
 * writable by other users.  Returns 0 or -errno. */
static int textfile_write(struct exporter *x)
{
	struct prom_info pi = info(x);
	struct prom_cursor c;
	struct safefile sf;
	bool end = false;
	int r;

	r = safefile_begin(&sf, x->dir_fd, TEXTFILE_NAME, 0644, 0);
	if (r < 0)
		return r;
	prom_cursor_init(&c);
	while (!end && r == 0) {
		x->out.len = 0;
		end = prom_render_step(&x->out, x->cfg, &x->s, &pi, &c, 65536);
		r = safefile_write(&sf, x->out.data, x->out.len);
	}
	if (r < 0) {
		safefile_abort(&sf);
		return r;
	}
	return safefile_commit(&sf);
}

static int textfile_refresh(struct exporter *x, bool first)
{
	int r;

	sample(x);
	drain_kmsg(x);
	r = textfile_write(x);
	if (r < 0 && (first || !x->write_failing))
		fprintf(stderr, "cgtop: cannot write %s/%s: %s%s\n", x->cfg->textfile_dir, TEXTFILE_NAME,
			strerror(-r), first ? "" : " (will retry every refresh)");
	else if (r == 0 && x->write_failing)
		fprintf(stderr, "cgtop: %s/%s written again\n", x->cfg->textfile_dir, TEXTFILE_NAME);
	x->write_failing = r < 0;
	return r;
}

/* ---- --listen ---- */

#ifdef HAVE_MICROHTTPD
/* not const: MHD takes a void *, and never writes to a persistent buffer */
static char msg_not_allowed[] = "only GET and HEAD\n";
static char msg_not_found[] = "not found: try /metrics\n";
static char root_page[] =
	"<html><head><title>cgtop exporter</title></head>\n"
	"<body><h1>cgtop exporter</h1>\n"
	"<p><a href=\"/metrics\">/metrics</a>: control groups in the Prometheus text format</p>\n"
	"</body></html>\n";

static mhd_result reply(struct MHD_Connection *c, unsigned status, const char *type, void *data, size_t len,
			enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, mode);
	mhd_result ret;

	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(data);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* One /metrics response, streamed: the exposition is rendered part by part
 * as libmicrohttpd asks for it, so no buffer holds all of it (megabytes for
 * thousands of groups).  The tree does not change meanwhile: the refresh
 * waits while x->streaming (a stalled client is cut off after 10 s). */
struct stream {
	struct exporter *x;
	struct prom_info pi;
	struct prom_cursor c;
	struct buf part;
	size_t off;
	bool end;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *st = cls;
	size_t n;

	(void)pos;
	if (st->off == st->part.len) {
		if (st->end)
			return MHD_CONTENT_READER_END_OF_STREAM;
		st->part.len = 0;
		st->off = 0;
		st->end = prom_render_step(&st->part, st->x->cfg, &st->x->s, &st->pi, &st->c, max);
		if (!st->part.len)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = st->part.len - st->off < max ? st->part.len - st->off : max;
	memcpy(out, st->part.data + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;

	st->x->streaming--;
	buf_free(&st->part);
	free(st);
}

static mhd_result reply_metrics(struct exporter *x, struct MHD_Connection *c)
{
	struct stream *st = xcalloc(1, sizeof(*st));
	struct MHD_Response *resp;
	mhd_result ret;

	drain_kmsg(x); /* the kernel log's counters as of this scrape */
	st->x = x;
	st->pi = info(x);
	prom_cursor_init(&st->c);
	buf_init(&st->part, STREAM_BLOCK + 4096);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, st,
						 stream_free);
	if (!resp) {
		buf_free(&st->part);
		free(st);
		return MHD_NO;
	}
	x->streaming++; /* until stream_free */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static mhd_result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			     const char *version, const char *upload_data, size_t *upload_data_size,
			     void **con_cls)
{
	static int seen;
	struct exporter *x = cls;

	if (!*con_cls) { /* the headers are in; answer on the next call */
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_data_size) { /* a body nobody asked for: drop it */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", msg_not_allowed,
			     sizeof(msg_not_allowed) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics") == 0)
		return reply_metrics(x, c);
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", root_page, sizeof(root_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", msg_not_found,
		     sizeof(msg_not_found) - 1, MHD_RESPMEM_PERSISTENT);
}

/* Bind the socket ourselves: each failure gets its own clear message. */
static int listen_socket(const struct config *cfg, char *where, size_t wsize)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;
	bool v6 = strchr(cfg->listen_host, ':') != NULL;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(cfg->listen_port);
		inet_pton(AF_INET6, cfg->listen_host, &s6->sin6_addr);
		sl = sizeof(*s6);
		snprintf(where, wsize, "[%s]:%u", cfg->listen_host, cfg->listen_port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(cfg->listen_port);
		inet_pton(AF_INET, cfg->listen_host, &s4->sin_addr);
		sl = sizeof(*s4);
		snprintf(where, wsize, "%s:%u", cfg->listen_host, cfg->listen_port);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)); /* restart past TIME_WAIT */
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static int http_start(struct exporter *x)
{
	char where[96];
	int fd;

	if (microhttpd_dl_load("--listen") < 0)
		return -1;
	fd = listen_socket(x->cfg, where, sizeof(where));
	if (fd < 0) {
		fprintf(stderr, "cgtop: cannot listen on %s: %s\n", where, strerror(-fd));
		return -1;
	}
	/* A client that opens connections and never finishes a request holds
	 * each for the idle timeout: without a limit per address, one client
	 * could take all of them and real scrapes would time out.  A Prometheus
	 * server needs one per target (two while a scrape overlaps a retry). */
	x->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, x, MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_SEC,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS_MAX,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_ADDRESS_MAX,
				  MHD_OPTION_END);
	if (!x->mhd) {
		close(fd);
		fprintf(stderr, "cgtop: cannot start the HTTP server on %s (libmicrohttpd)\n", where);
		return -1;
	}
	fprintf(stderr, "cgtop: serving http://%s/metrics\n", where);
	return 0;
}

static int http_fd(struct exporter *x)
{
	const union MHD_DaemonInfo *info;

	if (!x->mhd)
		return -1;
	info = MHD_get_daemon_info(x->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	return info ? info->epoll_fd : -1;
}

/* Milliseconds until libmicrohttpd wants to run (timeouts), or -1. */
static int http_timeout(struct exporter *x)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (!x->mhd || MHD_get_timeout(x->mhd, &ms) != MHD_YES)
		return -1;
	return ms > 60000 ? 60000 : (int)ms;
}

static void http_run(struct exporter *x)
{
	if (x->mhd)
		MHD_run(x->mhd);
}

static void http_stop(struct exporter *x)
{
	if (x->mhd)
		MHD_stop_daemon(x->mhd);
	x->mhd = NULL;
}
#else
static int http_start(struct exporter *x)
{
	(void)x;
	fprintf(stderr, "cgtop: --listen: this cgtop was built without HTTP support (libmicrohttpd); "
			"--textfile works\n");
	return -1;
}
static int http_fd(struct exporter *x)
{
	(void)x;
	return -1;
}
static int http_timeout(struct exporter *x)
{
	(void)x;
	return -1;
}
static void http_run(struct exporter *x)
{
	(void)x;
}
static void http_stop(struct exporter *x)
{
	(void)x;
}
#endif

/* ---- the loop ---- */

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Serve until a signal (or -n writes): the first sample, then the loop.
 * Returns the exit status. */
static int serve(struct exporter *x, struct signals *sig, uint64_t interval)
{
	const struct config *cfg = x->cfg;
	int status = EXIT_RUNTIME;
	long long writes = 0;
	uint64_t next = 0;
	unsigned needs = columns_needs(cfg->col_sel);
	buf_init(&x->out, 65536);
	sampler_init(&x->s, &x->tree, needs, interval);
	x->prom = prom_state_new();
	x->forks = xmalloc(sizeof(*x->forks));
	forks_init(x->forks, needs, cfg->sysroot, true);
	x->with_events = needs & NEED_EVENTS;
	if (x->with_events) {
		events_init(&x->ev, &x->tree, cfg->sysroot, NULL, false);
		events_attach(&x->ev, &x->s);
		x->ev.emit = prom_on_event;
		x->ev.userdata = x->prom;
	}

	if (cfg->textfile_dir) {
		/* the first write proves the directory writable, or we stop */
		if (textfile_refresh(x, true) < 0)
			return EXIT_RUNTIME;
		writes++;
	} else {
		sample(x); /* the first walk of the tree, before the first scrape */
	}
	next = clock_mono_usec() + interval;

	/* started: now say what is missing (after the checks that stop us) */
	if (x->with_events && !x->ev.kmsg_open && x->ev.kmsg_err != -ENODEV)
		fprintf(stderr,
			"cgtop: cannot read /dev/kmsg (%s): no kmsg counters or victims "
			"(cgtop_kmsg_readable 0)\n",
			strerror(-x->ev.kmsg_err));
	if ((needs & NEED_FORKS) && x->forks->pc.err)
		fprintf(stderr, "cgtop: %s (no cgtop_forks_total)\n", procconn_off_reason(x->forks->pc.err));
	status = EXIT_OK;
	while (!(cfg->count > 0 && writes >= cfg->count)) {
		struct pollfd pfd[4] = {
			{ .fd = sig->fd, .events = POLLIN },
			{ .fd = x->with_events && x->ev.kmsg_open ? x->ev.kr.fd : -1, .events = POLLIN },
			{ .fd = http_fd(x), .events = POLLIN },
			{ .fd = forks_fd(x->forks), .events = POLLIN },
		};
		int timeout = http_timeout(x);
		uint64_t now = clock_mono_usec();
		/* a refresh due while a response streams waits for it to end */
		timeout = min_timeout(timeout, next > now     ? (int)((next - now + 999) / 1000)
					       : x->streaming ? 50
							      : 0);
		if (poll(pfd, 4, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "cgtop: poll: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
		if ((pfd[0].revents & POLLIN) && signals_stops(signals_next(sig)))
			break; /* SIGTERM, SIGINT, SIGHUP: stop cleanly */
		if (pfd[1].revents)
			drain_kmsg(x);
		if (pfd[3].revents)
			forks_poll(x->forks);
		http_run(x);
		if (clock_mono_usec() >= next && !x->streaming) {
			if (cfg->textfile_dir) {
				textfile_refresh(x, false);
				writes++;
			} else {
				sample(x);
			}
			next += interval;
			now = clock_mono_usec();
			if (next < now)
				next = now; /* fell behind: do not burst */
		}
	}
	return status;
}

int exporter_main(const struct config *cfg)
{
	_cleanup_(signals_closep) struct signals sig = { .fd = -1 };
	struct exporter x = { .cfg = cfg, .dir_fd = -1 };
	int status, r;
	/* an exporter refreshes at the pace of a scrape interval, not a screen's */
	uint64_t interval = cfg->delay_given ? cfg->interval_usec : EXPORTER_DEFAULT_DELAY_USEC;

	signal(SIGPIPE, SIG_IGN); /* a scraper that hangs up is not our end */
	/* blocked from the start: a SIGTERM (or SIGHUP, SIGINT) during the first
	 * walk of a big tree ends the loop at once, cleanly */
	r = signals_open(&sig, NULL);
	if (r < 0) {
		fprintf(stderr, "cgtop: signalfd: %s\n", strerror(-r));
		return EXIT_RUNTIME;
	}
	if (cfg->textfile_dir) {
		x.dir_fd = safefile_open_dir(cfg->textfile_dir);
		if (x.dir_fd < 0) {
			fprintf(stderr, "cgtop: cannot use --textfile directory '%s': %s\n",
				cfg->textfile_dir,
				x.dir_fd == -ELOOP ? "a symbolic link (give the directory it points to)"
						   : strerror(-x.dir_fd));
			return EXIT_RUNTIME;
		}
	}
	_cleanup_close_ int dir_fd = x.dir_fd; /* closed last, whatever happens */
	if (cfg->listen && http_start(&x) < 0)
		return EXIT_RUNTIME;
	status = output_open_tree(cfg, &x.tree);
	if (status != EXIT_OK) {
		http_stop(&x);
		return status;
	}
	status = serve(&x, &sig, interval);
	signals_close(&sig, true);
	http_stop(&x);
	if (x.with_events)
		events_done(&x.ev);
	forks_done(x.forks);
	free(x.forks);
	prom_state_free(x.prom);
	sampler_done(&x.s);
	buf_free(&x.out);
	cg_tree_close(&x.tree);
	return status;
}
