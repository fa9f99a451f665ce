#ifndef SKIFF_SPAWN_H
#define SKIFF_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

/// Steps of the child-side setup. A failed start reports the step and errno
/// over the sync pipe so the caller can say `pivot_root: EINVAL` instead of
/// a bare exit status.
enum skiff_spawn_step {
    SKIFF_STEP_NONE = 0,
    SKIFF_STEP_PIPE,
    SKIFF_STEP_CLONE,
    SKIFF_STEP_SETNS_PID,
    SKIFF_STEP_CGROUP_JOIN,
    SKIFF_STEP_SETNS,
    SKIFF_STEP_UNSHARE_CGROUP,
    SKIFF_STEP_MOUNT_PROPAGATION,
    SKIFF_STEP_MOUNT_ROOTFS,
    SKIFF_STEP_OPEN_ROOTFS,
    SKIFF_STEP_MOUNT_TARGET,
    SKIFF_STEP_MOUNT,
    SKIFF_STEP_REMOUNT_READONLY,
    SKIFF_STEP_MKNOD,
    SKIFF_STEP_SYMLINK,
    SKIFF_STEP_PIVOT_ROOT,
    SKIFF_STEP_UMOUNT_OLD_ROOT,
    SKIFF_STEP_MASK_PATH,
    SKIFF_STEP_READONLY_PATH,
    SKIFF_STEP_ROOT_READONLY,
    SKIFF_STEP_SETHOSTNAME,
    SKIFF_STEP_SETRLIMIT,
    SKIFF_STEP_OOM_SCORE_ADJ,
    SKIFF_STEP_STDIO,
    SKIFF_STEP_SETSID,
    SKIFF_STEP_SETCTTY,
    SKIFF_STEP_CHDIR,
    SKIFF_STEP_CAPBSET_DROP,
    SKIFF_STEP_KEEPCAPS,
    SKIFF_STEP_SETGROUPS,
    SKIFF_STEP_SETGID,
    SKIFF_STEP_SETUID,
    SKIFF_STEP_CAPSET,
    SKIFF_STEP_AMBIENT,
    SKIFF_STEP_NO_NEW_PRIVS,
    SKIFF_STEP_SECCOMP,
    SKIFF_STEP_GATE,
    SKIFF_STEP_EXEC,
    SKIFF_STEP_SYNC,
};

/// The syscall-like name of a step ("pivot_root", "execve", ...).
const char *skiff_spawn_step_name(int step);

/// One mount inside the container. Targets are container paths; they are
/// resolved inside the rootfs with openat2(RESOLVE_IN_ROOT) and created when
/// missing, so a symlink in the image can never point a mount outside it.
struct skiff_mount {
    const char *source;      ///< fs source ("proc", "tmpfs") or host path for binds
    const char *target;      ///< absolute path inside the container
    const char *fstype;      ///< NULL for bind mounts
    unsigned long flags;     ///< MS_* flags (MS_BIND/MS_REC for binds)
    const char *data;        ///< fs options, may be NULL
    int readonly;            ///< binds: remount read-only after binding
    int target_is_file;      ///< create the target as a file, not a directory
    int optional;            ///< on failure fall back to a recursive read-only bind of `source`
};

struct skiff_rlimit {
    int resource;
    uint64_t soft;
    uint64_t hard;
};

/// A namespace to join with setns(2) in the child (fd of an nsfs file).
struct skiff_ns_join {
    int fd;
    int type; ///< CLONE_NEW* constant
};

struct skiff_spawn_config {
    /* process */
    const char *const *argv;      ///< NULL-terminated; argv[0] resolved via the env's PATH when it has no '/'
    const char *const *envp;      ///< NULL-terminated
    const char *cwd;              ///< NULL keeps "/"
    uint32_t uid, gid;
    const uint32_t *groups;
    size_t ngroups;
    int stdio[3];                 ///< fds for 0, 1, 2; -1 means /dev/null
    int tty;                      ///< stdio[0] is a pty slave: make it the controlling terminal

    /* namespaces */
    unsigned long new_namespaces; ///< CLONE_NEW* created at clone (CLONE_NEWCGROUP is unshared after the cgroup join)
    const struct skiff_ns_join *joins; ///< joined in order; a mount namespace must come last
    size_t njoins;
    int pidns_fd;                 ///< >= 0: clone the child into this pid namespace (exec into a container)
    const char *hostname;         ///< set when the child owns a new UTS namespace

    /* cgroups */
    int cgroup_fd;                ///< >= 0: cgroup v2 directory for CLONE_INTO_CGROUP
    const int *procs_fds;         ///< cgroup.procs files the child writes "0" into (v1 controllers)
    size_t nprocs;

    /* root filesystem; rootfs == NULL keeps the current root (exec) */
    const char *rootfs;           ///< host path of the container root
    const char *overlay_data;     ///< non-NULL: mount overlayfs with these options on rootfs in the child's mount ns
    unsigned long rootfs_propagation; ///< MS_PRIVATE or MS_SLAVE (with MS_REC added); 0 means MS_PRIVATE
    int rootfs_readonly;
    const struct skiff_mount *mounts;
    size_t nmounts;
    int default_devices;          ///< create null, zero, full, random, urandom, tty and the /dev symlinks
    const char *const *masked_paths;
    size_t nmasked;
    const char *const *readonly_paths;
    size_t nreadonly;

    /* security */
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    int last_cap;                 ///< highest capability number the kernel knows
    int no_new_privs;
    const struct sock_fprog *seccomp; ///< precompiled in the parent; NULL for none
    const struct skiff_rlimit *rlimits;
    size_t nrlimits;
    int set_oom_score_adj;
    int oom_score_adj;

    /* start gate: >= 0 means block reading one byte from this fd before execve
       (create/start split); the parent returns once setup is done. */
    int gate_fd;

    /* non-NULL: the child stores CLOCK_REALTIME nanoseconds here, [0] once it
       is in its cgroups and namespaces, [1] once its root filesystem is ready,
       [2] just before execve (a start's breakdown, for benchmarks). Must be
       MAP_SHARED memory: a clone3 child does not share the caller's. */
    uint64_t *marks;
};

struct skiff_spawn_error {
    int step;         ///< enum skiff_spawn_step
    int err;          ///< errno
    char detail[512]; ///< the path, name or value involved
};

/// Clones a child with the namespaces, cgroup, root filesystem and hardening
/// the config describes, and execs its process (or parks it at the gate).
/// All signals are blocked around clone; the child resets handlers before
/// exec and reports the failing step and errno over a CLOEXEC pipe.
/// Returns 0 with *pid and *pidfd set, or -1 with *error filled; on failure
/// the child has been reaped.
int skiff_spawn(const struct skiff_spawn_config *config, pid_t *pid, int *pidfd,
                struct skiff_spawn_error *error);

/// Creates new namespaces (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS subset)
/// on a short-lived thread and keeps them alive by bind-mounting the thread's
/// nsfs files onto net_path, ipc_path, uts_path (NULL to skip one): a pod
/// sandbox without a pause process. Sets the hostname when UTS is new.
int skiff_pod_namespaces_create(unsigned long flags, const char *hostname,
                                const char *net_path, const char *ipc_path,
                                const char *uts_path, struct skiff_spawn_error *error);

/// pidfd_open(2) for re-adopting a container after a restart.
int skiff_pidfd_open(pid_t pid);

/// gettid(2): the calling thread's id (what a v1 cgroup's `tasks` file takes).
pid_t skiff_gettid(void);

/// pidfd_send_signal(2).
int skiff_pidfd_send_signal(int pidfd, int sig);

/// waitid(P_PIDFD, ...). Returns 0 and fills *code (CLD_EXITED/KILLED/DUMPED)
/// and *status (exit code or signal), or -1 with errno (ECHILD when the
/// process is not our child, e.g. after a restart).
int skiff_pidfd_wait(int pidfd, int nohang, int *code, int *status);

/// openat2(dirfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS):
/// opens a path inside a root without following anything out of it.
int skiff_openat_in_root(int rootfd, const char *path, int flags, unsigned mode);

#endif
