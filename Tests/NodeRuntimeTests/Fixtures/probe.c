// A static multi-call probe run inside test containers (crun's tests use the
// same idea): each argument names an operation; the probe performs it and
// prints "name=OK" or "name=<ERRNO NAME>" so tests assert exact errno values
// without needing a distribution in the rootfs.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <linux/reboot.h>

static void report(const char *name, int rc) {
    if (rc == 0) printf("%s=OK\n", name);
    else printf("%s=%s\n", name, strerrorname_np(errno));
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *op = argv[i];
        errno = 0;
        if (!strcmp(op, "pid")) printf("pid=%d\n", getpid());
        else if (!strcmp(op, "uid")) printf("uid=%d gid=%d\n", getuid(), getgid());
        else if (!strcmp(op, "mount")) report(op, mount("tmpfs", "/tmp", "tmpfs", 0, NULL));
        else if (!strcmp(op, "module")) report(op, (int)syscall(SYS_init_module, NULL, 0, ""));
        else if (!strcmp(op, "reboot")) report(op, reboot(LINUX_REBOOT_CMD_CAD_OFF));
        else if (!strcmp(op, "settime")) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            report(op, clock_settime(CLOCK_REALTIME, &ts));
        } else if (!strncmp(op, "ptrace:", 7)) report("ptrace", (int)ptrace(PTRACE_ATTACH, atoi(op + 7), 0, 0));
        else if (!strcmp(op, "unshare")) report(op, unshare(CLONE_NEWNS));
        else if (!strcmp(op, "nnp")) printf("nnp=%d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        else if (!strcmp(op, "caps")) {
            FILE *f = fopen("/proc/self/status", "r");
            char line[256];
            while (f && fgets(line, sizeof(line), f))
                if (!strncmp(line, "Cap", 3)) fputs(line, stdout);
            if (f) fclose(f);
        } else if (!strncmp(op, "alloc:", 6)) {
            // Touch N MiB so the memory cgroup charges it.
            long mb = atol(op + 6);
            for (long k = 0; k < mb; k++) {
                char *p = malloc(1 << 20);
                if (!p) { printf("alloc=ENOMEM\n"); break; }
                memset(p, 1, 1 << 20);
            }
            printf("alloc=OK\n");
        } else if (!strncmp(op, "exit:", 5)) { fflush(stdout); _exit(atoi(op + 5)); }
        else printf("%s=UNKNOWN\n", op);
        fflush(stdout);
    }
    return 0;
}
