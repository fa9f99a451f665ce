// Container process creation: clone3 into namespaces and a cgroup, set up the
// root filesystem, drop privileges, exec. Thin by design: every decision
// (which mounts, which capabilities, which filter) is made in Swift and
// arrives here as plain data, because the child of a multithreaded process may
// only make async-signal-safe calls — no malloc, no locks, no libseccomp.

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "skiff_spawn.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

enum { MSG_ERROR = 1, MSG_READY = 2 };

struct sync_msg {
    int kind;
    struct skiff_spawn_error error;
};

static const char *const step_names[] = {
    [SKIFF_STEP_NONE] = "none",
    [SKIFF_STEP_PIPE] = "pipe2",
    [SKIFF_STEP_CLONE] = "clone3",
    [SKIFF_STEP_SETNS_PID] = "setns(pid)",
    [SKIFF_STEP_CGROUP_JOIN] = "cgroup join",
    [SKIFF_STEP_SETNS] = "setns",
    [SKIFF_STEP_UNSHARE_CGROUP] = "unshare(cgroup)",
    [SKIFF_STEP_MOUNT_PROPAGATION] = "mount propagation",
    [SKIFF_STEP_MOUNT_ROOTFS] = "mount rootfs",
    [SKIFF_STEP_OPEN_ROOTFS] = "open rootfs",
    [SKIFF_STEP_MOUNT_TARGET] = "resolve mount target",
    [SKIFF_STEP_MOUNT] = "mount",
    [SKIFF_STEP_REMOUNT_READONLY] = "remount read-only",
    [SKIFF_STEP_MKNOD] = "mknod",
    [SKIFF_STEP_SYMLINK] = "symlink",
    [SKIFF_STEP_PIVOT_ROOT] = "pivot_root",
    [SKIFF_STEP_UMOUNT_OLD_ROOT] = "umount old root",
    [SKIFF_STEP_MASK_PATH] = "mask path",
    [SKIFF_STEP_READONLY_PATH] = "read-only path",
    [SKIFF_STEP_ROOT_READONLY] = "remount root read-only",
    [SKIFF_STEP_SETHOSTNAME] = "sethostname",
    [SKIFF_STEP_SETRLIMIT] = "setrlimit",
    [SKIFF_STEP_OOM_SCORE_ADJ] = "oom_score_adj",
    [SKIFF_STEP_STDIO] = "stdio",
    [SKIFF_STEP_SETSID] = "setsid",
    [SKIFF_STEP_SETCTTY] = "ioctl(TIOCSCTTY)",
    [SKIFF_STEP_CHDIR] = "chdir",
    [SKIFF_STEP_CAPBSET_DROP] = "prctl(PR_CAPBSET_DROP)",
    [SKIFF_STEP_KEEPCAPS] = "prctl(PR_SET_KEEPCAPS)",
    [SKIFF_STEP_SETGROUPS] = "setgroups",
    [SKIFF_STEP_SETGID] = "setresgid",
    [SKIFF_STEP_SETUID] = "setresuid",
    [SKIFF_STEP_CAPSET] = "capset",
    [SKIFF_STEP_AMBIENT] = "prctl(PR_CAP_AMBIENT)",
    [SKIFF_STEP_NO_NEW_PRIVS] = "prctl(PR_SET_NO_NEW_PRIVS)",
    [SKIFF_STEP_SECCOMP] = "seccomp",
    [SKIFF_STEP_GATE] = "start gate",
    [SKIFF_STEP_EXEC] = "execve",
    [SKIFF_STEP_SYNC] = "sync pipe",
};

const char *skiff_spawn_step_name(int step) {
    if (step < 0 || (size_t)step >= sizeof(step_names) / sizeof(step_names[0]) || !step_names[step])
        return "unknown step";
    return step_names[step];
}

/* ---------- helpers usable in the child (no allocation) ---------- */

static size_t str_copy(char *dst, size_t cap, const char *src) {
    size_t i = 0;
    if (cap == 0) return 0;
    for (; src && src[i] && i + 1 < cap; i++) dst[i] = src[i];
    dst[i] = '\0';
    return i;
}

static void write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

/// Reports a failure to the parent and exits; never returns.
static void __attribute__((noreturn)) child_fail(int sync_fd, int step, int err, const char *detail) {
    struct sync_msg msg;
    memset(&msg, 0, sizeof(msg));
    msg.kind = MSG_ERROR;
    msg.error.step = step;
    msg.error.err = err;
    str_copy(msg.error.detail, sizeof(msg.error.detail), detail);
    write_all(sync_fd, &msg, sizeof(msg));
    _exit(127);
}

int skiff_openat_in_root(int rootfd, const char *path, int flags, unsigned mode) {
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t)flags | O_CLOEXEC;
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    long fd;
    do {
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EAGAIN);
    return (int)fd;
}

/// Opens (O_PATH) `path` inside the root, creating missing directories and,
/// when `as_file`, the final component as an empty file. Each component is
/// created relative to a directory already resolved inside the root, so a
/// symlink in the image cannot redirect the creation outside it.
static int open_or_create_in_root(int rootfd, const char *path, int as_file) {
    int fd = skiff_openat_in_root(rootfd, path, O_PATH, 0);
    if (fd >= 0 || errno != ENOENT) return fd;

    char buf[PATH_MAX];
    size_t len = str_copy(buf, sizeof(buf), path);
    if (len + 1 >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int dirfd = skiff_openat_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0);
    if (dirfd < 0) return -1;

    char *p = buf;
    while (*p == '/') p++;
    while (*p) {
        char *slash = strchr(p, '/');
        int last = 0;
        if (slash) {
            *slash = '\0';
            char *q = slash + 1;
            while (*q == '/') q++;
            last = (*q == '\0');
        } else {
            last = 1;
        }
        /* Resolve the prefix up to and including this component. */
        int next = -1;
        if (strcmp(p, ".") != 0 && strcmp(p, "..") != 0) {
            next = skiff_openat_in_root(dirfd, p, O_PATH, 0);
            if (next < 0 && errno == ENOENT) {
                if (last && as_file) {
                    /* mknodat on a resolved dir: creates a regular file without following links. */
                    if (mknodat(dirfd, p, S_IFREG | 0644, 0) < 0 && errno != EEXIST) {
                        int e = errno; close(dirfd); errno = e; return -1;
                    }
                } else if (mkdirat(dirfd, p, 0755) < 0 && errno != EEXIST) {
                    int e = errno; close(dirfd); errno = e; return -1;
                }
                next = skiff_openat_in_root(dirfd, p, O_PATH, 0);
            }
        } else {
            next = skiff_openat_in_root(dirfd, p, O_PATH, 0);
        }
        if (next < 0) {
            int e = errno; close(dirfd); errno = e; return -1;
        }
        close(dirfd);
        dirfd = next;
        if (!slash) break;
        p = slash + 1;
        while (*p == '/') p++;
    }
    return dirfd;
}

static void fd_path(char *out, size_t cap, int fd) {
    /* "/proc/self/fd/<fd>" without snprintf (not async-signal-safe). */
    char digits[16];
    int n = 0;
    unsigned v = (unsigned)fd;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v && n < 15);
    size_t i = str_copy(out, cap, "/proc/self/fd/");
    while (n > 0 && i + 1 < cap) out[i++] = digits[--n];
    out[i] = '\0';
}

static void do_mounts(const struct skiff_spawn_config *c, int rootfd, int sync_fd) {
    char target[64];
    for (size_t i = 0; i < c->nmounts; i++) {
        const struct skiff_mount *m = &c->mounts[i];
        int tfd = open_or_create_in_root(rootfd, m->target, m->target_is_file);
        if (tfd < 0) child_fail(sync_fd, SKIFF_STEP_MOUNT_TARGET, errno, m->target);
        fd_path(target, sizeof(target), tfd);
        int is_bind = (m->flags & MS_BIND) != 0;
        if (mount(m->source, target, m->fstype, m->flags, m->data) < 0) {
            int e = errno;
            if (!m->optional) child_fail(sync_fd, SKIFF_STEP_MOUNT, e, m->target);
            /* e.g. sysfs without owning the netns: fall back to a read-only rbind of the host's. */
            if (mount(m->source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
                child_fail(sync_fd, SKIFF_STEP_MOUNT, errno, m->target);
            is_bind = 1;
        }
        if (is_bind && (m->readonly || (m->flags & MS_RDONLY))) {
            /* tfd still names the directory *under* the new mount; the remount
             * must name the mount itself, so resolve the target again. Flags
             * the source mount carries (a tmpfs volume's nosuid,nodev) are kept. */
            int mfd = open_or_create_in_root(rootfd, m->target, m->target_is_file);
            if (mfd < 0) child_fail(sync_fd, SKIFF_STEP_REMOUNT_READONLY, errno, m->target);
            unsigned long f = MS_BIND | MS_REMOUNT | MS_RDONLY |
                              (m->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
            struct statfs sf;
            if (fstatfs(mfd, &sf) == 0) {
                if (sf.f_flags & ST_NOSUID) f |= MS_NOSUID;
                if (sf.f_flags & ST_NODEV) f |= MS_NODEV;
                if (sf.f_flags & ST_NOEXEC) f |= MS_NOEXEC;
            }
            char mounted[64];
            fd_path(mounted, sizeof(mounted), mfd);
            if (mount(NULL, mounted, NULL, f, NULL) < 0)
                child_fail(sync_fd, SKIFF_STEP_REMOUNT_READONLY, errno, m->target);
            close(mfd);
        }
        close(tfd);
    }
}

static void make_devices(int rootfd, int sync_fd) {
    static const struct { const char *name; unsigned maj, min; } devs[] = {
        {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
        {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
    };
    int devfd = skiff_openat_in_root(rootfd, "/dev", O_PATH | O_DIRECTORY, 0);
    if (devfd < 0) child_fail(sync_fd, SKIFF_STEP_MKNOD, errno, "/dev");
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
        if (mknodat(devfd, devs[i].name, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0 &&
            errno != EEXIST) {
            char detail[64];
            size_t n = str_copy(detail, sizeof(detail), "/dev/");
            str_copy(detail + n, sizeof(detail) - n, devs[i].name);
            child_fail(sync_fd, SKIFF_STEP_MKNOD, errno, detail);
        }
        /* mknod honours the umask; devices must be world-usable. */
        char p[64];
        size_t n = str_copy(p, sizeof(p), "/dev/");
        str_copy(p + n, sizeof(p) - n, devs[i].name);
        int fd = skiff_openat_in_root(rootfd, p, O_PATH, 0);
        if (fd >= 0) {
            char fp[64];
            fd_path(fp, sizeof(fp), fd);
            chmod(fp, 0666);
            close(fd);
        }
    }
    static const struct { const char *target, *name; } links[] = {
        {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"}, {"/proc/kcore", "core"},
    };
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        if (symlinkat(links[i].target, devfd, links[i].name) < 0 && errno != EEXIST)
            child_fail(sync_fd, SKIFF_STEP_SYMLINK, errno, links[i].name);
    }
    close(devfd);
}

static void mask_paths(const struct skiff_spawn_config *c, int sync_fd) {
    for (size_t i = 0; i < c->nmasked; i++) {
        const char *p = c->masked_paths[i];
        struct stat st;
        if (stat(p, &st) < 0) {
            if (errno == ENOENT) continue;
            child_fail(sync_fd, SKIFF_STEP_MASK_PATH, errno, p);
        }
        int rc = S_ISDIR(st.st_mode)
                     ? mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0")
                     : mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (rc < 0) child_fail(sync_fd, SKIFF_STEP_MASK_PATH, errno, p);
    }
    for (size_t i = 0; i < c->nreadonly; i++) {
        const char *p = c->readonly_paths[i];
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT) continue;
            child_fail(sync_fd, SKIFF_STEP_READONLY_PATH, errno, p);
        }
        if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
            mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
            child_fail(sync_fd, SKIFF_STEP_READONLY_PATH, errno, p);
    }
}

static void setup_rootfs(const struct skiff_spawn_config *c, int sync_fd) {
    unsigned long prop = c->rootfs_propagation ? c->rootfs_propagation : MS_PRIVATE;
    if (mount(NULL, "/", NULL, MS_REC | prop, NULL) < 0)
        child_fail(sync_fd, SKIFF_STEP_MOUNT_PROPAGATION, errno, "/");

    if (c->overlay_data) {
        if (mount("overlay", c->rootfs, "overlay", 0, c->overlay_data) < 0)
            child_fail(sync_fd, SKIFF_STEP_MOUNT_ROOTFS, errno, c->rootfs);
    } else if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
        /* pivot_root needs the new root to be a mount point. */
        child_fail(sync_fd, SKIFF_STEP_MOUNT_ROOTFS, errno, c->rootfs);
    }

    int rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) child_fail(sync_fd, SKIFF_STEP_OPEN_ROOTFS, errno, c->rootfs);

    do_mounts(c, rootfd, sync_fd);
    if (c->default_devices) make_devices(rootfd, sync_fd);

    if (fchdir(rootfd) < 0) child_fail(sync_fd, SKIFF_STEP_CHDIR, errno, c->rootfs);
    close(rootfd);
    /* pivot_root(".", ".") stacks the old root under the new one; detaching it
       leaves no host path reachable and needs no directory inside the image. */
    if (syscall(SYS_pivot_root, ".", ".") < 0) child_fail(sync_fd, SKIFF_STEP_PIVOT_ROOT, errno, c->rootfs);
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        child_fail(sync_fd, SKIFF_STEP_UMOUNT_OLD_ROOT, errno, "make old root slave");
    if (umount2(".", MNT_DETACH) < 0) child_fail(sync_fd, SKIFF_STEP_UMOUNT_OLD_ROOT, errno, "/");
    if (chdir("/") < 0) child_fail(sync_fd, SKIFF_STEP_CHDIR, errno, "/");

    mask_paths(c, sync_fd);

    if (c->rootfs_readonly &&
        mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
        child_fail(sync_fd, SKIFF_STEP_ROOT_READONLY, errno, "/");
}

static void setup_stdio(const struct skiff_spawn_config *c, int sync_fd) {
    int tmp[3];
    for (int i = 0; i < 3; i++) {
        int src = c->stdio[i];
        if (src < 0) {
            src = open("/dev/null", O_RDWR | O_CLOEXEC);
            if (src < 0) child_fail(sync_fd, SKIFF_STEP_STDIO, errno, "/dev/null");
        }
        /* Copy high first so that dup2 onto 0..2 cannot clobber another source. */
        tmp[i] = fcntl(src, F_DUPFD_CLOEXEC, 10);
        if (tmp[i] < 0) child_fail(sync_fd, SKIFF_STEP_STDIO, errno, "dup");
    }
    for (int i = 0; i < 3; i++) {
        if (dup2(tmp[i], i) < 0) child_fail(sync_fd, SKIFF_STEP_STDIO, errno, "dup2");
    }
    if (setsid() < 0) child_fail(sync_fd, SKIFF_STEP_SETSID, errno, "");
    if (c->tty && ioctl(0, TIOCSCTTY, 0) < 0) child_fail(sync_fd, SKIFF_STEP_SETCTTY, errno, "stdin");
}

static void drop_privileges(const struct skiff_spawn_config *c, int sync_fd) {
    for (int cap = 0; cap <= c->last_cap && cap < 64; cap++) {
        if (c->cap_bounding & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            child_fail(sync_fd, SKIFF_STEP_CAPBSET_DROP, errno, "");
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) child_fail(sync_fd, SKIFF_STEP_KEEPCAPS, errno, "");
    if (syscall(SYS_setgroups, c->ngroups, c->groups) < 0)
        child_fail(sync_fd, SKIFF_STEP_SETGROUPS, errno, "");
    if (syscall(SYS_setresgid, c->gid, c->gid, c->gid) < 0) child_fail(sync_fd, SKIFF_STEP_SETGID, errno, "");
    if (syscall(SYS_setresuid, c->uid, c->uid, c->uid) < 0) child_fail(sync_fd, SKIFF_STEP_SETUID, errno, "");
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) child_fail(sync_fd, SKIFF_STEP_KEEPCAPS, errno, "");

    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    for (int i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)(c->cap_effective >> (32 * i));
        data[i].permitted = (uint32_t)(c->cap_permitted >> (32 * i));
        data[i].inheritable = (uint32_t)(c->cap_inheritable >> (32 * i));
    }
    if (syscall(SYS_capset, &hdr, data) < 0) child_fail(sync_fd, SKIFF_STEP_CAPSET, errno, "");

    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        child_fail(sync_fd, SKIFF_STEP_AMBIENT, errno, "clear");
    for (int cap = 0; cap <= c->last_cap && cap < 64; cap++) {
        if (!(c->cap_ambient & (1ULL << cap))) continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            child_fail(sync_fd, SKIFF_STEP_AMBIENT, errno, "raise");
    }
    if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        child_fail(sync_fd, SKIFF_STEP_NO_NEW_PRIVS, errno, "");
}

/// execve with the PATH of the *container's* environment (execvpe would use ours).
/* execve, again for up to ~100 ms while the file is "busy": a child that
   another thread of the caller cloned while this file was open for writing
   (an image layer being unpacked, a file being copied) holds that fd until
   it execs itself, and execve of the file fails with ETXTBSY meanwhile. */
static void exec_retrying(const char *path, char *const *argv, char *const *envp) {
    for (int attempt = 0; attempt < 100; attempt++) {
        execve(path, argv, envp);
        if (errno != ETXTBSY) return;
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
}

static void exec_process(const struct skiff_spawn_config *c, int sync_fd) {
    const char *file = c->argv[0];
    char *const *argv = (char *const *)c->argv;
    char *const *envp = (char *const *)c->envp;
    if (strchr(file, '/')) {
        exec_retrying(file, argv, envp);
        child_fail(sync_fd, SKIFF_STEP_EXEC, errno, file);
    }
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const char *const *e = c->envp; e && *e; e++) {
        if (strncmp(*e, "PATH=", 5) == 0) { path = *e + 5; break; }
    }
    int saved = ENOENT;
    char buf[PATH_MAX];
    const char *p = path;
    while (1) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        size_t flen = strlen(file);
        if (dlen + flen + 2 < sizeof(buf)) {
            memcpy(buf, p, dlen);
            size_t n = dlen;
            if (n == 0) buf[n++] = '.';
            buf[n++] = '/';
            memcpy(buf + n, file, flen + 1);
            exec_retrying(buf, argv, envp);
            if (errno == EACCES) saved = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR) saved = errno;
        }
        if (!end) break;
        p = end + 1;
    }
    child_fail(sync_fd, SKIFF_STEP_EXEC, saved, file);
}

/// Closes every fd >= 3 except `keep_a` and `keep_b`: a child parked at its
/// gate must not hold the caller's pipes and sockets open while it waits.
static void close_all_except(int keep_a, int keep_b) {
    int lo = keep_a < keep_b ? keep_a : keep_b;
    int hi = keep_a < keep_b ? keep_b : keep_a;
    unsigned next = 3;
    int keeps[2] = {lo, hi};
    for (int i = 0; i < 2; i++) {
        if (keeps[i] < (int)next) continue;
        if ((unsigned)keeps[i] > next) syscall(SYS_close_range, next, (unsigned)keeps[i] - 1, 0);
        next = (unsigned)keeps[i] + 1;
    }
    syscall(SYS_close_range, next, ~0U, 0);
}

static uint64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void __attribute__((noreturn)) child_main(const struct skiff_spawn_config *c, int sync_fd) {
    /* Handlers installed by the parent's runtimes must not run here. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &dfl, NULL);
    }

    /* Every inherited fd stays usable until exec but never leaks into the container. */
    syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);

    static const char zero[] = "0";
    for (size_t i = 0; i < c->nprocs; i++) {
        if (write(c->procs_fds[i], zero, 1) < 0) child_fail(sync_fd, SKIFF_STEP_CGROUP_JOIN, errno, "cgroup.procs");
    }
    for (size_t i = 0; i < c->njoins; i++) {
        if (setns(c->joins[i].fd, c->joins[i].type) < 0) {
            const char *kind = c->joins[i].type == CLONE_NEWNET ? "net"
                             : c->joins[i].type == CLONE_NEWIPC ? "ipc"
                             : c->joins[i].type == CLONE_NEWUTS ? "uts"
                             : c->joins[i].type == CLONE_NEWNS ? "mnt"
                             : c->joins[i].type == CLONE_NEWCGROUP ? "cgroup" : "other";
            child_fail(sync_fd, SKIFF_STEP_SETNS, errno, kind);
        }
    }
    if ((c->new_namespaces & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        child_fail(sync_fd, SKIFF_STEP_UNSHARE_CGROUP, errno, "");
    if (c->marks) c->marks[0] = realtime_ns();

    if (c->rootfs) setup_rootfs(c, sync_fd);
    if (c->marks) c->marks[1] = realtime_ns();

    if (c->hostname && (c->new_namespaces & CLONE_NEWUTS) &&
        sethostname(c->hostname, strlen(c->hostname)) < 0)
        child_fail(sync_fd, SKIFF_STEP_SETHOSTNAME, errno, c->hostname);

    for (size_t i = 0; i < c->nrlimits; i++) {
        struct rlimit rl = {c->rlimits[i].soft, c->rlimits[i].hard};
        if (setrlimit(c->rlimits[i].resource, &rl) < 0)
            child_fail(sync_fd, SKIFF_STEP_SETRLIMIT, errno, "");
    }
    if (c->set_oom_score_adj) {
        char buf[16];
        int v = c->oom_score_adj, n = 0, neg = v < 0;
        unsigned u = neg ? (unsigned)(-v) : (unsigned)v;
        char digits[12];
        do { digits[n++] = (char)('0' + u % 10); u /= 10; } while (u);
        size_t k = 0;
        if (neg) buf[k++] = '-';
        while (n > 0) buf[k++] = digits[--n];
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, buf, k) < 0) child_fail(sync_fd, SKIFF_STEP_OOM_SCORE_ADJ, errno, "");
        close(fd);
    }

    setup_stdio(c, sync_fd);

    if (c->cwd && chdir(c->cwd) < 0) {
        /* The target may only be reachable as the container user (root_squash-like perms). */
        if (errno != EACCES) child_fail(sync_fd, SKIFF_STEP_CHDIR, errno, c->cwd);
    }
    /* Without no_new_privs, installing a filter needs CAP_SYS_ADMIN, which the
     * drop below takes away: install it first (as runc does). The filter then
     * has to allow the drop itself, which the default profile does. */
    if (c->seccomp && !c->no_new_privs && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, c->seccomp, 0, 0) < 0)
        child_fail(sync_fd, SKIFF_STEP_SECCOMP, errno, "");
    drop_privileges(c, sync_fd);
    if (c->cwd && chdir(c->cwd) < 0) child_fail(sync_fd, SKIFF_STEP_CHDIR, errno, c->cwd);

    if (c->gate_fd >= 0) {
        close_all_except(sync_fd, c->gate_fd);
        struct sync_msg ready;
        memset(&ready, 0, sizeof(ready));
        ready.kind = MSG_READY;
        write_all(sync_fd, &ready, sizeof(ready));
        char b;
        ssize_t n;
        do { n = read(c->gate_fd, &b, 1); } while (n < 0 && errno == EINTR);
        if (n != 1) child_fail(sync_fd, SKIFF_STEP_GATE, n < 0 ? errno : EPIPE, "");
    }

    /* Last: the filter may forbid what the setup above needed. */
    if (c->seccomp && c->no_new_privs && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, c->seccomp, 0, 0) < 0)
        child_fail(sync_fd, SKIFF_STEP_SECCOMP, errno, "");

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (c->marks) c->marks[2] = realtime_ns();
    exec_process(c, sync_fd);
    _exit(127);
}

struct vfork_args {
    const struct skiff_spawn_config *config;
    int sync_fd;
    int v2_procs_fd;
};

static int vfork_child(void *arg) {
    struct vfork_args *a = arg;
    if (a->v2_procs_fd >= 0 && write(a->v2_procs_fd, "0", 1) < 0)
        child_fail(a->sync_fd, SKIFF_STEP_CGROUP_JOIN, errno, "cgroup.procs");
    child_main(a->config, a->sync_fd);
}

/// The fast path when the child execs straight away: CLONE_VM | CLONE_VFORK
/// (what posix_spawn does), so the kernel copies no page tables of this large
/// process, and we are suspended until the child has exec'd or failed. Not
/// for gated starts (we would wait for the gate) and not when clone3's
/// CLONE_INTO_CGROUP is available (v2), which saves the cgroup attach.
static long vfork_child_start(const struct skiff_spawn_config *c, int sync_fd, int v2_procs_fd, int *pidfd) {
    size_t size = 256 * 1024;
    void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    struct vfork_args args = {c, sync_fd, v2_procs_fd};
    int flags = (int)((c->new_namespaces & ~(unsigned long)CLONE_NEWCGROUP) | CLONE_VM | CLONE_VFORK | CLONE_PIDFD) | SIGCHLD;
    long pid = clone(vfork_child, (char *)stack + size, flags, &args, pidfd);
    int saved = errno;
    munmap(stack, size);
    errno = saved;
    return pid;
}

static long clone_child(const struct skiff_spawn_config *c, int *pidfd, int *used_cgroup_fd) {
    struct clone_args args;
    memset(&args, 0, sizeof(args));
    /* CLONE_NEWCGROUP is unshared by the child after it has joined its cgroups,
       so the namespace root is the container's cgroup, not ours. */
    args.flags = (c->new_namespaces & ~(unsigned long)CLONE_NEWCGROUP) | CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)pidfd;
    args.exit_signal = SIGCHLD;
    if (c->cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)c->cgroup_fd;
    }
    long pid = syscall(SYS_clone3, &args, sizeof(args));
    if (pid >= 0) {
        *used_cgroup_fd = c->cgroup_fd >= 0;
        return pid;
    }
    if (errno != ENOSYS && errno != E2BIG && !(errno == EINVAL && c->cgroup_fd >= 0)) return -1;
    /* Older kernels: plain clone; the child joins the v2 cgroup by writing cgroup.procs. */
    *used_cgroup_fd = 0;
    unsigned long flags = (c->new_namespaces & ~(unsigned long)CLONE_NEWCGROUP) | CLONE_PIDFD | SIGCHLD;
    return syscall(SYS_clone, flags, NULL, pidfd, NULL, NULL);
}

int skiff_spawn(const struct skiff_spawn_config *c, pid_t *pid_out, int *pidfd_out,
                struct skiff_spawn_error *error) {
    memset(error, 0, sizeof(*error));
    int sync[2];
    if (pipe2(sync, O_CLOEXEC) < 0) {
        error->step = SKIFF_STEP_PIPE;
        error->err = errno;
        return -1;
    }

    /* If clone3 cannot place the child with CLONE_INTO_CGROUP, it joins the v2 cgroup itself. */
    int v2_procs_fd = -1;
    if (c->cgroup_fd >= 0) v2_procs_fd = openat(c->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);

    int saved_pidns = -1;
    if (c->pidns_fd >= 0) {
        /* Only this thread's future children enter the namespace; restored below. */
        saved_pidns = open("/proc/thread-self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
        if (saved_pidns < 0 || setns(c->pidns_fd, CLONE_NEWPID) < 0) {
            error->step = SKIFF_STEP_SETNS_PID;
            error->err = errno;
            if (saved_pidns >= 0) close(saved_pidns);
            if (v2_procs_fd >= 0) close(v2_procs_fd);
            close(sync[0]);
            close(sync[1]);
            return -1;
        }
    }

    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);

    int pidfd = -1, used_cgroup_fd = 0;
    long pid;
    if (c->gate_fd < 0 && c->cgroup_fd < 0) {
        pid = vfork_child_start(c, sync[1], v2_procs_fd, &pidfd);
    } else {
        pid = clone_child(c, &pidfd, &used_cgroup_fd);
    }
    if (pid == 0) {
        close(sync[0]);
        if (!used_cgroup_fd && v2_procs_fd >= 0) {
            if (write(v2_procs_fd, "0", 1) < 0) child_fail(sync[1], SKIFF_STEP_CGROUP_JOIN, errno, "cgroup.procs");
        }
        child_main(c, sync[1]);
    }
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (saved_pidns >= 0) {
        setns(saved_pidns, CLONE_NEWPID);
        close(saved_pidns);
    }
    if (v2_procs_fd >= 0) close(v2_procs_fd);
    close(sync[1]);
    if (pid < 0) {
        close(sync[0]);
        error->step = SKIFF_STEP_CLONE;
        error->err = clone_errno;
        return -1;
    }

    struct sync_msg msg;
    size_t got = 0;
    while (got < sizeof(msg)) {
        ssize_t n = read(sync[0], (char *)&msg + got, sizeof(msg) - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(sync[0]);

    if (got == 0 || (got == sizeof(msg) && msg.kind == MSG_READY)) {
        /* EOF: execve succeeded (the pipe is CLOEXEC). READY: parked at the gate. */
        *pid_out = (pid_t)pid;
        *pidfd_out = pidfd;
        return 0;
    }
    if (got == sizeof(msg) && msg.kind == MSG_ERROR) {
        *error = msg.error;
    } else {
        error->step = SKIFF_STEP_SYNC;
        error->err = EPROTO;
    }
    siginfo_t info;
    while (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0 && errno == EINTR) {}
    close(pidfd);
    return -1;
}

/* ---------- pod sandbox namespaces ---------- */

struct ns_thread_args {
    unsigned long flags;
    const char *hostname;
    const char *paths[3];
    struct skiff_spawn_error *error;
    int rc;
};

static int bind_ns(const char *kind, const char *path, struct skiff_spawn_error *error) {
    if (!path) return 0;
    char src[64];
    snprintf(src, sizeof(src), "/proc/self/task/%ld/ns/%s", (long)syscall(SYS_gettid), kind);
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
    if (fd < 0) {
        error->step = SKIFF_STEP_MOUNT_TARGET;
        error->err = errno;
        str_copy(error->detail, sizeof(error->detail), path);
        return -1;
    }
    close(fd);
    if (mount(src, path, NULL, MS_BIND, NULL) < 0) {
        error->step = SKIFF_STEP_MOUNT;
        error->err = errno;
        str_copy(error->detail, sizeof(error->detail), path);
        return -1;
    }
    return 0;
}

static void *ns_thread(void *p) {
    struct ns_thread_args *a = p;
    a->rc = -1;
    /* net, ipc and uts are per-thread; this thread dies with its private copies. */
    if (unshare((int)a->flags) < 0) {
        a->error->step = SKIFF_STEP_SETNS;
        a->error->err = errno;
        str_copy(a->error->detail, sizeof(a->error->detail), "unshare");
        return NULL;
    }
    if ((a->flags & CLONE_NEWUTS) && a->hostname && sethostname(a->hostname, strlen(a->hostname)) < 0) {
        a->error->step = SKIFF_STEP_SETHOSTNAME;
        a->error->err = errno;
        str_copy(a->error->detail, sizeof(a->error->detail), a->hostname);
        return NULL;
    }
    if (a->flags & CLONE_NEWNET) {
        /* A fresh netns has lo down; every pod expects localhost to work. */
        int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        str_copy(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
        if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0 ||
            (ifr.ifr_flags |= IFF_UP, ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)) {
            a->error->step = SKIFF_STEP_SETNS;
            a->error->err = errno;
            str_copy(a->error->detail, sizeof(a->error->detail), "bring lo up");
            if (sock >= 0) close(sock);
            return NULL;
        }
        close(sock);
        if (bind_ns("net", a->paths[0], a->error) < 0) return NULL;
    }
    if ((a->flags & CLONE_NEWIPC) && bind_ns("ipc", a->paths[1], a->error) < 0) return NULL;
    if ((a->flags & CLONE_NEWUTS) && bind_ns("uts", a->paths[2], a->error) < 0) return NULL;
    a->rc = 0;
    return NULL;
}

int skiff_pod_namespaces_create(unsigned long flags, const char *hostname, const char *net_path,
                                const char *ipc_path, const char *uts_path,
                                struct skiff_spawn_error *error) {
    memset(error, 0, sizeof(*error));
    struct ns_thread_args a = {flags & (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), hostname,
                               {net_path, ipc_path, uts_path}, error, -1};
    pthread_t t;
    int rc = pthread_create(&t, NULL, ns_thread, &a);
    if (rc != 0) {
        error->step = SKIFF_STEP_CLONE;
        error->err = rc;
        str_copy(error->detail, sizeof(error->detail), "pthread_create");
        return -1;
    }
    pthread_join(t, NULL);
    return a.rc;
}

/* ---------- pidfd helpers ---------- */

pid_t skiff_gettid(void) {
    return (pid_t)syscall(SYS_gettid);
}

int skiff_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int skiff_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int skiff_pidfd_wait(int pidfd, int nohang, int *code, int *status) {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int rc;
    do {
        rc = waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED | (nohang ? WNOHANG : 0));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) return -1;
    if (info.si_pid == 0) {
        errno = EAGAIN;
        return -1;
    }
    *code = info.si_code;
    *status = info.si_status;
    return 0;
}
