#ifndef SKIFF_SYS_H
#define SKIFF_SYS_H

// System headers Swift's Glibc module does not export (epoll, eventfd),
// re-exported through CShims so Swift code can use them directly.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <pthread.h>

/// pthread_setname_np is GNU-only and hidden from Swift's Glibc import.
int skiff_thread_set_name(pthread_t thread, const char *name);

/// pipe2(fds, O_CLOEXEC | extra): GNU-only, hidden from Swift's Glibc import.
int skiff_pipe2(int fds[2], int flags);

/// F_SETPIPE_SZ (GNU-only constant).
int skiff_set_pipe_size(int fd, int size);

/// Opens a pty pair (master and slave, both O_CLOEXEC, slave not our ctty).
/// Returns 0, or -1 with errno. posix_openpt and friends are XSI-only in Swift's import.
int skiff_openpty(int *master, int *slave);

/// A pty pair from the devpts instance of another root (a container's
/// `/proc/PID/root`): opens its /dev/pts/ptmx resolved inside that root and
/// the peer with TIOCGPTPEER, so the process sees its terminal under its own
/// /dev/pts. -1 with errno on failure.
int skiff_openpty_in_root(int rootfd, int *master, int *slave);

/// mallopt(M_ARENA_MAX, n): at most n malloc arenas (malloc.h is not in
/// Swift's Glibc module). Returns mallopt's result (1 on success).
int skiff_malloc_arena_max(int n);

/// malloc_trim(0): returns free heap memory to the kernel; 1 if any was.
int skiff_malloc_trim(void);

#endif
