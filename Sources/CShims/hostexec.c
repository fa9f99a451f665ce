// Running a host program (iptables-restore, iptables-save) to completion:
// stdin from a buffer, stdout+stderr captured, optionally inside another
// network namespace. Thin: which program, which arguments and what to make of
// the output are decided in Swift.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>

#include "skiff_hostexec.h"

extern char **environ;

static const char *const step_names[] = {
    [SKIFF_HOSTEXEC_OK] = "none",
    [SKIFF_HOSTEXEC_PIPE] = "pipe2",
    [SKIFF_HOSTEXEC_ALLOC] = "malloc",
    [SKIFF_HOSTEXEC_CLONE] = "clone",
    [SKIFF_HOSTEXEC_SETNS] = "setns",
    [SKIFF_HOSTEXEC_STDIO] = "dup2",
    [SKIFF_HOSTEXEC_EXEC] = "execve",
    [SKIFF_HOSTEXEC_POLL] = "poll",
    [SKIFF_HOSTEXEC_WAIT] = "waitpid",
};

const char *skiff_hostexec_step_name(int step) {
    if (step < 0 || (size_t)step >= sizeof(step_names) / sizeof(step_names[0]) || !step_names[step])
        return "unknown step";
    return step_names[step];
}

struct child_failure {
    int step;
    int err;
};

struct child_args {
    const char *path;
    char *const *argv;
    int netns_fd;
    int stdin_fd;
    int output_fd;
    int report_fd;
};

/* ---------- the child (shares our memory until exec: syscalls only) ---------- */

static void __attribute__((noreturn)) child_fail(int report_fd, int step, int err) {
    struct child_failure failure = {step, err};
    ssize_t n;
    do { n = write(report_fd, &failure, sizeof(failure)); } while (n < 0 && errno == EINTR);
    _exit(127);
}

/// Moves `fd` above the stdio numbers, so installing one stdio fd can never
/// overwrite another that is still to be installed.
static int above_stdio(int fd) {
    return fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

static int child_main(void *arg) {
    const struct child_args *a = arg;
    /* We share the parent's memory: a handler of its runtime must never run here. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &dfl, NULL);
    }
    if (a->netns_fd >= 0 && setns(a->netns_fd, CLONE_NEWNET) < 0) child_fail(a->report_fd, SKIFF_HOSTEXEC_SETNS, errno);
    int in = above_stdio(a->stdin_fd);
    int out = above_stdio(a->output_fd);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        child_fail(a->report_fd, SKIFF_HOSTEXEC_STDIO, errno);
    /* Nothing of ours leaks into the program; the report pipe closes at exec. */
    syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(a->path, a->argv, environ);
    child_fail(a->report_fd, SKIFF_HOSTEXEC_EXEC, errno);
}

/* ---------- the parent ---------- */

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/// Appends what fits under `limit` to the result's buffer, growing it as needed.
static int keep_output(struct skiff_hostexec_result *r, size_t *cap, size_t limit, const char *data, size_t n) {
    size_t room = limit - r->output_len;
    if (n > room) {
        r->truncated = 1;
        n = room;
    }
    if (n == 0) return 0;
    if (r->output_len + n > *cap) {
        size_t want = *cap ? *cap : 4096;
        while (want < r->output_len + n) want *= 2;
        if (want > limit) want = limit;
        char *grown = realloc(r->output, want);
        if (!grown) return -1;
        r->output = grown;
        *cap = want;
    }
    memcpy(r->output + r->output_len, data, n);
    r->output_len += n;
    return 0;
}

/// Writes `input` to `in_fd` and reads `out_fd` to EOF at the same time: the
/// program may answer before it has read all its input, and a full output pipe
/// must never stall it while we still write.
static int pump(int *in_fd, int *out_fd, const char *input, size_t input_len, size_t limit,
                struct skiff_hostexec_result *r) {
    size_t written = 0, cap = 0;
    char buf[16384];
    if (input_len == 0) close_fd(in_fd);
    else fcntl(*in_fd, F_SETFL, O_NONBLOCK);
    while (*in_fd >= 0 || *out_fd >= 0) {
        struct pollfd fds[2];
        nfds_t n = 0;
        if (*out_fd >= 0) fds[n++] = (struct pollfd){.fd = *out_fd, .events = POLLIN};
        if (*in_fd >= 0) fds[n++] = (struct pollfd){.fd = *in_fd, .events = POLLOUT};
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            r->step = SKIFF_HOSTEXEC_POLL;
            r->err = errno;
            return -1;
        }
        for (nfds_t i = 0; i < n; i++) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == *out_fd) {
                ssize_t got = read(*out_fd, buf, sizeof(buf));
                if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                if (got <= 0) {
                    close_fd(out_fd);
                } else if (keep_output(r, &cap, limit, buf, (size_t)got) < 0) {
                    r->step = SKIFF_HOSTEXEC_ALLOC;
                    r->err = ENOMEM;
                    return -1;
                }
            } else {
                ssize_t put = write(*in_fd, input + written, input_len - written);
                if (put < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                /* EPIPE: the program stopped reading; its exit status tells why. */
                if (put < 0) close_fd(in_fd);
                else if ((written += (size_t)put) == input_len) close_fd(in_fd);
            }
        }
    }
    return 0;
}

int skiff_hostexec(const char *path, char *const argv[], int netns_fd, const void *input, size_t input_len,
                   size_t output_limit, struct skiff_hostexec_result *result) {
    memset(result, 0, sizeof(*result));
    int in[2] = {-1, -1}, out[2] = {-1, -1}, report[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
        result->step = SKIFF_HOSTEXEC_PIPE;
        result->err = errno;
        goto fail;
    }
    size_t stack_size = 256 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        result->step = SKIFF_HOSTEXEC_ALLOC;
        result->err = errno;
        goto fail;
    }
    struct child_args args = {path, argv, netns_fd, in[0], out[1], report[1]};
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    /* We are suspended until the child has exec'd or exited. */
    pid_t pid = clone(child_main, (char *)stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    munmap(stack, stack_size);
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&report[1]);
    if (pid < 0) {
        result->step = SKIFF_HOSTEXEC_CLONE;
        result->err = clone_errno;
        goto fail;
    }

    /* EOF: exec succeeded (the pipe is close-on-exec). */
    struct child_failure failure;
    ssize_t got;
    do { got = read(report[0], &failure, sizeof(failure)); } while (got < 0 && errno == EINTR);
    close_fd(&report[0]);
    int ran = got != (ssize_t)sizeof(failure);
    if (!ran) {
        result->step = failure.step;
        result->err = failure.err;
        close_fd(&in[1]);
        close_fd(&out[0]);
    } else {
        /* A program that stops reading early must not kill us with SIGPIPE. */
        sigset_t pipe_set, pending, before;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        sigpending(&pending);
        int was_pending = sigismember(&pending, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, &before);
        if (pump(&in[1], &out[0], input, input_len, output_limit, result) < 0) ran = 0;
        close_fd(&in[1]);
        close_fd(&out[0]);
        sigpending(&pending);
        if (!was_pending && sigismember(&pending, SIGPIPE)) {
            struct timespec zero = {0, 0};
            sigtimedwait(&pipe_set, NULL, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &before, NULL);
    }

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno == EINTR) continue;
        if (ran) {
            result->step = SKIFF_HOSTEXEC_WAIT;
            result->err = errno;
        }
        return -1;
    }
    if (!ran) return -1;
    result->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;

fail:
    close_fd(&in[0]);
    close_fd(&in[1]);
    close_fd(&out[0]);
    close_fd(&out[1]);
    close_fd(&report[0]);
    close_fd(&report[1]);
    return -1;
}
