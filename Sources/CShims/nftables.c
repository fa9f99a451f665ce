// nftables through libnftables (in-process netlink; no `nft` child process).

#include <errno.h>
#include <stdlib.h>
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

struct skiff_nft_session {
    struct nft_ctx *ctx;
};

static void session_new(void *arg) {
    struct skiff_nft_session *session = arg;
    session->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
}

skiff_nft_session *skiff_nft_session_open(const char *netns_path, char *err, size_t errlen) {
    if (errlen > 0) err[0] = '\0';
    struct skiff_nft_session *session = calloc(1, sizeof(*session));
    if (session == NULL) {
        snprintf(err, errlen, "calloc: %s", strerror(ENOMEM));
        return NULL;
    }
    if (netns_path == NULL) {
        session_new(session);
    } else {
        int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errlen, "open %s: %s", netns_path, strerror(errno));
            free(session);
            return NULL;
        }
        int rc = skiff_netns_run(fd, session_new, session);
        close(fd);
        if (rc != 0) {
            snprintf(err, errlen, "enter %s: %s", netns_path, strerror(-rc));
            free(session);
            return NULL;
        }
    }
    if (session->ctx == NULL) {
        snprintf(err, errlen, "nft_ctx_new failed");
        free(session);
        return NULL;
    }
    nft_ctx_buffer_output(session->ctx);
    nft_ctx_buffer_error(session->ctx);
    return session;
}

int skiff_nft_session_run(skiff_nft_session *session, const char *script, char *err, size_t errlen) {
    if (errlen > 0) err[0] = '\0';
    /* Reading the buffers empties them: drop what an earlier run left. */
    (void)nft_ctx_get_output_buffer(session->ctx);
    (void)nft_ctx_get_error_buffer(session->ctx);
    if (nft_run_cmd_from_buffer(session->ctx, script) != 0) {
        const char *msg = nft_ctx_get_error_buffer(session->ctx);
        snprintf(err, errlen, "%s", msg && *msg ? msg : "nftables transaction failed");
        return -1;
    }
    return 0;
}

void skiff_nft_session_close(skiff_nft_session *session) {
    if (session == NULL) return;
    nft_ctx_free(session->ctx);
    free(session);
}
