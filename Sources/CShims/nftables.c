// nftables through libnftables (in-process netlink; no `nft` child process).

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <nftables/libnftables.h>

#include "skiff_netlink.h"
#include "skiff_nftables.h"

struct nft_job {
    const char *script;
    char *err;
    size_t errlen;
    int rc;
};

static void nft_apply(void *arg) {
    struct nft_job *job = arg;
    job->rc = -1;
    struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) {
        snprintf(job->err, job->errlen, "nft_ctx_new failed");
        return;
    }
    nft_ctx_buffer_output(ctx);
    nft_ctx_buffer_error(ctx);
    if (nft_run_cmd_from_buffer(ctx, job->script) != 0) {
        const char *msg = nft_ctx_get_error_buffer(ctx);
        snprintf(job->err, job->errlen, "%s", msg && *msg ? msg : "nftables transaction failed");
    } else {
        job->rc = 0;
    }
    nft_ctx_free(ctx);
}

int skiff_nft_run(const char *netns_path, const char *script, char *err, size_t errlen) {
    if (errlen > 0) err[0] = '\0';
    struct nft_job job = {script, err, errlen, -1};
    if (!netns_path) {
        nft_apply(&job);
        return job.rc;
    }
    /* libnftables' netlink socket belongs to the netns of the thread that opens
       it: run the transaction on the netlink shim's namespace thread. */
    int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "open %s: %s", netns_path, strerror(errno));
        return -1;
    }
    int rc = skiff_netns_run(fd, nft_apply, &job);
    close(fd);
    if (rc != 0) {
        snprintf(err, errlen, "enter %s: %s", netns_path, strerror(-rc));
        return -1;
    }
    return job.rc;
}
