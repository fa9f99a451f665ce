#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include "skiff_sys.h"

int skiff_thread_set_name(pthread_t thread, const char *name) {
    return pthread_setname_np(thread, name);
}

int skiff_pipe2(int fds[2], int flags) {
    return pipe2(fds, flags);
}

int skiff_set_pipe_size(int fd, int size) {
    return fcntl(fd, F_SETPIPE_SZ, size);
}

int skiff_openpty(int *master, int *slave) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    char name[128];
    if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof(name)) != 0) {
        int e = errno;
        close(m);
        errno = e;
        return -1;
    }
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        int e = errno;
        close(m);
        errno = e;
        return -1;
    }
    *master = m;
    *slave = s;
    return 0;
}

int skiff_openpty_in_root(int rootfd, int *master, int *slave) {
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = O_RDWR | O_NOCTTY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int m = (int)syscall(SYS_openat2, rootfd, "/dev/pts/ptmx", &how, sizeof(how));
    if (m < 0) return -1;
    int unlock = 0;
    if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
        int e = errno;
        close(m);
        errno = e;
        return -1;
    }
    int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        int e = errno;
        close(m);
        errno = e;
        return -1;
    }
    *master = m;
    *slave = s;
    return 0;
}

int skiff_malloc_arena_max(int n) {
    return mallopt(M_ARENA_MAX, n);
}

int skiff_malloc_trim(void) {
    return malloc_trim(0);
}
