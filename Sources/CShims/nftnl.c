// nftables set elements over raw netlink (libnftnl builds, libmnl sends).

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "skiff_netlink.h"
#include "skiff_nftnl.h"

/// Elements per NEWSETELEM/DELSETELEM message: keeps each message well under
/// the kernel's per-message limits while a full sync stays a few hundred messages.
#define ELEMS_PER_MESSAGE 512

struct skiff_nftnl {
    struct mnl_socket *nl;
    uint32_t portid;
    uint32_t seq;
    size_t sndbuf;
};

struct open_job {
    struct skiff_nftnl *h;
    int err;
};

static void open_socket(void *raw) {
    struct open_job *job = raw;
    job->h->nl = mnl_socket_open(NETLINK_NETFILTER);
    if (job->h->nl == NULL) {
        job->err = errno;
        return;
    }
    if (mnl_socket_bind(job->h->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        job->err = errno;
        mnl_socket_close(job->h->nl);
        job->h->nl = NULL;
        return;
    }
    job->h->portid = mnl_socket_get_portid(job->h->nl);
    /* Only the last message of a batch asks for an ack, but every refused
       message is answered, quoting itself whole: room for a bad batch. */
    int size = 8 << 20;
    int fd = mnl_socket_get_fd(job->h->nl);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

skiff_nftnl *skiff_nftnl_open(int netns_fd, int *err) {
    struct skiff_nftnl *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        *err = ENOMEM;
        return NULL;
    }
    h->seq = (uint32_t)time(NULL);
    struct open_job job = {h, 0};
    if (netns_fd < 0) {
        open_socket(&job);
    } else {
        int rc = skiff_netns_run(netns_fd, open_socket, &job);
        if (rc < 0) job.err = -rc;
    }
    if (h->nl == NULL) {
        *err = job.err ? job.err : EIO;
        free(h);
        return NULL;
    }
    return h;
}

void skiff_nftnl_close(skiff_nftnl *h) {
    if (h == NULL) return;
    if (h->nl) mnl_socket_close(h->nl);
    free(h);
}

/// Big transactions go out in one sendmsg (a batch must arrive whole), so the
/// socket's send buffer is raised to fit; root may exceed wmem_max.
static void ensure_sndbuf(struct skiff_nftnl *h, size_t len) {
    if (len <= h->sndbuf) return;
    int size = len > INT32_MAX / 2 ? INT32_MAX / 2 : (int)len;
    int fd = mnl_socket_get_fd(h->nl);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    h->sndbuf = len;
}

/// After a failed exchange, whatever the kernel still sends would be read
/// as the answer to the next request: drop it.
static void drain(struct skiff_nftnl *h) {
    char buf[MNL_SOCKET_BUFFER_SIZE];
    int fd = mnl_socket_get_fd(h->nl);
    while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
    }
}

struct ack_state {
    uint32_t first_seq;   ///< seq of the first element message
    const size_t *op_at;  ///< per message: index of its first operation
    size_t messages;
    uint32_t last_seq;
    int error;
    size_t failed;
    int done;
};

static int read_acks(struct skiff_nftnl *h, struct ack_state *st) {
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct pollfd pfd = {mnl_socket_get_fd(h->nl), POLLIN, 0};
    while (!st->done) {
        /* The kernel answers within the commit; silence means it will not. */
        int ready = poll(&pfd, 1, 10000);
        if (ready == 0) return -ETIMEDOUT;
        if (ready < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        ssize_t n = mnl_socket_recvfrom(h->nl, buf, sizeof(buf));
        if (n < 0) return -errno;
        const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
        size_t len = (size_t)n;
        for (; mnl_nlmsg_ok(nlh, (int)len); nlh = mnl_nlmsg_next(nlh, (int *)&len)) {
            if (nlh->nlmsg_type != NLMSG_ERROR) continue;
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
            if (e->error != 0 && st->error == 0) {
                st->error = e->error;
                uint32_t seq = nlh->nlmsg_seq;
                if (seq >= st->first_seq && seq - st->first_seq < st->messages)
                    st->failed = st->op_at[seq - st->first_seq];
            }
            if (nlh->nlmsg_seq == st->last_seq) st->done = 1;
        }
    }
    return 0;
}

int skiff_nftnl_commit(skiff_nftnl *h, uint16_t family, const char *table,
                       const struct skiff_nftnl_op *ops, size_t count, size_t *failed) {
    *failed = SIZE_MAX;
    if (count == 0) return 0;
    size_t bytes = 4096;
    for (size_t i = 0; i < count; i++) bytes += ops[i].key_len + ops[i].data_len + 96 + strlen(ops[i].set);
    size_t max_messages = count + 2;
    char *buf = malloc(bytes);
    size_t *op_at = malloc(sizeof(size_t) * max_messages);
    if (buf == NULL || op_at == NULL) {
        free(buf);
        free(op_at);
        return -ENOMEM;
    }
    struct mnl_nlmsg_batch *batch = mnl_nlmsg_batch_start(buf, bytes);
    uint32_t seq = h->seq;
    h->seq += (uint32_t)max_messages + 2;
    nftnl_batch_begin(mnl_nlmsg_batch_current(batch), seq++);
    mnl_nlmsg_batch_next(batch);
    uint32_t first_seq = seq;
    size_t messages = 0;
    int rc = 0;
    size_t i = 0;
    while (i < count) {
        size_t j = i;
        struct nftnl_set *s = nftnl_set_alloc();
        if (s == NULL) { rc = -ENOMEM; break; }
        nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
        nftnl_set_set_str(s, NFTNL_SET_NAME, ops[i].set);
        uint16_t type;
        uint16_t flags = NLM_F_CREATE;
        if (ops[i].op == SKIFF_NFTNL_FLUSH) {
            type = NFT_MSG_DELSETELEM;
            flags = 0;
            j = i + 1;
        } else {
            type = ops[i].op == SKIFF_NFTNL_ADD ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM;
            if (ops[i].op == SKIFF_NFTNL_DELETE) flags = 0;
            while (j < count && j - i < ELEMS_PER_MESSAGE && ops[j].op == ops[i].op &&
                   strcmp(ops[j].set, ops[i].set) == 0) {
                struct nftnl_set_elem *e = nftnl_set_elem_alloc();
                if (e == NULL) { rc = -ENOMEM; break; }
                nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, ops[j].key, ops[j].key_len);
                if (ops[j].data != NULL && ops[j].op == SKIFF_NFTNL_ADD)
                    nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, ops[j].data, ops[j].data_len);
                nftnl_set_elem_add(s, e);
                j++;
            }
            if (rc != 0) { nftnl_set_free(s); break; }
        }
        int last = j >= count;
        struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), type, family,
                                                     flags | (last ? NLM_F_ACK : 0), seq++);
        nftnl_set_elems_nlmsg_build_payload(nlh, s);
        nftnl_set_free(s);
        op_at[messages++] = i;
        if (!mnl_nlmsg_batch_next(batch)) { rc = -EMSGSIZE; break; }
        i = j;
    }
    if (rc == 0) {
        nftnl_batch_end(mnl_nlmsg_batch_current(batch), seq++);
        mnl_nlmsg_batch_next(batch);
        size_t len = mnl_nlmsg_batch_size(batch);
        ensure_sndbuf(h, len);
        if (mnl_socket_sendto(h->nl, mnl_nlmsg_batch_head(batch), len) < 0) {
            rc = -errno;
        } else {
            struct ack_state st = {first_seq, op_at, messages, first_seq + (uint32_t)messages - 1, 0, SIZE_MAX, 0};
            rc = read_acks(h, &st);
            if (rc < 0) drain(h);
            if (rc == 0 && st.error != 0) {
                rc = st.error;
                *failed = st.failed;
            }
        }
    }
    mnl_nlmsg_batch_stop(batch);
    free(buf);
    free(op_at);
    return rc;
}

/* ---------- dumps ---------- */

typedef int (*parse_fn)(const struct nlmsghdr *nlh, void *ctx);

static int run_dump(struct skiff_nftnl *h, char *req, uint32_t seq, mnl_cb_t cb, void *ctx) {
    struct nlmsghdr *nlh = (struct nlmsghdr *)req;
    if (mnl_socket_sendto(h->nl, nlh, nlh->nlmsg_len) < 0) return -errno;
    char buf[MNL_SOCKET_BUFFER_SIZE * 4];
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(h->nl, buf, sizeof(buf));
        if (n < 0) return -errno;
        int rc = mnl_cb_run(buf, (size_t)n, seq, h->portid, cb, ctx);
        if (rc < 0) {
            int err = errno ? errno : EIO;
            /* A reply to an earlier, abandoned request: skip it. */
            if (err == EPROTO) continue;
            drain(h);
            return -err;
        }
        if (rc == MNL_CB_STOP) return 0;
    }
}

struct count_ctx {
    const char *table;
    uint32_t *count;
};

/* Chain dumps are not filtered by table in the kernel (rules and sets are,
   but checking costs nothing): count only the objects of our table. */
static int count_chain_cb(const struct nlmsghdr *nlh, void *raw) {
    struct count_ctx *c = raw;
    struct nftnl_chain *ch = nftnl_chain_alloc();
    if (ch == NULL) return MNL_CB_ERROR;
    if (nftnl_chain_nlmsg_parse(nlh, ch) == 0) {
        const char *t = nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE);
        if (t != NULL && strcmp(t, c->table) == 0) (*c->count)++;
    }
    nftnl_chain_free(ch);
    return MNL_CB_OK;
}

static int count_rule_cb(const struct nlmsghdr *nlh, void *raw) {
    struct count_ctx *c = raw;
    struct nftnl_rule *r = nftnl_rule_alloc();
    if (r == NULL) return MNL_CB_ERROR;
    if (nftnl_rule_nlmsg_parse(nlh, r) == 0) {
        const char *t = nftnl_rule_get_str(r, NFTNL_RULE_TABLE);
        if (t != NULL && strcmp(t, c->table) == 0) (*c->count)++;
    }
    nftnl_rule_free(r);
    return MNL_CB_OK;
}

static int count_set_cb(const struct nlmsghdr *nlh, void *raw) {
    struct count_ctx *c = raw;
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return MNL_CB_ERROR;
    if (nftnl_set_nlmsg_parse(nlh, s) == 0) {
        const char *t = nftnl_set_get_str(s, NFTNL_SET_TABLE);
        if (t != NULL && strcmp(t, c->table) == 0) (*c->count)++;
    }
    nftnl_set_free(s);
    return MNL_CB_OK;
}

static int table_cb(const struct nlmsghdr *nlh, void *ctx) {
    struct nftnl_table *t = nftnl_table_alloc();
    if (t == NULL) return MNL_CB_ERROR;
    if (nftnl_table_nlmsg_parse(nlh, t) == 0)
        *(uint64_t *)ctx = nftnl_table_get_u64(t, NFTNL_TABLE_HANDLE);
    nftnl_table_free(t);
    return MNL_CB_OK;
}

int skiff_nftnl_fingerprint(skiff_nftnl *h, uint16_t family, const char *table,
                            struct skiff_nftnl_fingerprint *out) {
    memset(out, 0, sizeof(*out));
    char req[MNL_SOCKET_BUFFER_SIZE];
    uint32_t seq = h->seq++;
    struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETTABLE, family, NLM_F_ACK, seq);
    struct nftnl_table *t = nftnl_table_alloc();
    if (t == NULL) return -ENOMEM;
    nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
    nftnl_table_nlmsg_build_payload(nlh, t);
    nftnl_table_free(t);
    int rc = run_dump(h, req, seq, table_cb, &out->table_handle);
    if (rc < 0) return rc;

    seq = h->seq++;
    nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETCHAIN, family, NLM_F_DUMP, seq);
    struct nftnl_chain *c = nftnl_chain_alloc();
    if (c == NULL) return -ENOMEM;
    nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
    nftnl_chain_nlmsg_build_payload(nlh, c);
    nftnl_chain_free(c);
    struct count_ctx chains = {table, &out->chains};
    if ((rc = run_dump(h, req, seq, count_chain_cb, &chains)) < 0) return rc;

    seq = h->seq++;
    nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETRULE, family, NLM_F_DUMP, seq);
    struct nftnl_rule *r = nftnl_rule_alloc();
    if (r == NULL) return -ENOMEM;
    nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
    nftnl_rule_nlmsg_build_payload(nlh, r);
    nftnl_rule_free(r);
    struct count_ctx rules = {table, &out->rules};
    if ((rc = run_dump(h, req, seq, count_rule_cb, &rules)) < 0) return rc;

    seq = h->seq++;
    nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETSET, family, NLM_F_DUMP, seq);
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return -ENOMEM;
    nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
    nftnl_set_nlmsg_build_payload(nlh, s);
    nftnl_set_free(s);
    struct count_ctx sets = {table, &out->sets};
    return run_dump(h, req, seq, count_set_cb, &sets);
}

struct names_ctx {
    const char *table;
    skiff_nftnl_name_fn fn;
    void *ctx;
};

static int set_name_cb(const struct nlmsghdr *nlh, void *raw) {
    struct names_ctx *n = raw;
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return MNL_CB_ERROR;
    if (nftnl_set_nlmsg_parse(nlh, s) == 0) {
        const char *name = nftnl_set_get_str(s, NFTNL_SET_NAME);
        const char *t = nftnl_set_get_str(s, NFTNL_SET_TABLE);
        if (name != NULL && t != NULL && strcmp(t, n->table) == 0) n->fn(n->ctx, name);
    }
    nftnl_set_free(s);
    return MNL_CB_OK;
}

int skiff_nftnl_set_names(skiff_nftnl *h, uint16_t family, const char *table,
                          skiff_nftnl_name_fn fn, void *ctx) {
    char req[MNL_SOCKET_BUFFER_SIZE];
    uint32_t seq = h->seq++;
    struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETSET, family, NLM_F_DUMP, seq);
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return -ENOMEM;
    nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
    nftnl_set_nlmsg_build_payload(nlh, s);
    nftnl_set_free(s);
    struct names_ctx n = {table, fn, ctx};
    return run_dump(h, req, seq, set_name_cb, &n);
}

struct dump_ctx {
    skiff_nftnl_elem_fn fn;
    void *ctx;
};

static int elems_cb(const struct nlmsghdr *nlh, void *raw) {
    struct dump_ctx *d = raw;
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return MNL_CB_ERROR;
    if (nftnl_set_elems_nlmsg_parse(nlh, s) < 0) {
        nftnl_set_free(s);
        return MNL_CB_ERROR;
    }
    struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
    if (it != NULL) {
        for (struct nftnl_set_elem *e = nftnl_set_elems_iter_next(it); e != NULL; e = nftnl_set_elems_iter_next(it)) {
            uint32_t klen = 0, dlen = 0;
            const uint8_t *key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &klen);
            const uint8_t *data = NULL;
            if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_DATA))
                data = nftnl_set_elem_get(e, NFTNL_SET_ELEM_DATA, &dlen);
            if (key != NULL) d->fn(d->ctx, key, klen, data, dlen);
        }
        nftnl_set_elems_iter_destroy(it);
    }
    nftnl_set_free(s);
    return MNL_CB_OK;
}

int skiff_nftnl_dump_set(skiff_nftnl *h, uint16_t family, const char *table, const char *set,
                         skiff_nftnl_elem_fn fn, void *ctx) {
    char req[MNL_SOCKET_BUFFER_SIZE];
    uint32_t seq = h->seq++;
    struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETSETELEM, family, NLM_F_DUMP | NLM_F_ACK, seq);
    struct nftnl_set *s = nftnl_set_alloc();
    if (s == NULL) return -ENOMEM;
    nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
    nftnl_set_set_str(s, NFTNL_SET_NAME, set);
    nftnl_set_elems_nlmsg_build_payload(nlh, s);
    nftnl_set_free(s);
    struct dump_ctx d = {fn, ctx};
    return run_dump(h, req, seq, elems_cb, &d);
}
