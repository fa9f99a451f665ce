// Deleting conntrack entries (stale UDP flows to an endpoint that went away)
// through libnetfilter_conntrack.

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "skiff_netlink.h"
#include "skiff_nftnl.h"

struct ct_job {
    uint8_t l4proto;
    uint32_t orig_dst, reply_src;
    uint16_t orig_dport, reply_sport;
    struct nf_conntrack **matches;
    size_t count, cap;
    int result;
};

static int collect(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *raw) {
    (void)type;
    struct ct_job *job = raw;
    if (nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) != job->l4proto) return NFCT_CB_CONTINUE;
    if (job->orig_dst && nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_DST) != job->orig_dst) return NFCT_CB_CONTINUE;
    if (job->orig_dport && nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST) != job->orig_dport) return NFCT_CB_CONTINUE;
    if (job->reply_src && nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC) != job->reply_src) return NFCT_CB_CONTINUE;
    if (job->reply_sport && nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC) != job->reply_sport) return NFCT_CB_CONTINUE;
    if (job->count == job->cap) {
        size_t cap = job->cap ? job->cap * 2 : 16;
        struct nf_conntrack **m = realloc(job->matches, cap * sizeof(*m));
        if (m == NULL) return NFCT_CB_STOP;
        job->matches = m;
        job->cap = cap;
    }
    struct nf_conntrack *copy = nfct_clone(ct);
    if (copy != NULL) job->matches[job->count++] = copy;
    return NFCT_CB_CONTINUE;
}

static void ct_delete(void *raw) {
    struct ct_job *job = raw;
    struct nfct_handle *h = nfct_open(CONNTRACK, 0);
    if (h == NULL) {
        job->result = -errno;
        return;
    }
    nfct_callback_register(h, NFCT_T_ALL, collect, job);
    uint32_t family = AF_INET;
    if (nfct_query(h, NFCT_Q_DUMP, &family) < 0) {
        job->result = -errno;
        nfct_close(h);
        return;
    }
    int deleted = 0;
    for (size_t i = 0; i < job->count; i++) {
        /* ENOENT: the entry expired meanwhile, which is what we wanted. */
        if (nfct_query(h, NFCT_Q_DESTROY, job->matches[i]) == 0) deleted++;
        nfct_destroy(job->matches[i]);
    }
    free(job->matches);
    nfct_close(h);
    job->result = deleted;
}

int skiff_ct_delete(int netns_fd, uint8_t l4proto, uint32_t orig_dst, uint16_t orig_dport,
                    uint32_t reply_src, uint16_t reply_sport) {
    struct ct_job job = {l4proto, orig_dst, reply_src, orig_dport, reply_sport, NULL, 0, 0, 0};
    if (netns_fd < 0) {
        ct_delete(&job);
    } else {
        int rc = skiff_netns_run(netns_fd, ct_delete, &job);
        if (rc < 0) return rc;
    }
    return job.result;
}
