/* gate - the listening socket of hearsay serve and the check of each
 * connection's request line (gate.h). One thread, one epoll set: the
 * listening socket, an eventfd that stops it, and the connections still
 * waiting for their first line, in arrival order so the oldest time out
 * first. The line is peeked (MSG_PEEK), never consumed, so libmicrohttpd
 * reads the request whole. */
#define _GNU_SOURCE
#include "gate.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* A request line longer than this is handed on unread: libmicrohttpd
 * answers an over-long target itself (414 or 431). */
#define PEEK_MAX 8192

typedef struct pending {
    int fd;
    struct sockaddr_storage addr;
    socklen_t alen;
    double deadline;
    struct pending *prev, *next; /* arrival order */
} pending;

struct gate {
    int lfd, ep, stopfd;
    struct MHD_Daemon *d;
    long timeout;
    unsigned max_pending, npending;
    unsigned max_conns, slack; /* the daemon's connection limit, and a margin for its threads */
    pending *head, *tail;
    pending *dead; /* dropped during one epoll batch, freed after it */
    pthread_t thread;
    int running;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

gate *gate_open(const struct sockaddr *addr, socklen_t alen, int backlog, unsigned *port)
{
    gate *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->lfd = g->ep = g->stopfd = -1;
    int one = 1;
    g->lfd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (g->lfd < 0 || setsockopt(g->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        (addr->sa_family == AF_INET6 &&
         setsockopt(g->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one)) ||
        bind(g->lfd, addr, alen) || listen(g->lfd, backlog))
        goto fail;
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    if (getsockname(g->lfd, (struct sockaddr *)&got, &glen))
        goto fail;
    *port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                            : ((struct sockaddr_in *)&got)->sin_port);
    return g;
fail:;
    int e = errno;
    if (g->lfd >= 0)
        close(g->lfd);
    free(g);
    errno = e;
    return NULL;
}

static void unlink_pending(gate *g, pending *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        g->head = p->next;
    if (p->next)
        p->next->prev = p->prev;
    else
        g->tail = p->prev;
    g->npending--;
    epoll_ctl(g->ep, EPOLL_CTL_DEL, p->fd, NULL);
}

static void drop(gate *g, pending *p)
{
    unlink_pending(g, p);
    close(p->fd);
    p->fd = -1; /* a later event of this batch may still name it */
    p->next = g->dead;
    g->dead = p;
}

/* Answers a refused connection (status: "400 Bad Request" or "503 Service
 * Unavailable") and closes it. */
static void refuse(gate *g, pending *p, const char *status, const char *why)
{
    char buf[PEEK_MAX];
    size_t drained = 0;
    ssize_t got;
    while (drained < (64u << 10) && (got = recv(p->fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
        drained += (size_t)got; /* what was sent so far is read, up to a bound */
    char msg[768];
    int blen = snprintf(buf, sizeof buf, "{\"error\":\"%s\"}", why);
    int n = snprintf(msg, sizeof msg,
                     "HTTP/1.1 %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n%s\r\n%s",
                     status, blen, status[0] == '5' ? "Retry-After: 1\r\n" : "", buf);
    if (n > 0 && send(p->fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
        shutdown(p->fd, SHUT_WR);
    drop(g, p);
}

static int tchar(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* What is wrong with the request line l[0..n) (no line end), or NULL. */
static const char *bad_line(const char *l, size_t n)
{
    size_t i = 0;
    while (i < n && i < 32 && tchar((unsigned char)l[i]))
        i++;
    if (!i || i == n || l[i] != ' ')
        return "not an HTTP request line (METHOD TARGET HTTP/1.1)";
    size_t t = ++i;
    while (i < n && (unsigned char)l[i] > ' ' && l[i] != 0x7f)
        i++;
    if (i == t || i == n || l[i] != ' ')
        return "not an HTTP request line (METHOD TARGET HTTP/1.1)";
    i++;
    if (n - i != 8 || memcmp(l + i, "HTTP/1.", 7) || (l[i + 7] != '0' && l[i + 7] != '1'))
        return "unsupported protocol version (HTTP/1.0 and HTTP/1.1 are spoken here)";
    return NULL;
}

/* Looks at what p has sent so far: hands it on, refuses it, or waits. */
static void inspect(gate *g, pending *p, unsigned events)
{
    if (p->fd < 0)
        return; /* dropped earlier in this batch */
    char b[PEEK_MAX];
    ssize_t n = recv(p->fd, b, sizeof b, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) { /* closed or failed before a line */
        drop(g, p);
        return;
    }
    size_t s = 0;
    while (s < (size_t)n && (b[s] == '\r' || b[s] == '\n')) /* blank lines may lead */
        s++;
    size_t m = s;
    while (m < (size_t)n && m - s <= 32 && tchar((unsigned char)b[m]))
        m++;
    if ((m < (size_t)n && (b[m] != ' ' || m == s)) || m - s > 32) { /* no method: binary, TLS */
        refuse(g, p, "400 Bad Request", "not an HTTP request line (METHOD TARGET HTTP/1.1)");
        return;
    }
    char *nl = memchr(b + s, '\n', (size_t)n - s);
    if (!nl && (size_t)n < sizeof b) {
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            drop(g, p); /* closed before a whole line */
        return; /* not a whole line yet: the next segment is another edge */
    }
    const char *why = NULL;
    if (nl) {
        size_t len = (size_t)(nl - (b + s));
        if (len && b[s + len - 1] == '\r')
            len--;
        why = bad_line(b + s, len);
    } else {
        /* a line longer than PEEK_MAX: it must at least start with a method */
        char *sp = memchr(b + s, ' ', (size_t)n - s);
        size_t mlen = sp ? (size_t)(sp - (b + s)) : 0;
        int ok = mlen > 0 && mlen <= 32;
        for (size_t i = 0; ok && i < mlen; i++)
            ok = tchar((unsigned char)b[s + i]);
        if (!ok)
            why = "not an HTTP request line (METHOD TARGET HTTP/1.1)";
    }
    if (why) {
        refuse(g, p, "400 Bad Request", why);
        return;
    }
    /* the daemon spreads its connection limit over its threads: refuse
     * with a word before it would reset the connection */
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(g->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (info && info->num_connections + g->slack >= g->max_conns) {
        refuse(g, p, "503 Service Unavailable", "too many connections; try again");
        return;
    }
    unlink_pending(g, p);
    MHD_add_connection(g->d, p->fd, (struct sockaddr *)&p->addr, p->alen); /* closes on failure */
    p->fd = -1;
    p->next = g->dead;
    g->dead = p;
}

static void accept_all(gate *g)
{
    for (;;) {
        pending *p = calloc(1, sizeof *p);
        if (!p)
            return;
        p->alen = sizeof p->addr;
        p->fd = accept4(g->lfd, (struct sockaddr *)&p->addr, &p->alen,
                        SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (p->fd < 0) {
            int e = errno;
            free(p);
            if (e == EMFILE || e == ENFILE) { /* the backlog keeps them; do not spin */
                struct timespec pause = {0, 10 * 1000 * 1000};
                nanosleep(&pause, NULL);
            }
            return;
        }
        if (g->npending >= g->max_pending) /* too many silent: the oldest goes */
            drop(g, g->head);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = p};
        if (epoll_ctl(g->ep, EPOLL_CTL_ADD, p->fd, &ev)) {
            close(p->fd);
            free(p);
            continue;
        }
        p->deadline = now() + (double)g->timeout;
        p->prev = g->tail;
        if (g->tail)
            g->tail->next = p;
        else
            g->head = p;
        g->tail = p;
        g->npending++;
        inspect(g, p, 0); /* the line may be there already */
    }
}

static void *run(void *arg)
{
    gate *g = arg;
    struct epoll_event evs[64];
    for (;;) {
        int wait = 1000;
        if (g->head) {
            double left = g->head->deadline - now();
            wait = left <= 0 ? 0 : left < 1 ? (int)(left * 1000) + 1 : 1000;
        }
        int n = epoll_wait(g->ep, evs, 64, wait);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &g->stopfd)
                return NULL;
            if (evs[i].data.ptr == &g->lfd)
                accept_all(g);
            else
                inspect(g, evs[i].data.ptr, evs[i].events);
        }
        while (g->dead) {
            pending *p = g->dead;
            g->dead = p->next;
            free(p);
        }
        double t = now();
        while (g->head && g->head->deadline <= t) /* silent too long */
            drop(g, g->head);
    }
}

int gate_start(gate *g, struct MHD_Daemon *d, long timeout, unsigned max_conns,
               unsigned threads)
{
    g->d = d;
    g->max_conns = max_conns;
    g->slack = threads;
    unsigned max_pending = max_conns;
    g->timeout = timeout;
    g->max_pending = max_pending ? max_pending : 1;
    g->ep = epoll_create1(EPOLL_CLOEXEC);
    g->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &g->lfd};
    struct epoll_event sev = {.events = EPOLLIN, .data.ptr = &g->stopfd};
    if (g->ep < 0 || g->stopfd < 0 || epoll_ctl(g->ep, EPOLL_CTL_ADD, g->lfd, &lev) ||
        epoll_ctl(g->ep, EPOLL_CTL_ADD, g->stopfd, &sev))
        return -1;
    int e = pthread_create(&g->thread, NULL, run, g);
    if (e) {
        errno = e;
        return -1;
    }
    g->running = 1;
    return 0;
}

void gate_close(gate *g)
{
    if (!g)
        return;
    if (g->running) {
        uint64_t one = 1;
        if (write(g->stopfd, &one, sizeof one) == sizeof one)
            pthread_join(g->thread, NULL);
        else
            pthread_cancel(g->thread), pthread_join(g->thread, NULL);
    }
    while (g->head)
        drop(g, g->head);
    while (g->dead) {
        pending *p = g->dead;
        g->dead = p->next;
        free(p);
    }
    if (g->lfd >= 0)
        close(g->lfd);
    if (g->ep >= 0)
        close(g->ep);
    if (g->stopfd >= 0)
        close(g->stopfd);
    free(g);
}
