#ifndef SKIFF_HOSTEXEC_H
#define SKIFF_HOSTEXEC_H

#include <stddef.h>

/// Where running a host program failed. A failure in the child (entering the
/// namespace, exec) comes back over a close-on-exec pipe as (step, errno), so
/// the caller can say `setns: EBADF` instead of a bare exit status.
enum skiff_hostexec_step {
    SKIFF_HOSTEXEC_OK = 0,
    SKIFF_HOSTEXEC_PIPE,
    SKIFF_HOSTEXEC_ALLOC,
    SKIFF_HOSTEXEC_CLONE,
    SKIFF_HOSTEXEC_SETNS,
    SKIFF_HOSTEXEC_STDIO,
    SKIFF_HOSTEXEC_EXEC,
    SKIFF_HOSTEXEC_POLL,
    SKIFF_HOSTEXEC_WAIT,
};

/// The syscall-like name of a step ("setns", "execve", ...).
const char *skiff_hostexec_step_name(int step);

struct skiff_hostexec_result {
    /// The exit code, or 128 + the signal number when the program was killed.
    int status;
    /// SKIFF_HOSTEXEC_OK, or the step that failed (then `status` is meaningless).
    int step;
    /// errno of the failed step.
    int err;
    /// stdout and stderr, interleaved as written; malloc'd, NULL when empty.
    /// The caller frees it, also after a failure.
    char *output;
    size_t output_len;
    /// The program wrote more than `output_limit` bytes; the rest was read and dropped
    /// (so the program never blocks on a full pipe).
    int truncated;
};

/// Runs the program at `path` (absolute, no PATH search) with `argv`
/// (NULL-terminated, argv[0] included) and the caller's environment, feeding it
/// `input` on stdin and capturing stdout and stderr into one buffer of at most
/// `output_limit` bytes, and waits for it to exit.
///
/// With `netns_fd` >= 0 (an nsfs file of a network namespace) the child enters
/// that namespace before exec; the caller's threads stay where they are.
/// The child is started like posix_spawn (CLONE_VM | CLONE_VFORK, so no page
/// tables of a large process are copied) with every signal blocked around the
/// clone; it resets all handlers to the default and unblocks signals before exec.
///
/// Returns 0 when the program ran (whatever its exit status), -1 when it could
/// not be run or waited for (`result->step` and `result->err` say why).
/// Blocks the calling thread; SIGPIPE is held blocked on it while writing input.
int skiff_hostexec(const char *path, char *const argv[], int netns_fd, const void *input, size_t input_len,
                   size_t output_limit, struct skiff_hostexec_result *result);

#endif
