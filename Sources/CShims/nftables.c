// nftables through libnftables (in-process netlink; no `nft` child process).

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <nftables/libnftables.h>

#include "skiff_nftables.h"

struct nft_job {
    const char *netns_path;
    const char *script;
    char *err;
    size_t errlen;
    int rc;
};

static void *nft_thread(void *arg) {
    struct nft_job *job = arg;
    job->rc = -1;
    if (job->netns_path) {
        int fd = open(job->netns_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
            snprintf(job->err, job->errlen, "setns %s: %s", job->netns_path, strerror(errno));
            if (fd >= 0) close(fd);
            return NULL;
        }
        close(fd);
    }
    struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) {
        snprintf(job->err, job->errlen, "nft_ctx_new failed");
        return NULL;
    }
    nft_ctx_buffer_output(ctx);
    nft_ctx_buffer_error(ctx);
    int rc = nft_run_cmd_from_buffer(ctx, job->script);
    if (rc != 0) {
        const char *msg = nft_ctx_get_error_buffer(ctx);
        snprintf(job->err, job->errlen, "%s", msg && *msg ? msg : "nftables transaction failed");
    } else {
        job->rc = 0;
    }
    nft_ctx_free(ctx);
    return NULL;
}

int skiff_nft_run(const char *netns_path, const char *script, char *err, size_t errlen) {
    if (errlen > 0) err[0] = '\0';
    struct nft_job job = {netns_path, script, err, errlen, -1};
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, nft_thread, &job);
    if (rc != 0) {
        snprintf(err, errlen, "pthread_create: %s", strerror(rc));
        return -1;
    }
    pthread_join(thread, NULL);
    return job.rc;
}
