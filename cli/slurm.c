/* slurm - hearsay slurm: a run over many files as a Slurm job array whose tasks
 * analyze their files (whole, grouped, or a range of records of a large one)
 * as analyze --format json --include-text does, each result renamed into place
 * only when complete, and a merge job after them that stores every result once
 * and writes the run's summary; --resume, --status, --task, --merge on a run's
 * folder. Talks to Slurm only through its commands. Guide: docs/cluster.md. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

extern char **environ;

#define RUN_VERSION 1
#define MAX_TASKS_LIMIT 100000 /* task numbers have 5 digits */

/* ---- small helpers --------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void oom(void)
{
    fputs("hearsay: out of memory\n", stderr);
    exit(EXIT_PARTIAL);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        oom();
    return d;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        oom();
    return p;
}

/* A text written with fprintf into memory: membuf_open, write to m.f,
 * membuf_close; then m.p (malloc'd, NUL-terminated) holds m.len bytes. */
typedef struct membuf {
    FILE *f;
    char *p;
    size_t len;
} membuf;

static void membuf_open(membuf *m)
{
    m->p = NULL;
    m->len = 0;
    if (!(m->f = open_memstream(&m->p, &m->len)))
        oom();
}

static void membuf_close(membuf *m)
{
    if (fclose(m->f))
        oom();
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0)
        oom();
    va_end(ap);
    return s;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

/* The whole of a file, NUL-terminated, or NULL (errno set). */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536)
            p = xrealloc(p, cap = cap * 2 + 65536);
        size_t k = fread(p + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(p);
        errno = EIO;
        return NULL;
    }
    p[n] = 0;
    if (len)
        *len = n;
    return p;
}

/* Flushes f to disk and closes it: 0, or -1 (errno set). */
static int close_synced(FILE *f)
{
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad)
        return -1;
    errno = e;
    return bad ? -1 : 0;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Writes data to path through path.tmp, synced and renamed: a reader sees
 * the old file or the new one, never half of one. 0, or -1 (said). */
static int write_atomic(const char *path, const char *data, size_t len)
{
    char *tmp = fmt("%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        fwrite(data, 1, len, f);
        if (close_synced(f) == 0 && rename(tmp, path) == 0)
            rc = 0;
    }
    if (rc) {
        fprintf(stderr, "hearsay: %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* s single-quoted for sh. */
static char *shq(const char *s)
{
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *q = xrealloc(NULL, n), *o = q;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = 0;
    return q;
}

/* Runs argv (found on PATH) with stdin from /dev/null, its stdout into
 * *out (malloc'd, NUL-terminated) and its stderr to ours (quiet 0), to
 * /dev/null (1) or into *out too (2). Returns its exit status, 127 when it cannot be run, or 128+N
 * when killed by signal N. */
static int run_cmd(char *const argv[], char **out, int quiet)
{
    int fds[2];
    *out = xstrdup("");
    if (pipe2(fds, O_CLOEXEC))
        return 127;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    if (quiet == 1)
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    else if (quiet == 2)
        posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc) {
        close(fds[0]);
        return 127;
    }
    size_t n = 0, cap = 0;
    char *p = NULL;
    for (;;) {
        if (cap - n < 4096)
            p = xrealloc(p, cap = cap * 2 + 4096);
        ssize_t k = read(fds[0], p + n, cap - n - 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    close(fds[0]);
    p = xrealloc(p, n + 1);
    p[n] = 0;
    free(*out);
    *out = p;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 127;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* ---- the run's folder: run.conf, plan.tsv, jobs.tsv ------------------------- */

/* One piece of work: records first..last of a file (0, 0: the whole file;
 * last ULLONG_MAX: to its end). */
typedef struct unit {
    char *path;
    unsigned long long first, last, bytes;
    long task;
} unit;

typedef struct run_conf {
    char *dir;      /* absolute */
    char *cwd;      /* where the files' paths start (the submitting folder) */
    char *exe;      /* the hearsay program, absolute */
    char *models;   /* absolute */
    char *db;       /* as given (from cwd), or NULL */
    char *input;    /* auto, text, html, jsonl, warc */
    int lossy;
    long max_doc_mb;
    long cpus;
    long running;   /* at most this many tasks at once (0: as the scheduler likes) */
    char *mem, *time, *partition;
    char **sbatch;  /* more sbatch options */
    int nsbatch;
    long ntasks;
    unit *units;
    size_t nunits;
} run_conf;

static void conf_free(run_conf *c)
{
    free(c->dir);
    free(c->cwd);
    free(c->exe);
    free(c->models);
    free(c->db);
    free(c->input);
    free(c->mem);
    free(c->time);
    free(c->partition);
    for (int i = 0; i < c->nsbatch; i++)
        free(c->sbatch[i]);
    free(c->sbatch);
    for (size_t i = 0; i < c->nunits; i++)
        free(c->units[i].path);
    free(c->units);
    memset(c, 0, sizeof *c);
}

static char *in_dir(const run_conf *c, const char *name) { return fmt("%s/%s", c->dir, name); }

/* A task's file under sub/ ("out", ".jsonl" -> DIR/out/00007.jsonl). */
static char *task_file(const run_conf *c, const char *sub, long task, const char *ext)
{
    return fmt("%s/%s/%05ld%s", c->dir, sub, task, ext);
}

static int write_conf(const run_conf *c)
{
    membuf m;
    membuf_open(&m);
    fprintf(m.f, "# hearsay slurm run (hearsay %s); read by hearsay slurm --task, --merge,\n"
                 "# --resume and --status. Paths of plan.tsv and db start at cwd.\n"
                 "version\t%d\ncwd\t%s\nexe\t%s\nmodels\t%s\ninput\t%s\nlossy\t%d\n"
                 "max_doc_mb\t%ld\ncpus\t%ld\nrunning\t%ld\nmem\t%s\ntasks\t%ld\n",
            hs_version(), RUN_VERSION, c->cwd, c->exe, c->models, c->input, c->lossy,
            c->max_doc_mb, c->cpus, c->running, c->mem, c->ntasks);
    const char *keys[] = {"db", "time", "partition"};
    const char *vals[] = {c->db, c->time, c->partition};
    for (int i = 0; i < 3; i++)
        if (vals[i])
            fprintf(m.f, "%s\t%s\n", keys[i], vals[i]);
    for (int i = 0; i < c->nsbatch; i++)
        fprintf(m.f, "sbatch\t%s\n", c->sbatch[i]);
    membuf_close(&m);
    char *path = in_dir(c, "run.conf");
    int rc = write_atomic(path, m.p, m.len);
    free(path);
    free(m.p);
    return rc;
}

static int write_plan(const run_conf *c)
{
    membuf m;
    membuf_open(&m);
    fputs("# task\trecords\tbytes\tfile (from cwd of run.conf)\n", m.f);
    for (size_t i = 0; i < c->nunits; i++) {
        const unit *u = &c->units[i];
        fprintf(m.f, "%ld\t", u->task);
        if (!u->first)
            fputs("all", m.f);
        else if (u->last == ULLONG_MAX)
            fprintf(m.f, "%llu-", u->first);
        else
            fprintf(m.f, "%llu-%llu", u->first, u->last);
        fprintf(m.f, "\t%llu\t%s\n", u->bytes, u->path);
    }
    membuf_close(&m);
    char *path = in_dir(c, "plan.tsv");
    int rc = write_atomic(path, m.p, m.len);
    free(path);
    free(m.p);
    return rc;
}

static int load_run_files(run_conf *c, const char *dir);

/* Reads DIR's run.conf and plan.tsv into c (emptied on failure). 0, or an
 * exit status (said). */
static int load_run(run_conf *c, const char *dir)
{
    int rc = load_run_files(c, dir);
    if (rc)
        conf_free(c);
    return rc;
}

static int load_run_files(run_conf *c, const char *dir)
{
    memset(c, 0, sizeof *c);
    char *abs = realpath(dir, NULL);
    if (!abs) {
        fprintf(stderr, "hearsay: %s: %s (not a hearsay slurm run folder)\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    c->dir = abs;
    char *path = in_dir(c, "run.conf");
    char *text = read_all(path, NULL);
    if (!text) {
        fprintf(stderr, "hearsay: %s: %s (not a hearsay slurm run folder)\n", path,
                strerror(errno));
        free(path);
        return EXIT_USAGE;
    }
    long version = 0;
    int lineno = 0, rc = 0;
    for (char *line = text, *next; line && !rc; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        if (*line == '#' || !*line)
            continue;
        char *v = strchr(line, '\t');
        if (!v) {
            fprintf(stderr, "hearsay: %s: line %d: not KEY<TAB>VALUE\n", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        *v++ = 0;
        char **str = !strcmp(line, "cwd") ? &c->cwd : !strcmp(line, "exe") ? &c->exe
                   : !strcmp(line, "models") ? &c->models : !strcmp(line, "db") ? &c->db
                   : !strcmp(line, "input") ? &c->input : !strcmp(line, "mem") ? &c->mem
                   : !strcmp(line, "time") ? &c->time
                   : !strcmp(line, "partition") ? &c->partition : NULL;
        if (str) {
            free(*str);
            *str = xstrdup(v);
        } else if (!strcmp(line, "sbatch")) {
            c->sbatch = xrealloc(c->sbatch, (size_t)(c->nsbatch + 1) * sizeof *c->sbatch);
            c->sbatch[c->nsbatch++] = xstrdup(v);
        } else if (!strcmp(line, "version")) {
            version = atol(v);
        } else if (!strcmp(line, "lossy")) {
            c->lossy = atoi(v);
        } else if (!strcmp(line, "max_doc_mb")) {
            c->max_doc_mb = atol(v);
        } else if (!strcmp(line, "cpus")) {
            c->cpus = atol(v);
        } else if (!strcmp(line, "running")) {
            c->running = atol(v);
        } else if (!strcmp(line, "tasks")) {
            c->ntasks = atol(v);
        } /* unknown keys: a later version's; ignored */
    }
    free(text);
    if (!rc && (version != RUN_VERSION || !c->cwd || !c->exe || !c->models || !c->input ||
                !c->mem || c->ntasks < 1 || c->ntasks > MAX_TASKS_LIMIT || c->cpus < 1)) {
        fprintf(stderr, "hearsay: %s: incomplete, or written by another version of hearsay "
                        "(run version %ld, this one reads %d)\n", path, version, RUN_VERSION);
        rc = EXIT_USAGE;
    }
    free(path);
    if (rc)
        return rc;
    path = in_dir(c, "plan.tsv");
    text = read_all(path, NULL);
    if (!text) {
        fprintf(stderr, "hearsay: %s: %s\n", path, strerror(errno));
        free(path);
        return EXIT_USAGE;
    }
    size_t cap = 0;
    lineno = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        if (*line == '#' || !*line)
            continue;
        char *f[4];
        int nf = 0;
        for (char *p = line; nf < 4; nf++) {
            f[nf] = p;
            char *t = nf < 3 ? strchr(p, '\t') : NULL;
            if (nf < 3 && !t)
                break;
            if (t)
                *t = 0, p = t + 1;
        }
        unit u = {0};
        char *end;
        if (nf == 4) {
            u.task = strtol(f[0], &end, 10);
            if (*end || u.task < 0 || u.task >= c->ntasks)
                nf = 0;
            if (!strcmp(f[1], "all")) {
                u.first = u.last = 0;
            } else {
                u.first = strtoull(f[1], &end, 10);
                if (*end != '-' || !u.first)
                    nf = 0;
                else if (!end[1])
                    u.last = ULLONG_MAX;
                else if ((u.last = strtoull(end + 1, &end, 10)) < u.first || *end)
                    nf = 0;
            }
            u.bytes = strtoull(f[2], &end, 10);
        }
        if (nf != 4 || !*f[3]) {
            fprintf(stderr, "hearsay: %s: line %d: not TASK<TAB>RECORDS<TAB>BYTES<TAB>FILE\n",
                    path, lineno);
            free(text);
            free(path);
            return EXIT_USAGE;
        }
        if (c->nunits == cap)
            c->units = xrealloc(c->units, (cap = cap * 2 + 64) * sizeof *c->units);
        u.path = xstrdup(f[3]);
        c->units[c->nunits++] = u;
    }
    free(text);
    if (!c->nunits) {
        fprintf(stderr, "hearsay: %s: no task in the plan\n", path);
        free(path);
        return EXIT_USAGE;
    }
    free(path);
    return 0;
}

/* The jobs submitted for a run, from DIR/jobs.tsv: "ROUND<TAB>analyze|merge<TAB>ID<TAB>TASKS". */
typedef struct job_ref {
    int round;
    int merge;
    char id[32];
} job_ref;

static int load_jobs(const run_conf *c, job_ref **jobs, int *n)
{
    *jobs = NULL;
    *n = 0;
    char *path = in_dir(c, "jobs.tsv");
    char *text = read_all(path, NULL);
    free(path);
    if (!text)
        return 0;
    int cap = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        job_ref j = {0};
        char kind[16];
        if (sscanf(line, "%d\t%15s\t%31s", &j.round, kind, j.id) != 3)
            continue;
        j.merge = !strcmp(kind, "merge");
        if (*n == cap)
            *jobs = xrealloc(*jobs, (size_t)(cap = cap * 2 + 8) * sizeof **jobs);
        (*jobs)[(*n)++] = j;
    }
    free(text);
    return 0;
}

static int append_job(const run_conf *c, int round, const char *kind, const char *id,
                      const char *tasks)
{
    char *path = in_dir(c, "jobs.tsv");
    FILE *f = fopen(path, "a");
    int rc = -1;
    if (f) {
        fprintf(f, "%d\t%s\t%s\t%s\n", round, kind, id, tasks);
        rc = close_synced(f);
    }
    if (rc)
        fprintf(stderr, "hearsay: %s: %s\n", path, strerror(errno));
    free(path);
    return rc;
}

/* ---- the scheduler ------------------------------------------------------------ */

/* A job's state from scontrol ("PENDING", "COMPLETED", ...), "GONE" when
 * the controller no longer knows it, "UNREACHABLE" (with why, once, on
 * stderr) when the controller does not answer, or NULL when scontrol
 * cannot be run. */
static char *job_state(const char *id)
{
    char *argv[] = {"scontrol", "show", "job", "-o", (char *)id, NULL};
    char *out;
    int rc = run_cmd(argv, &out, 2);
    if (rc == 127) {
        free(out);
        return NULL;
    }
    const char *s = strstr(out, "JobState=");
    char *state;
    if (rc == 0 && s) {
        s += 9;
        size_t n = strcspn(s, " \n");
        state = xrealloc(NULL, n + 1);
        memcpy(state, s, n);
        state[n] = 0;
    } else if (rc == 0 || strstr(out, "Invalid job id")) {
        state = xstrdup(rc == 0 ? "UNKNOWN" : "GONE");
    } else {
        static int said;
        if (rc < 128 && !said++)
            fprintf(stderr, "hearsay: scontrol show job %s: %s", id, *out ? out : "failed\n");
        state = xstrdup("UNREACHABLE");
    }
    free(out);
    return state;
}

/* Whether a job in state s may still run. */
static int state_active(const char *s)
{
    static const char *const ended[] = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT",
                                        "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY",
                                        "BOOT_FAIL", "DEADLINE", "GONE", "SPECIAL_EXIT"};
    for (size_t i = 0; i < sizeof ended / sizeof *ended; i++)
        if (!strcmp(s, ended[i]))
            return 0;
    return 1;
}

/* The queue's view of the run's analysis jobs: state[t] is the state of task
 * t when the queue holds it (pending, running, ...), else NULL; active[i]
 * (when not NULL) is set for the jobs holding such a task. Returns 0, or -1
 * (said) when squeue cannot be run or does not answer. */
static int task_states(const run_conf *c, const job_ref *jobs, int njobs, char **state,
                       char *active)
{
    for (int i = 0; i < njobs; i++) {
        if (jobs[i].merge)
            continue;
        char *argv[] = {"squeue", "-h", "-r", "-j", (char *)jobs[i].id, "-o", "%K %T", NULL};
        char *out;
        int rc = run_cmd(argv, &out, 2);
        if (rc == 127 || (rc && !strstr(out, "Invalid job id"))) {
            if (rc == 127)
                fprintf(stderr, "hearsay: cannot run squeue: is Slurm installed here?\n");
            else
                fprintf(stderr, "hearsay: squeue -j %s failed (exit %d): %s", jobs[i].id, rc,
                        *out ? out : "\n");
            free(out);
            return -1;
        }
        if (rc) { /* the controller forgot the job: none of its tasks is queued */
            free(out);
            continue;
        }
        for (char *line = out, *next; line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            char st[64];
            long t;
            if (sscanf(line, "%ld %63s", &t, st) == 2 && t >= 0 && t < c->ntasks &&
                state_active(st)) {
                free(state[t]);
                state[t] = xstrdup(st);
                if (active)
                    active[i] = 1;
            }
        }
        free(out);
    }
    return 0;
}

/* "0-3,7,9-11" for the tasks t with pick[t]; NULL when none. */
static char *task_spec(const char *pick, long n)
{
    membuf m;
    membuf_open(&m);
    int any = 0;
    for (long t = 0; t < n; t++) {
        if (!pick[t])
            continue;
        long e = t;
        while (e + 1 < n && pick[e + 1])
            e++;
        fprintf(m.f, "%s%ld", any ? "," : "", t);
        if (e > t)
            fprintf(m.f, "-%ld", e);
        any = 1;
        t = e;
    }
    membuf_close(&m);
    if (!any) {
        free(m.p);
        return NULL;
    }
    return m.p;
}

/* s with every '%' doubled, for sbatch's file name patterns. */
static char *pct(const char *s)
{
    size_t n = strlen(s) + 1;
    for (const char *p = s; *p; p++)
        n += *p == '%';
    char *d = xrealloc(NULL, n), *o = d;
    for (const char *p = s; *p; p++) {
        *o++ = *p;
        if (*p == '%')
            *o++ = '%';
    }
    *o = 0;
    return d;
}

/* Submits script with the run's options and more (NULL-ended); the job id
 * into id. 0, or EXIT_SCHED (said). */
static int sbatch(const run_conf *c, const char *script, const char *const *more, char *id,
                  size_t idcap)
{
    size_t nmore = 0;
    while (more[nmore])
        nmore++;
    /* sbatch --parsable, more, three of our own, the run's extra options, script */
    char **argv = xcalloc(2 + nmore + 3 + (size_t)c->nsbatch + 2, sizeof *argv);
    char *own[3];
    int n = 0, nown = 0;
    argv[n++] = "sbatch";
    argv[n++] = "--parsable";
    for (size_t i = 0; i < nmore; i++)
        argv[n++] = (char *)more[i];
    argv[n++] = own[nown++] = fmt("--chdir=%s", c->cwd);
    if (c->partition)
        argv[n++] = own[nown++] = fmt("--partition=%s", c->partition);
    if (c->time)
        argv[n++] = own[nown++] = fmt("--time=%s", c->time);
    for (int i = 0; i < c->nsbatch; i++)
        argv[n++] = c->sbatch[i];
    argv[n++] = (char *)script;
    argv[n] = NULL;
    char *out;
    int rc = run_cmd(argv, &out, 0);
    for (int i = 0; i < nown; i++)
        free(own[i]);
    free(argv);
    size_t k = strcspn(out, ";\n");
    int ok = rc == 0 && k > 0 && k < idcap;
    for (size_t i = 0; ok && i < k; i++)
        ok = isdigit((unsigned char)out[i]);
    if (!ok) {
        if (rc == 127)
            fprintf(stderr, "hearsay: cannot run sbatch: is Slurm installed here? (or use "
                            "--no-submit and run the tasks yourself: docs/cluster.md)\n");
        else
            fprintf(stderr, "hearsay: sbatch %s failed (exit %d)%s%s\n", script, rc,
                    *out ? ": " : "", out);
        free(out);
        return EXIT_SCHED;
    }
    memcpy(id, out, k);
    id[k] = 0;
    free(out);
    return 0;
}

static int write_scripts(const run_conf *c)
{
    char *exe = shq(c->exe), *dir = shq(c->dir);
    char *a = fmt("#!/bin/sh\n"
                  "# The analysis tasks of a hearsay slurm run (hearsay %s). Task N analyzes its\n"
                  "# lines of plan.tsv as `hearsay analyze --format json --include-text` does and\n"
                  "# renames out/N.jsonl.tmp-JOB to out/N.jsonl when it is complete.\n"
                  "exec %s slurm --task %s \"${SLURM_ARRAY_TASK_ID:?not in a job array}\"\n",
                  hs_version(), exe, dir);
    char *m = fmt("#!/bin/sh\n"
                  "# The merge of a hearsay slurm run (hearsay %s): stores every complete task\n"
                  "# result in the corpus once and writes summary.json, summary.txt, errors.tsv.\n"
                  "exec %s slurm --merge %s\n",
                  hs_version(), exe, dir);
    char *pa = in_dir(c, "analyze.sh"), *pm = in_dir(c, "merge.sh");
    int rc = write_atomic(pa, a, strlen(a)) || write_atomic(pm, m, strlen(m)) ||
             chmod(pa, 0755) || chmod(pm, 0755);
    free(exe);
    free(dir);
    free(a);
    free(m);
    free(pa);
    free(pm);
    return rc ? -1 : 0;
}

/* Submits the tasks picked (all of them with all) and a merge job after
 * them and after the jobs in after (a ":"-joined list, or NULL). Prints the
 * ids; the merge's into merge_id. 0 or an exit status. */
static int submit(const run_conf *c, int round, int all, const char *pick, const char *after,
                  char *merge_id, size_t cap)
{
    char *spec = all ? fmt(c->ntasks > 1 ? "0-%ld" : "%ld", c->ntasks - 1)
                     : task_spec(pick, c->ntasks);
    char aid[32] = "", dep[512] = "";
    int rc = 0;
    if (spec) {
        char *arr = c->running ? fmt("--array=%s%%%ld", spec, c->running)
                               : fmt("--array=%s", spec);
        char *cpus = fmt("--cpus-per-task=%ld", c->cpus),
             *mem = fmt("--mem=%s", c->mem), *out = NULL,
             *script = in_dir(c, "analyze.sh"), *pd = pct(c->dir);
        out = fmt("--output=%s/log/task-%%a.log", pd);
        free(pd);
        const char *more[] = {"--job-name=hearsay-analyze", arr, cpus, mem, out,
                              "--open-mode=append", "--requeue", NULL};
        rc = sbatch(c, script, more, aid, sizeof aid);
        free(arr);
        free(cpus);
        free(mem);
        free(out);
        free(script);
        if (!rc) {
            if (append_job(c, round, "analyze", aid, spec))
                rc = EXIT_OUTPUT;
            printf("analyze job %s (tasks %s)\n", aid, spec);
        }
    }
    if (!rc) {
        if (*aid || after)
            snprintf(dep, sizeof dep, "--dependency=afterany:%s%s%s", aid,
                     *aid && after ? ":" : "", after ? after : "");
        char *pd = pct(c->dir), *mem = fmt("--mem=%s", c->mem),
             *out = fmt("--output=%s/log/merge-%%j.log", pd), *script = in_dir(c, "merge.sh");
        free(pd);
        const char *more[] = {"--job-name=hearsay-merge", mem, out, "--cpus-per-task=1",
                              *dep ? dep : NULL, NULL};
        rc = sbatch(c, script, more, merge_id, cap);
        free(mem);
        free(out);
        free(script);
        if (!rc) {
            if (append_job(c, round, "merge", merge_id, "-"))
                rc = EXIT_OUTPUT;
            printf("merge job %s\n", merge_id);
        } else if (*aid) {
            fprintf(stderr, "hearsay: the analysis job %s runs without its merge; after it, "
                            "hearsay slurm --resume %s merges\n", aid, c->dir);
        }
    }
    fflush(stdout);
    free(spec);
    return rc;
}

/* ---- waiting and the summary ---------------------------------------------------- */

static volatile sig_atomic_t interrupted; /* the signal that stopped --wait */
static void on_signal(int sig) { interrupted = sig; }

static long count_done(const run_conf *c)
{
    long n = 0;
    for (long t = 0; t < c->ntasks; t++) {
        char *p = task_file(c, "out", t, ".jsonl");
        n += exists(p);
        free(p);
    }
    return n;
}

/* Waits until the merge job ends; prints the run's summary and returns the
 * run's exit status (EXIT_TASK when the merge left no summary). */
static int wait_merge(const run_conf *c, const char *merge_id)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int tty = isatty(STDERR_FILENO);
    double delay = 0.2;
    long shown = -1;
    for (;;) {
        char *st = job_state(merge_id);
        if (!st) {
            fprintf(stderr, "hearsay: cannot run scontrol to follow job %s\n", merge_id);
            return EXIT_SCHED;
        }
        int active = state_active(st);
        free(st);
        if (!active && !interrupted)
            break;
        if (tty) {
            long d = count_done(c);
            if (d != shown)
                fprintf(stderr, "\r\033[Khearsay: %ld of %ld tasks done", d, c->ntasks);
            shown = d;
        }
        struct timespec ts = {(time_t)delay, (long)((delay - (time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
        if (interrupted) {
            fprintf(stderr, "%shearsay: no longer waiting; the jobs go on (hearsay slurm "
                            "--status %s)\n", tty ? "\r\033[K" : "", c->dir);
            return 128 + interrupted;
        }
        if (delay < 2)
            delay *= 1.5;
    }
    if (tty && shown >= 0)
        fputs("\r\033[K", stderr);
    char *path = in_dir(c, "summary.json");
    json_error_t je;
    json_t *s = json_load_file(path, 0, &je);
    free(path);
    const char *job = json_string_value(json_object_get(s, "merge_job"));
    if (!s || !job || strcmp(job, merge_id)) {
        fprintf(stderr, "hearsay: the merge job %s ended without writing its summary; see "
                        "%s/log/merge-%s.log\n", merge_id, c->dir, merge_id);
        json_decref(s);
        return EXIT_TASK;
    }
    int rc = (int)json_integer_value(json_object_get(s, "exit"));
    json_decref(s);
    path = in_dir(c, "summary.txt");
    char *text = read_all(path, NULL);
    free(path);
    if (text)
        fputs(text, stderr);
    free(text);
    return rc;
}

/* ---- planning -------------------------------------------------------------------- */

typedef struct input_file {
    char *path;
    unsigned long long bytes;
    long pieces;   /* planned: 1 (whole), or ranges of records */
    int big;
    int splittable; /* JSON Lines or WARC */
} input_file;

/* Whether path is JSON Lines or WARC (read as format), from its first record. */
/* How the planner reads the input files: as the tasks will (the engine
 * gives the document size limit). */
typedef struct reading {
    const hs_engine *eng;
    int format;
    unsigned flags;
} reading;

/* Whether path is JSON Lines or WARC as read, from its first record. */
static int splittable(const char *path, const reading *rd)
{
    if (rd->format == HS_FORMAT_JSONL || rd->format == HS_FORMAT_WARC)
        return 1;
    if (rd->format != HS_FORMAT_AUTO)
        return 0;
    hs_reader *r = NULL;
    int fm = HS_FORMAT_AUTO;
    if (hs_reader_open_format(&r, rd->eng, path, rd->format, rd->flags) == HS_OK) {
        hs_input in;
        hs_reader_next(r, &in);
        fm = hs_reader_format(r);
    }
    hs_reader_close(r);
    return fm == HS_FORMAT_JSONL || fm == HS_FORMAT_WARC;
}

/* Cuts path into about want ranges of records of equal size (by the bytes
 * read), appending units of consecutive task numbers from *task. A file
 * that is not JSON Lines or WARC, or has too few records, stays whole. */
static void cut_file(run_conf *c, const input_file *f, long want, const reading *rd, long *task,
                     size_t *cap)
{
    hs_reader *r = NULL;
    if (hs_reader_open_format(&r, rd->eng, f->path, rd->format, rd->flags) != HS_OK)
        oom(); /* opening reports a bad file at the first read, so this is memory */
    unsigned long long *ends = xrealloc(NULL, (size_t)want * sizeof *ends), last_rec = 0;
    long ncut = 0, next = 1; /* the next target: next/want of the bytes */
    hs_input in;
    int rc;
    while ((rc = hs_reader_next(r, &in)) != HS_EEOF) {
        int fm = hs_reader_format(r);
        if (fm != HS_FORMAT_JSONL && fm != HS_FORMAT_WARC)
            break;
        unsigned long long rec = hs_reader_record(r), pos = hs_reader_tell(r);
        if (rec > last_rec)
            last_rec = rec;
        /* cut after rec once its bytes pass the next target; the reader's
         * position moves a buffer at a time, so targets passed at once make
         * one cut, not a task per record */
        unsigned long long target = f->bytes * (unsigned long long)next / (unsigned long long)want;
        if (next < want && pos >= target && (ncut == 0 ? rec >= 1 : rec > ends[ncut - 1])) {
            ends[ncut++] = rec;
            while (next < want &&
                   pos >= f->bytes * (unsigned long long)next / (unsigned long long)want)
                next++;
        }
    }
    hs_reader_close(r);
    /* the last cut must leave records after it */
    while (ncut > 0 && ends[ncut - 1] >= last_rec)
        ncut--;
    unsigned long long first = 1;
    for (long i = 0; i <= ncut; i++) {
        if (c->nunits == *cap)
            c->units = xrealloc(c->units, (*cap = *cap * 2 + 64) * sizeof *c->units);
        unit u = {.path = xstrdup(f->path), .task = (*task)++};
        if (ncut == 0) {
            u.bytes = f->bytes;
        } else {
            u.first = first;
            u.last = i < ncut ? ends[i] : ULLONG_MAX;
            u.bytes = f->bytes / (unsigned long long)(ncut + 1);
            first = u.last + 1;
        }
        c->units[c->nunits++] = u;
    }
    free(ends);
}

/* The number of tasks the small files make when consecutive ones are
 * grouped up to about g bytes (g 0: one each). */
static long group_count(const input_file *f, int n, unsigned long long g)
{
    long tasks = 0;
    unsigned long long acc = 0;
    int open = 0;
    for (int i = 0; i < n; i++) {
        if (f[i].big) {
            tasks += f[i].pieces;
            open = 0;
            continue;
        }
        if (!open) {
            tasks++;
            acc = 0;
            open = 1;
        }
        acc += f[i].bytes;
        if (!g || acc >= g)
            open = 0;
    }
    return tasks;
}

/* Plans files into c->units and c->ntasks. 0 or an exit status (said). */
static int make_plan(run_conf *c, char **paths, int n, unsigned long long shard, long max_tasks,
                     const reading *rd)
{
    input_file *f = xrealloc(NULL, (size_t)n * sizeof *f);
    unsigned long long total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(paths[i], "-")) {
            free(f);
            return usage_error("%s", "slurm reads files, not standard input");
        }
        if (strpbrk(paths[i], "\t\n")) {
            fprintf(stderr, "hearsay: %s: a tab or newline in a file name cannot go into the "
                            "plan; rename the file\n", paths[i]);
            free(f);
            return EXIT_USAGE;
        }
        const char *why = stat(paths[i], &st) ? strerror(errno)
                        : !S_ISREG(st.st_mode)    ? "not a regular file"
                        : access(paths[i], R_OK)  ? strerror(errno)
                                                  : NULL;
        if (why) {
            fprintf(stderr, "hearsay: %s: %s\n", paths[i], why);
            free(f);
            return EXIT_USAGE;
        }
        f[i] = (input_file){.path = paths[i], .bytes = (unsigned long long)st.st_size};
        /* only a file over the shard size may be cut (the shard only grows) */
        f[i].splittable = f[i].bytes > shard && splittable(paths[i], rd);
        total += f[i].bytes;
    }
    /* the shard size: large files are cut into pieces of about shard bytes;
     * when the tasks would be more than max_tasks, small files are grouped,
     * and when the pieces alone are too many, the shard grows */
    unsigned long long g = 0;
    for (;;) {
        for (int i = 0; i < n; i++) {
            f[i].big = f[i].splittable && f[i].bytes > shard;
            f[i].pieces = f[i].big ? (long)((f[i].bytes + shard - 1) / shard) : 1;
        }
        /* the fewest tasks this shard allows: the pieces, and each run of
         * small files between large ones as one group */
        if (group_count(f, n, ULLONG_MAX) > max_tasks) {
            shard += shard / 4 + 1;
            continue;
        }
        if (group_count(f, n, 0) <= max_tasks)
            break;
        unsigned long long lo = 1, hi = total + 1; /* the least g that fits (hi does) */
        while (lo < hi) {
            unsigned long long mid = lo + (hi - lo) / 2;
            if (group_count(f, n, mid) <= max_tasks)
                hi = mid;
            else
                lo = mid + 1;
        }
        g = lo;
        break;
    }
    long task = 0;
    size_t cap = 0;
    int tty = isatty(STDERR_FILENO);
    unsigned long long acc = 0;
    int open = 0;
    for (int i = 0; i < n; i++) {
        if (f[i].big) {
            if (open)
                task++;
            open = 0;
            if (tty)
                fprintf(stderr, "\r\033[Khearsay: finding the records of %s", f[i].path);
            cut_file(c, &f[i], f[i].pieces, rd, &task, &cap);
            continue;
        }
        if (!open) {
            open = 1;
            acc = 0;
        }
        if (c->nunits == cap)
            c->units = xrealloc(c->units, (cap = cap * 2 + 64) * sizeof *c->units);
        c->units[c->nunits++] = (unit){.path = xstrdup(f[i].path), .bytes = f[i].bytes,
                                       .task = task};
        acc += f[i].bytes;
        if (!g || acc >= g) {
            task++;
            open = 0;
        }
    }
    if (open)
        task++;
    if (tty)
        fputs("\r\033[K", stderr);
    c->ntasks = task;
    free(f);
    return 0;
}

/* ---- a task: its lines of the plan, analyzed ------------------------------------- */

/* Opens path (created, truncated) as descriptor fd: NULL, or path (errno set). */
static const char *redirect(const char *path, int fd)
{
    fflush(fd == STDOUT_FILENO ? stdout : stderr);
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (f < 0)
        return path;
    int ok = dup2(f, fd) == fd;
    close(f);
    return ok ? NULL : path;
}

static char *host_name(void)
{
    char h[256] = "";
    gethostname(h, sizeof h - 1);
    return xstrdup(h);
}

static int do_task(const char *dir, const char *which)
{
    run_conf c;
    int rc = load_run(&c, dir);
    if (rc)
        return rc;
    char *end;
    long t = which ? strtol(which, &end, 10) : -1;
    if (!which || *end || end == which || t < 0 || t >= c.ntasks) {
        fprintf(stderr, "hearsay: --task wants a task number from 0 to %ld, not '%s'\n",
                c.ntasks - 1, which ? which : "");
        conf_free(&c);
        return EXIT_USAGE;
    }
    if (chdir(c.cwd)) {
        fprintf(stderr, "hearsay: %s: %s (the run's files are named from there)\n", c.cwd,
                strerror(errno));
        conf_free(&c);
        return EXIT_USAGE;
    }
    const char *job = getenv("SLURM_JOB_ID");
    char *host = host_name();
    char *tag = fmt("%s-%ld", job && *job ? job : "local", (long)getpid());
    char *out = task_file(&c, "out", t, ".jsonl"), *err = task_file(&c, "err", t, ".txt"),
         *done = task_file(&c, "done", t, ".json"), *started = task_file(&c, "started", t, "");
    char *out_tmp = fmt("%s.tmp-%s", out, tag), *err_tmp = fmt("%s.tmp-%s", err, tag);
    free(tag);
    char *note = fmt("%s\t%s\t%ld\n", host, job ? job : "-", (long)time(NULL));
    write_atomic(started, note, strlen(note));
    free(note);

    hs_engine_options eo = {.model_dir = c.models, .max_doc_bytes = (size_t)c.max_doc_mb << 20,
                            .layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR};
    hs_engine *eng = NULL;
    unsigned json_flags = HS_JSON_INCLUDE_TEXT;
    run_opts ro = {.jobs = (int)(c.cpus > 256 ? 256 : c.cpus), .emit = cli_emit_json,
                   .ctx = &json_flags, .format = cli_input_format(c.input)};
    if (c.lossy) {
        ro.read_flags |= HS_READ_LOSSY;
        ro.analyze_flags |= HS_ANALYZE_LOSSY;
    }
    /* this task's lines of stderr are the job's log; the documents' errors go
     * to err/N.txt and the documents to out/N.jsonl. A closed standard
     * stream is first filled with /dev/null, so that the log and the two
     * files get descriptors of their own. */
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0) {
            int nul = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
            if (nul >= 0 && nul != fd) {
                dup2(nul, fd);
                close(nul);
            }
        }
    int log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    FILE *log = log_fd >= 0 ? fdopen(log_fd, "w") : NULL;
    if (!log) {
        fprintf(stderr, "hearsay: task %ld: %s\n", t, strerror(errno));
        rc = EXIT_OUTPUT;
    }
    double t0 = now_s();
    long failed = -1;
    unsigned long long docs = 0; /* documents written (run_documents counts them) */
    ro.written = &docs;
    fflush(stdout);
    fflush(stderr);
    const char *bad = NULL;
    if (rc) {
        ; /* no log: said above */
    } else if (ro.format < 0) {
        fprintf(log, "hearsay: %s: unknown input format '%s'\n", dir, c.input);
        rc = EXIT_USAGE;
    } else if ((bad = redirect(out_tmp, STDOUT_FILENO)) ||
               (bad = redirect(err_tmp, STDERR_FILENO))) {
        fprintf(log, "hearsay: task %ld: %s: %s\n", t, bad, strerror(errno));
        rc = EXIT_OUTPUT;
    } else if ((rc = cli_open_engine(&eng, &eo)) != 0) {
        fflush(stderr);
        char *why = read_all(err_tmp, NULL);
        fprintf(log, "%s", why ? why : "hearsay: the models cannot be loaded\n");
        free(why);
    } else {
        ro.eng = eng;
        size_t parts = 0;
        for (size_t i = 0; i < c.nunits; i++)
            parts += c.units[i].task == t;
        fprintf(log, "hearsay: task %ld of %s on %s: %zu file%s or range%s\n", t, c.dir, host,
                parts, parts == 1 ? "" : "s", parts == 1 ? "" : "s");
        fflush(log);
        failed = 0;
        /* consecutive whole files in one run (so -j keeps every thread busy);
         * each range of records on its own */
        for (size_t i = 0; i < c.nunits && failed >= 0;) {
            if (c.units[i].task != t) {
                i++;
                continue;
            }
            char **files = xrealloc(NULL, (c.nunits - i) * sizeof *files);
            int n = 0;
            ro.first = c.units[i].first;
            ro.last = c.units[i].last;
            files[n++] = c.units[i++].path;
            while (!ro.first && i < c.nunits && c.units[i].task == t && !c.units[i].first)
                files[n++] = c.units[i++].path;
            long f = run_documents(&ro, files, n);
            free(files);
            failed = f < 0 ? -1 : failed + f;
        }
        hs_engine_close(eng);
        if (fflush(stdout) || ferror(stdout) || fsync(STDOUT_FILENO) || fflush(stderr) ||
            fsync(STDERR_FILENO))
            failed = -1;
        if (failed < 0) {
            fprintf(log, "hearsay: task %ld: writing %s: %s\n", t, out_tmp, strerror(errno));
            rc = EXIT_OUTPUT;
        }
    }
    double secs = now_s() - t0;
    char *status = NULL;
    if (!rc) {
        json_t *st = json_pack("{sI sI sI sf ss ss}", "task", (json_int_t)t, "documents",
                               (json_int_t)docs, "failed", (json_int_t)failed, "seconds", secs,
                               "host", host, "job", job ? job : "");
        status = st ? json_dumps(st, JSON_COMPACT) : NULL; /* NULL: a host name not UTF-8 */
        json_decref(st);
        if (!status)
            status = fmt("{\"task\":%ld,\"documents\":%llu,\"failed\":%ld,\"seconds\":%.3f}",
                         t, docs, failed, secs);
        char *d1 = fmt("%s/err", c.dir), *d2 = fmt("%s/out", c.dir), *d3 = fmt("%s/done", c.dir);
        /* out/N.jsonl comes last: it says the task is complete */
        if (write_atomic(done, status, strlen(status)) || rename(err_tmp, err) ||
            (sync_dir(d1), sync_dir(d3), rename(out_tmp, out))) {
            fprintf(log, "hearsay: task %ld: %s: %s\n", t, out, strerror(errno));
            rc = EXIT_OUTPUT;
        } else {
            sync_dir(d2);
            fprintf(log,
                    "hearsay: task %ld: %llu document%s, %ld failed, %.1f s (%.0f documents/s)\n",
                    t, docs, docs == 1 ? "" : "s", failed, secs, secs > 0 ? docs / secs : 0.0);
        }
        free(d1);
        free(d2);
        free(d3);
        free(status);
    }
    if (rc) {
        unlink(out_tmp);
        unlink(err_tmp);
    }
    if (log)
        fclose(log);
    free(host);
    free(out);
    free(err);
    free(done);
    free(started);
    free(out_tmp);
    free(err_tmp);
    conf_free(&c);
    return rc;
}

/* ---- the merge and the summary ---------------------------------------------------- */

typedef struct summary {
    long tasks, complete;
    long long documents, failed;
    long long stored, store_failed;
    json_t *missing;  /* task numbers without a result */
    int store_error;
} summary;

static int write_summary(const run_conf *c, const summary *s, json_t *errors, long nerrors, int rc,
                         double secs)
{
    const char *job = getenv("SLURM_JOB_ID");
    json_t *j = json_object();
    json_object_set_new(j, "dir", json_string(c->dir));
    json_object_set_new(j, "tasks", json_integer(s->tasks));
    json_object_set_new(j, "complete", json_integer(s->complete));
    json_object_set(j, "missing", s->missing);
    json_object_set_new(j, "documents", json_integer(s->documents));
    json_object_set_new(j, "failed", json_integer(s->failed));
    json_object_set_new(j, "db", c->db ? json_string(c->db) : json_null());
    json_object_set_new(j, "stored", c->db ? json_integer(s->stored) : json_null());
    json_object_set_new(j, "store_failed", json_integer(s->store_failed));
    json_object_set_new(j, "errors", json_integer(nerrors));
    json_object_set_new(j, "exit", json_integer(rc));
    json_object_set_new(j, "merge_job", json_string(job ? job : "local"));
    json_object_set_new(j, "seconds", json_real(secs));
    char *js = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!js)
        return -1;
    size_t jl = strlen(js);
    js = xrealloc(js, jl + 2);
    js[jl++] = '\n';
    js[jl] = 0;
    char *path = in_dir(c, "summary.json");

    /* the text: the figures, the first failures, what to do next */
    membuf t;
    membuf_open(&t);
    fprintf(t.f, "hearsay slurm: %s\n", c->dir);
    fprintf(t.f, "  tasks:     %ld of %ld complete\n", s->complete, s->tasks);
    fprintf(t.f, "  documents: %lld analyzed, %lld failed\n", s->documents, s->failed);
    if (c->db) {
        if (s->store_error)
            fprintf(t.f, "  corpus:    %s could not be written (see the merge log)\n", c->db);
        else
            fprintf(t.f, "  corpus:    %s holds %lld document%s\n", c->db, s->stored,
                s->stored == 1 ? "" : "s");
        if (s->store_failed)
            fprintf(t.f, "  %lld analyzed line%s could not be stored (see the merge log)\n",
                s->store_failed, s->store_failed == 1 ? "" : "s");
    }
    long shown = 0;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        if (shown++ == 0)
            fprintf(t.f, "  failed documents (task: message):\n");
        fprintf(t.f, "    %lld: %s\n", (long long)json_integer_value(json_array_get(e, 0)),
            json_string_value(json_array_get(e, 1)));
    }
    if (nerrors > shown)
        fprintf(t.f, "    ... and %ld more in %s/errors.tsv\n", nerrors - shown, c->dir);
    if (json_array_size(s->missing)) {
        fprintf(t.f, "  tasks without a result:");
        json_array_foreach(s->missing, i, e) {
            if (i == 30) {
                fprintf(t.f, " ...");
                break;
            }
            fprintf(t.f, " %lld", (long long)json_integer_value(e));
        }
        fprintf(t.f, "\n  (killed, cancelled or failed: see %s/log/task-N.log; then hearsay slurm "
            "--resume %s)\n", c->dir, c->dir);
    }
    fprintf(t.f, "  exit status %d\n", rc);
    membuf_close(&t);
    char *tpath = in_dir(c, "summary.txt");
    int bad = write_atomic(tpath, t.p, t.len) || write_atomic(path, js, jl);
    fputs(t.p, stderr);
    free(tpath);
    free(path);
    free(js);
    free(t.p);
    return bad ? -1 : 0;
}

/* Reads a task's done/N.json into s. */
static void add_done(const run_conf *c, long t, summary *s)
{
    char *p = task_file(c, "done", t, ".json");
    json_t *j = json_load_file(p, 0, NULL);
    free(p);
    s->documents += json_integer_value(json_object_get(j, "documents"));
    s->failed += json_integer_value(json_object_get(j, "failed"));
    json_decref(j);
}

static int do_merge(const char *dir)
{
    run_conf c;
    int rc = load_run(&c, dir);
    if (rc)
        return rc;
    double t0 = now_s();
    if (chdir(c.cwd)) {
        fprintf(stderr, "hearsay: %s: %s\n", c.cwd, strerror(errno));
        conf_free(&c);
        return EXIT_USAGE;
    }
    summary s = {.tasks = c.ntasks, .missing = json_array()};
    hs_store *st = NULL;
    if (c.db && (rc = hs_store_open(&st, c.db, 0)) != HS_OK) {
        corpus_store_error(st, rc);
        hs_store_close(st);
        st = NULL;
        s.store_error = 1;
    }
    char *epath = in_dir(&c, "errors.tsv"), *etmp = fmt("%s.tmp", epath);
    FILE *ef = fopen(etmp, "w");
    if (!ef)
        fprintf(stderr, "hearsay: %s: %s\n", etmp, strerror(errno));
    json_t *first = json_array();
    long nerrors = 0;
    for (long t = 0; t < c.ntasks; t++) {
        char *out = task_file(&c, "out", t, ".jsonl");
        if (!exists(out)) {
            json_array_append_new(s.missing, json_integer(t));
            free(out);
            continue;
        }
        s.complete++;
        add_done(&c, t, &s);
        /* the documents' errors, as the task wrote them ("hearsay: where: why") */
        char *err = task_file(&c, "err", t, ".txt");
        char *text = read_all(err, NULL);
        for (char *line = text, *next; line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            if (!*line)
                continue;
            const char *m = strncmp(line, "hearsay: ", 9) ? line : line + 9;
            if (ef)
                fprintf(ef, "%ld\t%s\n", t, m);
            if (nerrors++ < 20) {
                json_t *e = json_pack("[Is]", (json_int_t)t, m);
                if (e)
                    json_array_append_new(first, e);
            }
        }
        free(text);
        free(err);
        /* into the corpus once: merged/N marks a task stored and committed
         * (storing again would only replace the same documents) */
        char *mark = task_file(&c, "merged", t, "");
        if (st && !exists(mark)) {
            long f = corpus_put_analyzed(st, &out, 1, 0);
            int crc = f < 0 ? HS_ESTORE : hs_store_commit(st);
            if (f < 0 || crc != HS_OK) {
                if (crc != HS_OK && f >= 0)
                    fprintf(stderr, "hearsay: %s\n", hs_store_errmsg(st));
                s.store_error = 1;
                hs_store_close(st);
                st = NULL;
            } else {
                char *v = fmt("%ld\n", f);
                write_atomic(mark, v, strlen(v));
                free(v);
            }
        }
        if (exists(mark)) {
            char *v = read_all(mark, NULL);
            s.store_failed += v ? atol(v) : 0;
            free(v);
        }
        free(mark);
        free(out);
    }
    if (ef) {
        if (close_synced(ef) || rename(etmp, epath))
            fprintf(stderr, "hearsay: %s: %s\n", epath, strerror(errno));
    }
    long long n = 0;
    if (st && hs_store_count(st, &n) == HS_OK)
        s.stored = n;
    hs_store_close(st);
    rc = s.store_error ? EXIT_STORE
       : json_array_size(s.missing) ? EXIT_TASK
       : s.failed || s.store_failed || nerrors ? EXIT_PARTIAL : 0;
    if (write_summary(&c, &s, first, nerrors, rc, now_s() - t0) && !rc)
        rc = EXIT_OUTPUT;
    json_decref(first);
    json_decref(s.missing);
    free(epath);
    free(etmp);
    conf_free(&c);
    return rc;
}

/* ---- status and resume -------------------------------------------------------------- */

static int do_status(const char *dir)
{
    run_conf c;
    int rc = load_run(&c, dir);
    if (rc)
        return rc;
    job_ref *jobs;
    int njobs;
    load_jobs(&c, &jobs, &njobs);
    char **state = xcalloc((size_t)c.ntasks, sizeof *state);
    int queue = task_states(&c, jobs, njobs, state, NULL) == 0;
    summary s = {.tasks = c.ntasks};
    long running = 0, pending = 0, ended = 0, unstarted = 0;
    membuf failed; /* the numbers of the first 40 tasks without a result */
    membuf_open(&failed);
    for (long t = 0; t < c.ntasks; t++) {
        char *out = task_file(&c, "out", t, ".jsonl"), *started = task_file(&c, "started", t, "");
        if (exists(out)) {
            s.complete++;
            add_done(&c, t, &s);
        } else if (state[t]) {
            if (!strcmp(state[t], "RUNNING") || !strcmp(state[t], "COMPLETING"))
                running++;
            else
                pending++;
        } else if (exists(started) || (queue && njobs)) {
            if (ended++ < 40)
                fprintf(failed.f, "%s%ld", ended > 1 ? " " : "", t);
        } else {
            unstarted++;
        }
        free(out);
        free(started);
    }
    printf("run:       %s\n", c.dir);
    printf("tasks:     %ld: %ld complete, %ld running, %ld pending, %ld ended without a result%s",
           c.ntasks, s.complete, running, pending, ended, unstarted ? "" : "\n");
    if (unstarted)
        printf(", %ld not started\n", unstarted);
    if (!queue)
        printf("           (the queue cannot be read: running and pending tasks are not known)\n");
    membuf_close(&failed);
    if (ended)
        printf("           without a result: %s%s (hearsay slurm --resume %s runs them again)\n",
               failed.p, ended > 40 ? " ..." : "", c.dir);
    printf("documents: %lld analyzed, %lld failed (in the complete tasks)\n", s.documents,
           s.failed);
    for (int i = njobs - 1; i >= 0; i--) {
        if (!jobs[i].merge)
            continue;
        char *st = queue ? job_state(jobs[i].id) : NULL;
        printf("merge:     job %s%s%s\n", jobs[i].id, st ? " " : "",
               st ? (strcmp(st, "GONE") ? st : "ended") : "");
        free(st);
        break;
    }
    char *sp = in_dir(&c, "summary.txt");
    char *text = read_all(sp, NULL);
    if (text)
        printf("last summary (%s):\n%s", sp, text);
    free(text);
    free(sp);
    for (long t = 0; t < c.ntasks; t++)
        free(state[t]);
    free(state);
    free(failed.p);
    free(jobs);
    conf_free(&c);
    return fflush(stdout) ? EXIT_OUTPUT : 0;
}

static int do_resume(const char *dir, int wait)
{
    run_conf c;
    int rc = load_run(&c, dir);
    if (rc)
        return rc;
    job_ref *jobs;
    int njobs;
    load_jobs(&c, &jobs, &njobs);
    char **state = xcalloc((size_t)c.ntasks, sizeof *state);
    char *pick = xcalloc((size_t)c.ntasks, 1);
    char *active_job = xcalloc((size_t)njobs + 1, 1);
    if (task_states(&c, jobs, njobs, state, active_job)) {
        fprintf(stderr, "hearsay: the queue cannot be read, so nothing is resubmitted (a task "
                        "still queued would run twice)\n");
        rc = EXIT_SCHED;
    }
    int round = 1;
    for (int i = 0; i < njobs; i++)
        if (jobs[i].round >= round)
            round = jobs[i].round + 1;
    /* the last merge: still to run -> cancelled (a new one follows every
     * task); running -> wait for it */
    for (int i = njobs - 1; i >= 0 && !rc; i--) {
        if (!jobs[i].merge)
            continue;
        char *st = job_state(jobs[i].id);
        if (st && !strcmp(st, "PENDING")) {
            char *argv[] = {"scancel", "--state=PENDING", jobs[i].id, NULL}, *out;
            int crc = run_cmd(argv, &out, 0);
            free(out);
            free(st);
            st = job_state(jobs[i].id);
            if (crc == 0 && st && !state_active(st))
                fprintf(stderr, "hearsay: cancelled the waiting merge job %s; a new one "
                                "follows\n", jobs[i].id);
            else
                rc = EXIT_SCHED, fprintf(stderr, "hearsay: the merge job %s could not be "
                                                 "cancelled (%s); try again\n",
                                         jobs[i].id, st ? st : "no state");
        } else if (st && state_active(st)) {
            fprintf(stderr, "hearsay: the merge job %s is %s; resume when it has ended\n",
                    jobs[i].id, st);
            rc = EXIT_USAGE;
        }
        free(st);
        break;
    }
    long missing = 0, active = 0;
    char *after = xstrdup("");
    size_t al = 0;
    for (long t = 0; t < c.ntasks && !rc; t++) {
        char *out = task_file(&c, "out", t, ".jsonl");
        if (state[t])
            active++;
        else if (!exists(out))
            pick[t] = 1, missing++;
        free(out);
    }
    /* the merge also waits for the analysis jobs with tasks still queued */
    for (int i = 0; i < njobs && !rc; i++) {
        if (jobs[i].merge || !active_job[i])
            continue;
        after = xrealloc(after, al + strlen(jobs[i].id) + 2);
        al += (size_t)sprintf(after + al, "%s%s", al ? ":" : "", jobs[i].id);
    }
    char merge_id[32] = "";
    if (!rc) {
        int merged = 1;
        for (long t = 0; t < c.ntasks && merged && c.db; t++) {
            char *m = task_file(&c, "merged", t, "");
            merged = exists(m);
            free(m);
        }
        char *sp = in_dir(&c, "summary.json");
        json_t *sj = json_load_file(sp, 0, NULL);
        int summarized = json_integer_value(json_object_get(sj, "complete")) == c.ntasks;
        json_decref(sj);
        free(sp);
        if (!missing && !active && merged && summarized) {
            fprintf(stderr, "hearsay: nothing to resume: all %ld tasks of %s are complete and "
                            "merged\n", c.ntasks, c.dir);
        } else {
            fprintf(stderr, "hearsay: %s: %ld task%s to run again, %ld still queued\n", c.dir,
                    missing, missing == 1 ? "" : "s", active);
            rc = submit(&c, round, 0, pick, al ? after : NULL, merge_id, sizeof merge_id);
        }
    }
    if (!rc && wait && *merge_id)
        rc = wait_merge(&c, merge_id);
    for (long t = 0; t < c.ntasks; t++)
        free(state[t]);
    free(state);
    free(pick);
    free(jobs);
    free(active_job);
    free(after);
    conf_free(&c);
    return rc;
}

/* ---- hearsay slurm ----------------------------------------------------------------- */

static const char slurm_usage[] =
    "Usage: hearsay slurm [OPTIONS] FILE...        plan, write the job scripts, submit\n"
    "       hearsay slurm --resume DIR [--wait]    run again the tasks without a result\n"
    "       hearsay slurm --status DIR             tasks complete, running, failed; documents\n"
    "       hearsay slurm --task DIR N             run task N here (what a job array task runs)\n"
    "       hearsay slurm --merge DIR              store the results, write the summary\n"
    "\n"
    "Analyzes FILE... (text, HTML, JSON Lines, WARC; gzip accepted) on a Slurm cluster: a\n"
    "job array of tasks, each running what `hearsay analyze --format json --include-text`\n"
    "runs over its files, and a merge job after them that stores every result in DB.\n"
    "DIR/out/*.jsonl, in name order, is what one analyze run over FILE... writes.\n"
    "\n"
    "  --out DIR            the run's folder (default slurm-DATE-TIME); must not hold a run\n"
    "  --db DB              corpus the merge stores the documents in (as hearsay index)\n"
    "  --partition P, --time T, --mem M   sbatch options of every job (--mem default 1G)\n"
    "  --cpus-per-task N    threads per task (analyze -j N; default 1)\n"
    "  --max-tasks N        at most N tasks (default 1000): small files are grouped\n"
    "  --max-running N      at most N tasks running at once (default: as Slurm schedules)\n"
    "  --shard-mb N         a JSON Lines or WARC file over N MB is cut at record boundaries\n"
    "                       into tasks of about N MB (default 256)\n"
    "  --sbatch OPTION      one more sbatch option for every job (--sbatch=--account=x)\n"
    "  --wait               wait for the merge; exit with the run's status\n"
    "  --no-submit          plan and write the scripts only (run the tasks yourself)\n"
    "  --input FORMAT, --lossy, --max-doc-mb N, --models DIR   as for analyze\n"
    "\n"
    "Exit status: 0 every document analyzed (and stored), 1 some documents failed (named\n"
    "in the summary: DIR/summary.txt, DIR/errors.tsv), 2 usage, 4 models, 5 corpus,\n"
    "7 a task (or the merge) ended without its result (resume), 8 sbatch refused or is\n"
    "absent.\n"
    "docs/cluster.md has the guide.\n";

enum { S_OUT = 300, S_DB, S_PART, S_TIME, S_MEM, S_CPUS, S_MAXT, S_SHARD, S_SBATCH, S_WAIT,
       S_NOSUB, S_RUNNING, S_RESUME, S_STATUS, S_TASK, S_MERGE, S_INPUT, S_LOSSY, S_MAXDOC,
       S_MODELS };

static int mkdirs(const char *dir)
{
    static const char *const subs[] = {"", "/out", "/err", "/done", "/started", "/merged", "/log"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        char *p = fmt("%s%s", dir, subs[i]);
        int bad = mkdir(p, 0777) && errno != EEXIST;
        if (bad)
            fprintf(stderr, "hearsay: %s: %s\n", p, strerror(errno));
        free(p);
        if (bad)
            return -1;
    }
    return 0;
}

/* Removes what planning put into a run folder it created (a plan that
 * failed leaves no half-made folder behind). */
static void remove_run(const char *dir)
{
    static const char *const files[] = {"run.conf", "plan.tsv", "analyze.sh", "merge.sh"};
    static const char *const subs[] = {"out", "err", "done", "started", "merged", "log", ""};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *p = fmt("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        char *p = fmt("%s/%s", dir, subs[i]);
        rmdir(p);
        free(p);
    }
}

int cmd_slurm(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, S_OUT},
        {"db", required_argument, NULL, S_DB},
        {"partition", required_argument, NULL, S_PART},
        {"time", required_argument, NULL, S_TIME},
        {"mem", required_argument, NULL, S_MEM},
        {"cpus-per-task", required_argument, NULL, S_CPUS},
        {"max-tasks", required_argument, NULL, S_MAXT},
        {"shard-mb", required_argument, NULL, S_SHARD},
        {"sbatch", required_argument, NULL, S_SBATCH},
        {"wait", no_argument, NULL, S_WAIT},
        {"no-submit", no_argument, NULL, S_NOSUB},
        {"max-running", required_argument, NULL, S_RUNNING},
        {"resume", required_argument, NULL, S_RESUME},
        {"status", required_argument, NULL, S_STATUS},
        {"task", required_argument, NULL, S_TASK},
        {"merge", required_argument, NULL, S_MERGE},
        {"input", required_argument, NULL, S_INPUT},
        {"lossy", no_argument, NULL, S_LOSSY},
        {"max-doc-mb", required_argument, NULL, S_MAXDOC},
        {"models", required_argument, NULL, S_MODELS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *db = NULL, *part = NULL, *tm = NULL, *mem = "1G", *models = NULL;
    const char *input = "auto", *mode_dir = NULL;
    int mode = 0, wait = 0, nosub = 0, lossy = 0;
    long cpus = 1, max_tasks = 1000, max_doc = 64, running = 0;
    double shard_mb = 256;
    const char *extra[32];
    int nextra = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case S_OUT: out = optarg; break;
        case S_DB: db = optarg; break;
        case S_PART: part = optarg; break;
        case S_TIME: tm = optarg; break;
        case S_MEM: mem = optarg; break;
        case S_CPUS:
            if (cli_count(optarg, 1, 256, &cpus))
                return usage_error("--cpus-per-task wants 1 to 256, not '%s'", optarg);
            break;
        case S_MAXT:
            if (cli_count(optarg, 1, MAX_TASKS_LIMIT, &max_tasks))
                return usage_error("--max-tasks wants 1 to 100000, not '%s'", optarg);
            break;
        case S_SHARD: {
            char *end;
            errno = 0;
            shard_mb = strtod(optarg, &end);
            if (errno || *end || end == optarg || !(shard_mb >= 0.001 && shard_mb <= 1e6))
                return usage_error("--shard-mb wants a number of MB from 0.001, not '%s'", optarg);
            break;
        }
        case S_MAXDOC:
            if (cli_count(optarg, 1, 4000, &max_doc))
                return usage_error("--max-doc-mb wants a number of MiB from 1 to 4000, not '%s'",
                                   optarg);
            break;
        case S_SBATCH:
            if (nextra == 32)
                return usage_error("%s", "at most 32 --sbatch options");
            extra[nextra++] = optarg;
            break;
        case S_RUNNING:
            if (cli_count(optarg, 1, MAX_TASKS_LIMIT, &running))
                return usage_error("--max-running wants 1 to 100000, not '%s'", optarg);
            break;
        case S_WAIT: wait = 1; break;
        case S_NOSUB: nosub = 1; break;
        case S_RESUME:
        case S_STATUS:
        case S_TASK:
        case S_MERGE:
            if (mode) {
                return usage_error("%s", "one of --resume, --status, --task and --merge at a time");
            }
            mode = c;
            mode_dir = optarg;
            break;
        case S_INPUT:
            if (cli_input_format(optarg) < 0) {
                return usage_error("unknown input format '%s' (auto, text, html, jsonl or warc)",
                                   optarg);
            }
            input = optarg;
            break;
        case S_LOSSY: lossy = 1; break;
        case S_MODELS: models = optarg; break;
        case 'h':
            fputs(slurm_usage, stdout);
            return 0;
        default:
            return option_error(c, argv);
        }
    }
    if (mode) {
        int nargs = argc - optind;
        if ((mode == S_TASK && nargs != 1) || (mode != S_TASK && nargs))
            return usage_error("%s", mode == S_TASK ? "--task wants DIR N"
                                                    : "--resume, --status and --merge take "
                                                      "only the run's folder");
        if (wait && mode != S_RESUME)
            return usage_error("%s", "--wait goes with a new run or --resume");
        switch (mode) {
        case S_TASK: return do_task(mode_dir, argv[optind]);
        case S_MERGE: return do_merge(mode_dir);
        case S_STATUS: return do_status(mode_dir);
        default: return do_resume(mode_dir, wait);
        }
    }
    if (optind >= argc) {
        return usage_error("%s",
                           "slurm wants the files to analyze: hearsay slurm [OPTIONS] FILE...");
    }
    if (wait && nosub) {
        return usage_error("%s", "--wait and --no-submit do not go together");
    }

    run_conf rc_ = {0}, *cf = &rc_;
    int rc = 0;
    char defdir[64];
    if (!out) {
        time_t now = time(NULL);
        strftime(defdir, sizeof defdir, "slurm-%Y%m%d-%H%M%S", localtime(&now));
        out = defdir;
    }
    char *conf_path = fmt("%s/run.conf", out);
    if (exists(conf_path)) {
        fprintf(stderr, "hearsay: %s already holds a run (hearsay slurm --resume %s, or "
                        "another --out)\n", out, out);
        free(conf_path);
        return EXIT_USAGE;
    }
    free(conf_path);
    int created = !exists(out);
    if (mkdirs(out))
        return EXIT_OUTPUT;
    char buf[4200], *cwd = getcwd(NULL, 0);
    ssize_t k = readlink("/proc/self/exe", buf, sizeof buf - 1);
    const char *mdir = cli_model_dir(models, buf + (k > 0 ? k + 1 : 0),
                                     sizeof buf - (size_t)(k > 0 ? k + 1 : 0));
    if (k > 0)
        buf[k] = 0;
    cf->dir = realpath(out, NULL);
    cf->cwd = cwd;
    cf->exe = k > 0 ? xstrdup(buf) : NULL;
    cf->models = realpath(mdir, NULL);
    if (!cf->dir || !cf->cwd || !cf->exe) {
        fprintf(stderr, "hearsay: cannot name the run's folder, this folder or the program: %s\n",
                strerror(errno));
        conf_free(cf);
        if (created)
            remove_run(out);
        return EXIT_USAGE;
    }
    if (!cf->models) {
        fprintf(stderr, "hearsay: %s: %s (the models; --models DIR)\n", mdir, strerror(errno));
        conf_free(cf);
        if (created)
            remove_run(out);
        return EXIT_MODEL;
    }
    cf->db = db ? xstrdup(db) : NULL;
    cf->input = xstrdup(input);
    cf->lossy = lossy;
    cf->max_doc_mb = max_doc;
    cf->cpus = cpus;
    cf->running = running;
    cf->mem = xstrdup(mem);
    cf->time = tm ? xstrdup(tm) : NULL;
    cf->partition = part ? xstrdup(part) : NULL;
    for (int i = 0; i < nextra; i++) {
        if (strpbrk(extra[i], "\t\n")) {
            conf_free(cf);
            if (created)
                remove_run(out);
            return usage_error("%s", "an --sbatch option cannot hold a tab or a newline");
        }
        cf->sbatch = xrealloc(cf->sbatch, (size_t)(cf->nsbatch + 1) * sizeof *cf->sbatch);
        cf->sbatch[cf->nsbatch++] = xstrdup(extra[i]);
    }
    const char *vals[] = {cf->db, cf->mem, cf->time, cf->partition, cf->cwd, cf->exe, cf->models};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        if (vals[i] && strpbrk(vals[i], "\t\n")) {
            fprintf(stderr, "hearsay: '%s': a tab or newline cannot go into the run's settings\n",
                    vals[i]);
            conf_free(cf);
            if (created)
                remove_run(out);
            return EXIT_USAGE;
        }

    /* fail here, not in a job an hour from now: the models load, the corpus opens */
    hs_engine *eng = NULL;
    hs_engine_options eo = {.model_dir = cf->models, .max_doc_bytes = (size_t)max_doc << 20,
                            .layers = HS_LAYER_POS | HS_LAYER_NER | HS_LAYER_ATTR};
    if ((rc = cli_open_engine(&eng, &eo))) {
        conf_free(cf);
        if (created)
            remove_run(out);
        return rc;
    }
    if (db) {
        hs_store *st = NULL;
        int src = hs_store_open(&st, db, 0);
        if (src) {
            rc = corpus_store_error(st, src);
            hs_store_close(st);
            hs_engine_close(eng);
            conf_free(cf);
            if (created)
                remove_run(out);
            return rc;
        }
        hs_store_close(st);
    }
    /* the engine that loaded the models also reads the files for the plan */
    reading rd = {.eng = eng, .format = cli_input_format(input),
                  .flags = lossy ? HS_READ_LOSSY : 0};
    rc = make_plan(cf, argv + optind, argc - optind, (unsigned long long)(shard_mb * 1e6),
                   max_tasks, &rd);
    hs_engine_close(eng);
    if (!rc && (write_conf(cf) || write_plan(cf) || write_scripts(cf)))
        rc = EXIT_OUTPUT;
    if (rc) {
        conf_free(cf);
        if (created)
            remove_run(out);
        return rc;
    }
    unsigned long long bytes = 0;
    for (size_t i = 0; i < cf->nunits; i++)
        bytes += cf->units[i].bytes;
    fprintf(stderr, "hearsay: %s: %d file%s (%.1f MB) in %ld task%s\n", cf->dir, argc - optind,
            argc - optind == 1 ? "" : "s", bytes / 1e6, cf->ntasks, cf->ntasks == 1 ? "" : "s");
    if (nosub) {
        char *qe = shq(cf->exe), *qd = shq(cf->dir);
        fprintf(stderr, "hearsay: not submitted; run the tasks (on any machine that sees these "
                        "files) and then the merge:\n"
                        "  for t in $(seq 0 %ld); do %s slurm --task %s $t; done\n"
                        "  %s slurm --merge %s\n"
                        "or submit them with %s slurm --resume %s\n",
                cf->ntasks - 1, qe, qd, qe, qd, qe, qd);
        free(qe);
        free(qd);
        conf_free(cf);
        return 0;
    }
    char merge_id[32] = "";
    rc = submit(cf, 1, 1, NULL, NULL, merge_id, sizeof merge_id);
    if (!rc && wait)
        rc = wait_merge(cf, merge_id);
    conf_free(cf);
    return rc;
}
