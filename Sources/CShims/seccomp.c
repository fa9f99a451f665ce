/*
 * Seccomp: compile filters with libseccomp in the parent and export them as
 * raw BPF, which the launcher's child installs with one prctl before execve.
 *
 * The only policy here is the static table of the built-in default profile,
 * which follows Docker/moby's profiles/seccomp/default.json.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/capability.h>
#include <seccomp.h>

#include "skiff_seccomp.h"

_Static_assert((int)SKIFF_SECCOMP_CMP_NE == (int)SCMP_CMP_NE, "cmp NE");
_Static_assert((int)SKIFF_SECCOMP_CMP_LT == (int)SCMP_CMP_LT, "cmp LT");
_Static_assert((int)SKIFF_SECCOMP_CMP_LE == (int)SCMP_CMP_LE, "cmp LE");
_Static_assert((int)SKIFF_SECCOMP_CMP_EQ == (int)SCMP_CMP_EQ, "cmp EQ");
_Static_assert((int)SKIFF_SECCOMP_CMP_GE == (int)SCMP_CMP_GE, "cmp GE");
_Static_assert((int)SKIFF_SECCOMP_CMP_GT == (int)SCMP_CMP_GT, "cmp GT");
_Static_assert((int)SKIFF_SECCOMP_CMP_MASKED_EQ == (int)SCMP_CMP_MASKED_EQ, "cmp MASKED_EQ");

#define SKIFF_MAX_ARGS 6

/* ---- Built-in default profile (moby default.json) ---------------------- */

/* The unconditional allowlist. */
static const char *const default_allow[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk",
    "cachestat", "capget", "capset", "chdir", "chmod", "chown", "chown32",
    "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
    "clock_gettime", "clock_gettime64", "clock_nanosleep",
    "clock_nanosleep_time64", "close", "close_range", "connect",
    "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
    "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
    "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2",
    "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir",
    "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
    "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock",
    "fork", "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64",
    "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex",
    "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
    "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid",
    "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
    "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
    "getppid", "getpriority", "getrandom", "getresgid", "getresgid32",
    "getresuid", "getresuid32", "getrlimit", "get_robust_list", "getrusage",
    "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
    "gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat",
    "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
    "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents",
    "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup",
    "io_submit", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
    "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link",
    "linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr",
    "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
    "madvise", "map_shadow_stack", "membarrier", "memfd_create",
    "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock",
    "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr",
    "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
    "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal",
    "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall",
    "munmap", "name_to_handle_at", "nanosleep", "newfstatat", "_newselect",
    "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal",
    "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
    "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2",
    "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64",
    "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat",
    "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg",
    "remap_file_pages", "removexattr", "removexattrat", "rename", "renameat",
    "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq",
    "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
    "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity",
    "sched_getattr", "sched_getparam", "sched_get_priority_max",
    "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
    "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
    "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select",
    "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
    "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid",
    "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups",
    "setgroups32", "setitimer", "setpgid", "setpriority", "setregid",
    "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32",
    "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid",
    "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32",
    "setxattr", "setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
    "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn",
    "socketcall", "socketpair", "splice", "stat", "stat64", "statfs",
    "statfs64", "statmount", "statx", "symlink", "symlinkat", "sync",
    "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
    "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
    "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
    "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64", "times", "tkill", "truncate", "truncate64",
    "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "uretprobe", "utime",
    "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4",
    "waitid", "waitpid", "write", "writev", NULL,
};

/* moby gates these on kernel >= 4.8; every kernel Skiff supports is newer. */
static const char *const ptrace_names[] = {
    "process_vm_readv", "process_vm_writev", "ptrace", NULL,
};
static const char *const socket_names[] = { "socket", NULL };
static const char *const personality_names[] = { "personality", NULL };
static const char *const ppc64le_names[] = {
    "sync_file_range2", "swapcontext", NULL,
};
static const char *const arm_names[] = {
    "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
    "breakpoint", "cacheflush", "set_tls", NULL,
};
static const char *const arch_prctl_names[] = { "arch_prctl", NULL };
static const char *const modify_ldt_names[] = { "modify_ldt", NULL };
static const char *const s390_names[] = {
    "s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr", NULL,
};
static const char *const riscv_names[] = { "riscv_flush_icache", NULL };
static const char *const dac_read_search_names[] = { "open_by_handle_at", NULL };
static const char *const sys_admin_names[] = {
    "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen",
    "fspick", "lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules",
    "lsm_set_self_attr", "mount", "mount_setattr", "move_mount", "open_tree",
    "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
    "sethostname", "setns", "syslog", "umount", "umount2", "unshare", NULL,
};
static const char *const clone_names[] = { "clone", NULL };
static const char *const clone3_names[] = { "clone3", NULL };
static const char *const sys_boot_names[] = { "reboot", NULL };
static const char *const sys_chroot_names[] = { "chroot", NULL };
static const char *const sys_module_names[] = {
    "delete_module", "init_module", "finit_module", NULL,
};
static const char *const sys_pacct_names[] = { "acct", NULL };
static const char *const sys_ptrace_names[] = {
    "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
    "process_vm_writev", "ptrace", NULL,
};
static const char *const sys_rawio_names[] = { "iopl", "ioperm", NULL };
static const char *const sys_time_names[] = {
    "settimeofday", "stime", "clock_settime", "clock_settime64", NULL,
};
static const char *const sys_tty_config_names[] = { "vhangup", NULL };
static const char *const sys_nice_names[] = {
    "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", NULL,
};
static const char *const syslog_names[] = { "syslog", NULL };
static const char *const bpf_names[] = { "bpf", NULL };
static const char *const perfmon_names[] = { "perf_event_open", NULL };

/* Native-architecture lists (0-terminated) for moby's includes/excludes.arches. */
static const uint32_t on_ppc64le[] = { SCMP_ARCH_PPC64LE, 0 };
static const uint32_t on_arm[] = { SCMP_ARCH_ARM, SCMP_ARCH_AARCH64, 0 };
static const uint32_t on_amd64_x32[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X32, 0 };
static const uint32_t on_x86_all[] = {
    SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_X86, 0,
};
static const uint32_t on_s390[] = { SCMP_ARCH_S390, SCMP_ARCH_S390X, 0 };
static const uint32_t on_riscv64[] = { SCMP_ARCH_RISCV64, 0 };

/* Docker's clone guard: no namespace flags (NEWNS|NEWCGROUP|NEWUTS|NEWIPC|
 * NEWUSER|NEWPID|NEWNET = 0x7E020000), so only CAP_SYS_ADMIN may unshare. */
#define CLONE_NS_FLAGS 0x7E020000ULL
#define NO_CAP (-1)
#define ALLOW SCMP_ACT_ALLOW

struct default_group {
    const char *const *names;
    uint32_t action;
    int if_cap;                  /* only when this capability is held */
    int unless_cap;              /* omitted when this capability is held */
    const uint32_t *if_arch;     /* only on these native arches (NULL: any) */
    const uint32_t *unless_arch; /* omitted on these native arches */
    uint32_t nargs;
    struct skiff_seccomp_arg arg;
};

#define ARG0(op_, v) 1, { .index = 0, .op = SKIFF_SECCOMP_CMP_##op_, .value = (v) }
#define NOARG 0, { 0 }

static const struct default_group default_groups[] = {
    { default_allow, ALLOW, NO_CAP, NO_CAP, NULL, NULL, NOARG },
    { ptrace_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, NOARG },
    /* socket: every family but AF_ALG (38) and AF_VSOCK (40). */
    { socket_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(LT, 38) },
    { socket_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 39) },
    { socket_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(GT, 40) },
    /* personality: PER_LINUX, PER_LINUX32, UNAME26 variants, and the query. */
    { personality_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 0x0) },
    { personality_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 0x8) },
    { personality_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 0x20000) },
    { personality_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 0x20008) },
    { personality_names, ALLOW, NO_CAP, NO_CAP, NULL, NULL, ARG0(EQ, 0xffffffff) },
    { ppc64le_names, ALLOW, NO_CAP, NO_CAP, on_ppc64le, NULL, NOARG },
    { arm_names, ALLOW, NO_CAP, NO_CAP, on_arm, NULL, NOARG },
    { arch_prctl_names, ALLOW, NO_CAP, NO_CAP, on_amd64_x32, NULL, NOARG },
    { modify_ldt_names, ALLOW, NO_CAP, NO_CAP, on_x86_all, NULL, NOARG },
    { s390_names, ALLOW, NO_CAP, NO_CAP, on_s390, NULL, NOARG },
    { riscv_names, ALLOW, NO_CAP, NO_CAP, on_riscv64, NULL, NOARG },
    { dac_read_search_names, ALLOW, CAP_DAC_READ_SEARCH, NO_CAP, NULL, NULL, NOARG },
    { sys_admin_names, ALLOW, CAP_SYS_ADMIN, NO_CAP, NULL, NULL, NOARG },
    { clone_names, ALLOW, NO_CAP, CAP_SYS_ADMIN, NULL, on_s390,
      1, { .index = 0, .op = SKIFF_SECCOMP_CMP_MASKED_EQ, .value = CLONE_NS_FLAGS } },
    /* s390 passes clone's flags in the second argument. */
    { clone_names, ALLOW, NO_CAP, CAP_SYS_ADMIN, on_s390, NULL,
      1, { .index = 1, .op = SKIFF_SECCOMP_CMP_MASKED_EQ, .value = CLONE_NS_FLAGS } },
    /* ENOSYS, not EPERM: libc then falls back to clone, whose flags we can see
     * (clone3 passes them in memory, out of BPF's reach). */
    { clone3_names, SCMP_ACT_ERRNO(ENOSYS), NO_CAP, CAP_SYS_ADMIN, NULL, NULL, NOARG },
    { sys_boot_names, ALLOW, CAP_SYS_BOOT, NO_CAP, NULL, NULL, NOARG },
    { sys_chroot_names, ALLOW, CAP_SYS_CHROOT, NO_CAP, NULL, NULL, NOARG },
    { sys_module_names, ALLOW, CAP_SYS_MODULE, NO_CAP, NULL, NULL, NOARG },
    { sys_pacct_names, ALLOW, CAP_SYS_PACCT, NO_CAP, NULL, NULL, NOARG },
    { sys_ptrace_names, ALLOW, CAP_SYS_PTRACE, NO_CAP, NULL, NULL, NOARG },
    { sys_rawio_names, ALLOW, CAP_SYS_RAWIO, NO_CAP, NULL, NULL, NOARG },
    { sys_time_names, ALLOW, CAP_SYS_TIME, NO_CAP, NULL, NULL, NOARG },
    { sys_tty_config_names, ALLOW, CAP_SYS_TTY_CONFIG, NO_CAP, NULL, NULL, NOARG },
    { sys_nice_names, ALLOW, CAP_SYS_NICE, NO_CAP, NULL, NULL, NOARG },
    { syslog_names, ALLOW, CAP_SYSLOG, NO_CAP, NULL, NULL, NOARG },
    { bpf_names, ALLOW, CAP_BPF, NO_CAP, NULL, NULL, NOARG },
    { perfmon_names, ALLOW, CAP_PERFMON, NO_CAP, NULL, NULL, NOARG },
};

/* moby's archMap: the compat ABIs a native kernel also runs (0-terminated). */
struct arch_family {
    uint32_t native;
    uint32_t compat[3];
};

static const struct arch_family arch_families[] = {
    { SCMP_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32, 0 } },
    { SCMP_ARCH_AARCH64, { SCMP_ARCH_ARM, 0 } },
    { SCMP_ARCH_MIPS64, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32, 0 } },
    { SCMP_ARCH_MIPS64N32, { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, 0 } },
    { SCMP_ARCH_MIPSEL64, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32, 0 } },
    { SCMP_ARCH_MIPSEL64N32, { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, 0 } },
    { SCMP_ARCH_S390X, { SCMP_ARCH_S390, 0 } },
};

/* ---- Compilation ------------------------------------------------------- */

/* Formats a message into errbuf and passes `rc` (a negative errno) through. */
__attribute__((format(printf, 4, 5)))
static int fail(char *errbuf, size_t errlen, int rc, const char *fmt, ...) {
    if (errbuf != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int add_arch(scmp_filter_ctx ctx, uint32_t token, const char *name,
                    char *errbuf, size_t errlen) {
    if (seccomp_arch_exist(ctx, token) == 0) {
        return 0;
    }
    int rc = seccomp_arch_add(ctx, token);
    if (rc < 0) {
        return fail(errbuf, errlen, rc, "seccomp_arch_add(%s)", name);
    }
    return 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t default_action,
                    const struct skiff_seccomp_rule *rule,
                    char *errbuf, size_t errlen) {
    if (rule->name == NULL) {
        return fail(errbuf, errlen, -EINVAL, "seccomp rule: missing syscall name");
    }
    if (rule->nargs > SKIFF_MAX_ARGS || (rule->nargs > 0 && rule->args == NULL)) {
        return fail(errbuf, errlen, -EINVAL, "seccomp rule %s: %u args (max %d)",
                    rule->name, rule->nargs, SKIFF_MAX_ARGS);
    }
    if (rule->action == default_action) {
        return 0;
    }
    int nr = seccomp_syscall_resolve_name(rule->name);
    if (nr == __NR_SCMP_ERROR) {
        return 0; /* newer than this libseccomp: the default action applies */
    }
    struct scmp_arg_cmp cmp[SKIFF_MAX_ARGS];
    for (uint32_t i = 0; i < rule->nargs; i++) {
        const struct skiff_seccomp_arg *a = &rule->args[i];
        if (a->index >= SKIFF_MAX_ARGS || a->op < (uint32_t)SCMP_CMP_NE || a->op > (uint32_t)SCMP_CMP_MASKED_EQ) {
            return fail(errbuf, errlen, -EINVAL, "seccomp rule %s: bad arg index %u or op %u",
                        rule->name, a->index, a->op);
        }
        cmp[i] = (struct scmp_arg_cmp){
            .arg = a->index, .op = (enum scmp_compare)a->op,
            .datum_a = a->value, .datum_b = a->value_two,
        };
    }
    int rc = seccomp_rule_add_array(ctx, rule->action, nr, rule->nargs, cmp);
    if (rc < 0) {
        return fail(errbuf, errlen, rc, "seccomp_rule_add(%s)", rule->name);
    }
    return 0;
}

/* Exports the filter as BPF through a memfd into a malloc'ed program. */
static int export_program(scmp_filter_ctx ctx, struct sock_fprog *out,
                          char *errbuf, size_t errlen) {
    int fd = memfd_create("skiff-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        return fail(errbuf, errlen, -errno, "memfd_create(skiff-seccomp)");
    }
    int rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0) {
        close(fd);
        return fail(errbuf, errlen, rc, "seccomp_export_bpf");
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0) {
        rc = -errno;
        close(fd);
        return fail(errbuf, errlen, rc, "lseek(seccomp bpf)");
    }
    size_t count = (size_t)size / sizeof(struct sock_filter);
    if (count == 0 || (size_t)size % sizeof(struct sock_filter) != 0 || count > BPF_MAXINSNS) {
        close(fd);
        return fail(errbuf, errlen, -E2BIG, "seccomp bpf: %lld bytes, kernel limit %d instructions",
                    (long long)size, BPF_MAXINSNS);
    }
    struct sock_filter *filter = malloc((size_t)size);
    if (filter == NULL) {
        close(fd);
        return fail(errbuf, errlen, -ENOMEM, "seccomp bpf: malloc(%lld)", (long long)size);
    }
    size_t done = 0;
    while (done < (size_t)size) {
        ssize_t n = pread(fd, (char *)filter + done, (size_t)size - done, (off_t)done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            rc = n < 0 ? -errno : -EIO;
            free(filter);
            close(fd);
            return fail(errbuf, errlen, rc, "pread(seccomp bpf)");
        }
        done += (size_t)n;
    }
    close(fd);
    out->len = (unsigned short)count;
    out->filter = filter;
    return 0;
}

/* Creates a context whose BPF is a binary tree over syscall numbers: the
 * filter runs on every syscall of every container, so lookup cost matters. */
static scmp_filter_ctx new_filter(uint32_t default_action, int *rc,
                                  char *errbuf, size_t errlen) {
    scmp_filter_ctx ctx = seccomp_init(default_action);
    if (ctx == NULL) {
        *rc = fail(errbuf, errlen, -EINVAL, "seccomp_init(default action 0x%x)", default_action);
        return NULL;
    }
    *rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (*rc < 0) {
        *rc = fail(errbuf, errlen, *rc, "seccomp_attr_set(optimize=2)");
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}

int skiff_seccomp_compile(uint32_t default_action,
                          const char *const *arches, size_t narches,
                          const struct skiff_seccomp_rule *rules, size_t nrules,
                          struct sock_fprog *out, char *errbuf, size_t errlen) {
    int rc = 0;
    scmp_filter_ctx ctx = new_filter(default_action, &rc, errbuf, errlen);
    if (ctx == NULL) {
        return rc;
    }
    for (size_t i = 0; i < narches && rc == 0; i++) {
        uint32_t token = arches[i] == NULL ? 0 : seccomp_arch_resolve_name(arches[i]);
        if (token == 0) {
            rc = fail(errbuf, errlen, -EINVAL, "seccomp architecture %s: unknown",
                      arches[i] == NULL ? "(null)" : arches[i]);
        } else {
            rc = add_arch(ctx, token, arches[i], errbuf, errlen);
        }
    }
    for (size_t i = 0; i < nrules && rc == 0; i++) {
        rc = add_rule(ctx, default_action, &rules[i], errbuf, errlen);
    }
    if (rc == 0) {
        rc = export_program(ctx, out, errbuf, errlen);
    }
    seccomp_release(ctx);
    return rc;
}

static int arch_in(const uint32_t *list, uint32_t arch) {
    for (; list != NULL && *list != 0; list++) {
        if (*list == arch) {
            return 1;
        }
    }
    return 0;
}

static int has_cap(uint64_t caps, int cap) {
    return cap >= 0 && cap < 64 && (caps & (1ULL << cap)) != 0;
}

static int group_applies(const struct default_group *g, uint32_t native, uint64_t caps) {
    if (g->if_cap != NO_CAP && !has_cap(caps, g->if_cap)) {
        return 0;
    }
    if (g->unless_cap != NO_CAP && has_cap(caps, g->unless_cap)) {
        return 0;
    }
    if (g->if_arch != NULL && !arch_in(g->if_arch, native)) {
        return 0;
    }
    return !arch_in(g->unless_arch, native);
}

static int add_default_rules(scmp_filter_ctx ctx, uint64_t caps, char *errbuf, size_t errlen) {
    uint32_t native = seccomp_arch_native();
    for (size_t f = 0; f < sizeof(arch_families) / sizeof(arch_families[0]); f++) {
        if (arch_families[f].native != native) {
            continue;
        }
        for (const uint32_t *c = arch_families[f].compat; *c != 0; c++) {
            int rc = add_arch(ctx, *c, "compat", errbuf, errlen);
            if (rc < 0) {
                return rc;
            }
        }
    }
    for (size_t i = 0; i < sizeof(default_groups) / sizeof(default_groups[0]); i++) {
        const struct default_group *g = &default_groups[i];
        if (!group_applies(g, native, caps)) {
            continue;
        }
        for (const char *const *name = g->names; *name != NULL; name++) {
            struct skiff_seccomp_rule rule = {
                .name = *name, .action = g->action, .nargs = g->nargs, .args = &g->arg,
            };
            int rc = add_rule(ctx, SCMP_ACT_ERRNO(EPERM), &rule, errbuf, errlen);
            if (rc < 0) {
                return rc;
            }
        }
    }
    return 0;
}

int skiff_seccomp_compile_default(uint64_t capabilities, struct sock_fprog *out,
                                  char *errbuf, size_t errlen) {
    int rc = 0;
    scmp_filter_ctx ctx = new_filter(SCMP_ACT_ERRNO(EPERM), &rc, errbuf, errlen);
    if (ctx == NULL) {
        return rc;
    }
    rc = add_default_rules(ctx, capabilities, errbuf, errlen);
    if (rc == 0) {
        rc = export_program(ctx, out, errbuf, errlen);
    }
    seccomp_release(ctx);
    return rc;
}

void skiff_seccomp_release(struct sock_fprog *prog) {
    if (prog == NULL) {
        return;
    }
    free(prog->filter);
    prog->filter = NULL;
    prog->len = 0;
}
