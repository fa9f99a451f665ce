// rtnetlink over libmnl: encodes the link, address and route messages Swift
// asks for, sends them batched on a socket that lives in the target network
// namespace, and decodes ACKs and dumps. No policy lives here.

#include <net/if.h> // before the linux/ headers, which defer to it for IFF_* and IFNAMSIZ
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>

#include "skiff_netlink.h"

/// Queued messages stop at this many bytes; the buffer is twice as large, as
/// mnl_nlmsg_batch requires. A message is never larger than MSG_MAX (names
/// are bounded by IFNAMSIZ), so a batch of ~30 requests fits.
enum { BATCH_LIMIT = 8192, MSG_MAX = 512, RECV_SIZE = 32768, DUMP_RETRIES = 5, ATTR_TABLE_SIZE = 128 };

struct skiff_nl {
    struct mnl_socket *sock;
    uint32_t seq;    ///< sequence number of the first queued message
    int queued;
    struct mnl_nlmsg_batch *batch;
    char batch_buf[2 * BATCH_LIMIT];
    char recv_buf[RECV_SIZE];
};

/* ---------- errors ---------- */

static void error_clear(struct skiff_nl_error *error) {
    memset(error, 0, sizeof(*error));
    error->index = -1;
}

static int local_error(struct skiff_nl_error *error, const char *step, int err) {
    error->err = err;
    error->index = -1;
    snprintf(error->step, sizeof(error->step), "%s", step);
    return -1;
}

static int extack_attr_cb(const struct nlattr *attr, void *data) {
    if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
        snprintf(data, 256, "%s", mnl_attr_get_str(attr));
    }
    return MNL_CB_OK;
}

/// Copies the kernel's extended-ACK text (NLMSGERR_ATTR_MSG) of an error message.
static void copy_extack(const struct nlmsghdr *nlh, char message[256]) {
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return;
    const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
    size_t offset = sizeof(*e);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
        if (e->msg.nlmsg_len < sizeof(struct nlmsghdr)) return;
        offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
    }
    if (offset >= mnl_nlmsg_get_payload_len(nlh)) return;
    mnl_attr_parse(nlh, (unsigned)offset, extack_attr_cb, message);
}

/* ---------- socket ---------- */

/// Creates and binds the socket on the calling thread, in its network namespace.
static int open_socket(skiff_nl *nl, struct skiff_nl_error *error) {
    nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (nl->sock == NULL) return local_error(error, "socket(NETLINK_ROUTE)", errno);
    if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) return local_error(error, "bind", errno);
    // Best effort: error text from the kernel, and ACKs without the echoed request.
    int on = 1;
    mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &on, sizeof(on));
    mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &on, sizeof(on));
    // A lost ACK must not hang the caller forever.
    struct timeval timeout = {.tv_sec = 30};
    setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    return 0;
}

struct netns_job {
    int fd;
    void (*fn)(void *);
    void *arg;
    int err;
    const char *step;
};

static void *netns_thread(void *raw) {
    struct netns_job *job = raw;
    if (setns(job->fd, CLONE_NEWNET) < 0) {
        job->err = errno;
        job->step = "setns(CLONE_NEWNET)";
        return NULL;
    }
    job->fn(job->arg);
    return NULL;
}

static int netns_run(struct netns_job *job) {
    if (job->fd < 0) {
        job->err = EBADF;
        job->step = "setns(CLONE_NEWNET)";
        return -EBADF;
    }
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, netns_thread, job);
    if (rc != 0) {
        job->err = rc;
        job->step = "pthread_create";
        return -rc;
    }
    pthread_join(thread, NULL);
    return -job->err;
}

int skiff_netns_run(int netns_fd, void (*fn)(void *arg), void *arg) {
    struct netns_job job = {netns_fd, fn, arg, 0, NULL};
    return netns_run(&job);
}

struct open_args {
    skiff_nl *nl;
    struct skiff_nl_error *error;
    int rc;
};

static void open_in_netns(void *raw) {
    struct open_args *args = raw;
    args->rc = open_socket(args->nl, args->error);
}

skiff_nl *skiff_nl_open(int netns_fd, struct skiff_nl_error *error) {
    error_clear(error);
    skiff_nl *nl = calloc(1, sizeof(*nl));
    if (nl == NULL) {
        local_error(error, "calloc", ENOMEM);
        return NULL;
    }
    nl->seq = 1;
    nl->batch = mnl_nlmsg_batch_start(nl->batch_buf, BATCH_LIMIT);
    if (nl->batch == NULL) {
        local_error(error, "mnl_nlmsg_batch_start", ENOMEM);
        free(nl);
        return NULL;
    }
    int rc;
    if (netns_fd < 0) {
        rc = open_socket(nl, error);
    } else {
        struct open_args args = {nl, error, 0};
        struct netns_job job = {netns_fd, open_in_netns, &args, 0, NULL};
        rc = netns_run(&job) < 0 ? local_error(error, job.step, job.err) : args.rc;
    }
    if (rc < 0) {
        skiff_nl_close(nl);
        return NULL;
    }
    return nl;
}

void skiff_nl_close(skiff_nl *nl) {
    if (nl == NULL) return;
    if (nl->sock != NULL) mnl_socket_close(nl->sock);
    if (nl->batch != NULL) mnl_nlmsg_batch_stop(nl->batch);
    free(nl);
}

/* ---------- batch ---------- */

void skiff_nl_discard(skiff_nl *nl) {
    mnl_nlmsg_batch_reset(nl->batch);
    nl->seq += (uint32_t)nl->queued;
    nl->queued = 0;
}

static int valid_name(const char *name) {
    if (name == NULL) return 0;
    size_t len = strlen(name);
    return len > 0 && len < IFNAMSIZ;
}

/// Starts the next queued message, or NULL when the batch has no room for one.
static struct nlmsghdr *msg_begin(skiff_nl *nl, uint16_t type, uint16_t flags) {
    if (mnl_nlmsg_batch_size(nl->batch) + MSG_MAX > BATCH_LIMIT) return NULL;
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(nl->batch));
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    nlh->nlmsg_seq = nl->seq + (uint32_t)nl->queued;
    return nlh;
}

/// Closes the message msg_begin started; MSG_MAX keeps it inside the limit.
static int msg_end(skiff_nl *nl) {
    mnl_nlmsg_batch_next(nl->batch);
    nl->queued++;
    return 0;
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index) {
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = index > 0 ? index : 0;
    return ifm;
}

/// Starts a link-change message naming its link by index, or by IFLA_IFNAME.
/// Returns 0, -EINVAL or -ENOBUFS.
static int link_change_begin(skiff_nl *nl, uint16_t type, int index, const char *name, struct nlmsghdr **nlh,
                             struct ifinfomsg **ifm) {
    if (index <= 0 && !valid_name(name)) return -EINVAL;
    *nlh = msg_begin(nl, type, 0);
    if (*nlh == NULL) return -ENOBUFS;
    *ifm = put_ifinfo(*nlh, index);
    if (index <= 0) mnl_attr_put_strz(*nlh, IFLA_IFNAME, name);
    return 0;
}

int skiff_nl_link_add_bridge(skiff_nl *nl, const char *name, uint32_t mtu) {
    if (!valid_name(name)) return -EINVAL;
    struct nlmsghdr *nlh = msg_begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    if (nlh == NULL) return -ENOBUFS;
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    if (mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
    mnl_attr_nest_end(nlh, info);
    return msg_end(nl);
}

int skiff_nl_link_add_veth(skiff_nl *nl, const struct skiff_nl_veth *veth) {
    if (!valid_name(veth->name) || !valid_name(veth->peer_name)) return -EINVAL;
    struct nlmsghdr *nlh = msg_begin(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    if (nlh == NULL) return -ENOBUFS;
    struct ifinfomsg *ifm = put_ifinfo(nlh, 0);
    if (veth->up) {
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;
    }
    mnl_attr_put_strz(nlh, IFLA_IFNAME, veth->name);
    if (veth->mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, veth->mtu);
    if (veth->master_index > 0) mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)veth->master_index);

    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    // VETH_INFO_PEER carries a whole ifinfomsg before the peer's attributes.
    struct ifinfomsg *peer_ifm = mnl_nlmsg_get_payload_tail(nlh);
    memset(peer_ifm, 0, NLMSG_ALIGN(sizeof(*peer_ifm)));
    nlh->nlmsg_len += NLMSG_ALIGN(sizeof(*peer_ifm));
    peer_ifm->ifi_family = AF_UNSPEC;
    if (veth->peer_up) {
        peer_ifm->ifi_flags = IFF_UP;
        peer_ifm->ifi_change = IFF_UP;
    }
    mnl_attr_put_strz(nlh, IFLA_IFNAME, veth->peer_name);
    if (veth->mtu > 0) mnl_attr_put_u32(nlh, IFLA_MTU, veth->mtu);
    if (veth->peer_netns_fd >= 0) mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)veth->peer_netns_fd);
    mnl_attr_nest_end(nlh, peer);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return msg_end(nl);
}

int skiff_nl_link_set_up(skiff_nl *nl, int index, const char *name, int up) {
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int rc = link_change_begin(nl, RTM_NEWLINK, index, name, &nlh, &ifm);
    if (rc < 0) return rc;
    ifm->ifi_change = IFF_UP;
    ifm->ifi_flags = up ? IFF_UP : 0;
    return msg_end(nl);
}

int skiff_nl_link_set_mtu(skiff_nl *nl, int index, const char *name, uint32_t mtu) {
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int rc = link_change_begin(nl, RTM_NEWLINK, index, name, &nlh, &ifm);
    if (rc < 0) return rc;
    mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    return msg_end(nl);
}

int skiff_nl_link_set_master(skiff_nl *nl, int index, const char *name, int master_index) {
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int rc = link_change_begin(nl, RTM_NEWLINK, index, name, &nlh, &ifm);
    if (rc < 0) return rc;
    mnl_attr_put_u32(nlh, IFLA_MASTER, master_index > 0 ? (uint32_t)master_index : 0);
    return msg_end(nl);
}

int skiff_nl_link_set_hairpin(skiff_nl *nl, int index, const char *name, int on) {
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int rc = link_change_begin(nl, RTM_NEWLINK, index, name, &nlh, &ifm);
    if (rc < 0) return rc;
    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, on ? 1 : 0);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return msg_end(nl);
}

int skiff_nl_link_rename(skiff_nl *nl, int index, const char *new_name) {
    if (index <= 0 || !valid_name(new_name)) return -EINVAL;
    struct nlmsghdr *nlh = msg_begin(nl, RTM_NEWLINK, 0);
    if (nlh == NULL) return -ENOBUFS;
    put_ifinfo(nlh, index);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
    return msg_end(nl);
}

int skiff_nl_link_delete(skiff_nl *nl, int index, const char *name) {
    struct nlmsghdr *nlh;
    struct ifinfomsg *ifm;
    int rc = link_change_begin(nl, RTM_DELLINK, index, name, &nlh, &ifm);
    if (rc < 0) return rc;
    return msg_end(nl);
}

static int addr_message(skiff_nl *nl, uint16_t type, uint16_t flags, int index, uint32_t address,
                        uint8_t prefix_len, uint32_t broadcast) {
    if (index <= 0 || prefix_len > 32) return -EINVAL;
    struct nlmsghdr *nlh = msg_begin(nl, type, flags);
    if (nlh == NULL) return -ENOBUFS;
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = prefix_len;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = (uint32_t)index;
    mnl_attr_put_u32(nlh, IFA_LOCAL, address);
    mnl_attr_put_u32(nlh, IFA_ADDRESS, address);
    if (broadcast != 0) mnl_attr_put_u32(nlh, IFA_BROADCAST, broadcast);
    return msg_end(nl);
}

int skiff_nl_addr_add(skiff_nl *nl, int index, uint32_t address, uint8_t prefix_len, uint32_t broadcast) {
    return addr_message(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, address, prefix_len, broadcast);
}

int skiff_nl_addr_delete(skiff_nl *nl, int index, uint32_t address, uint8_t prefix_len) {
    return addr_message(nl, RTM_DELADDR, 0, index, address, prefix_len, 0);
}

static int route_message(skiff_nl *nl, uint16_t type, uint16_t flags, uint32_t dst, uint8_t dst_len,
                         uint32_t gateway, int oif) {
    if (dst_len > 32 || (gateway == 0 && oif <= 0)) return -EINVAL;
    struct nlmsghdr *nlh = msg_begin(nl, type, flags);
    if (nlh == NULL) return -ENOBUFS;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = dst_len;
    rtm->rtm_table = RT_TABLE_MAIN;
    if (type == RTM_NEWROUTE) {
        rtm->rtm_protocol = RTPROT_STATIC;
        rtm->rtm_scope = gateway != 0 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
        rtm->rtm_type = RTN_UNICAST;
    } else {
        // Match whatever scope, type and protocol the route was added with.
        rtm->rtm_scope = RT_SCOPE_NOWHERE;
    }
    if (dst_len > 0) mnl_attr_put_u32(nlh, RTA_DST, dst);
    if (gateway != 0) mnl_attr_put_u32(nlh, RTA_GATEWAY, gateway);
    if (oif > 0) mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
    return msg_end(nl);
}

int skiff_nl_route_add(skiff_nl *nl, uint32_t dst, uint8_t dst_len, uint32_t gateway, int oif) {
    return route_message(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, dst, dst_len, gateway, oif);
}

int skiff_nl_route_delete(skiff_nl *nl, uint32_t dst, uint8_t dst_len, uint32_t gateway, int oif) {
    return route_message(nl, RTM_DELROUTE, 0, dst, dst_len, gateway, oif);
}

/// Receives one datagram, retrying on EINTR.
static ssize_t receive(skiff_nl *nl) {
    ssize_t len;
    do {
        len = mnl_socket_recvfrom(nl->sock, nl->recv_buf, sizeof(nl->recv_buf));
    } while (len < 0 && errno == EINTR);
    return len;
}

int skiff_nl_commit(skiff_nl *nl, struct skiff_nl_error *error) {
    error_clear(error);
    int count = nl->queued;
    uint32_t base = nl->seq;
    if (count == 0) return 0;
    ssize_t sent = mnl_socket_sendto(nl->sock, mnl_nlmsg_batch_head(nl->batch), mnl_nlmsg_batch_size(nl->batch));
    int send_errno = errno;
    skiff_nl_discard(nl);
    if (sent < 0) return local_error(error, "sendto", send_errno);

    int acks = 0;
    int first = -1;
    while (acks < count) {
        ssize_t len = receive(nl);
        if (len < 0) {
            if (first >= 0) return -1; // report the kernel's error rather than the lost rest
            return local_error(error, "recvfrom", errno);
        }
        int remaining = (int)len;
        for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->recv_buf; mnl_nlmsg_ok(nlh, remaining);
             nlh = mnl_nlmsg_next(nlh, &remaining)) {
            uint32_t index = nlh->nlmsg_seq - base; // stale replies of an earlier batch fall outside
            if (index >= (uint32_t)count || nlh->nlmsg_type != NLMSG_ERROR) continue;
            if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr)) continue;
            acks++;
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
            if (e->error != 0 && (first < 0 || (int)index < first)) {
                first = (int)index;
                error->err = -e->error;
                error->index = first;
                error->message[0] = 0;
                copy_extack(nlh, error->message);
            }
        }
    }
    return first >= 0 ? -1 : 0;
}

/* ---------- queries ---------- */

typedef int (*reply_cb)(const struct nlmsghdr *nlh, void *data);

/// Sends one GET request (built in `request`) and feeds each reply to `cb`
/// until the dump ends, the single reply arrived, or the kernel reports an
/// error. Sets *interrupted when the kernel flags the dump as inconsistent.
static int transact(skiff_nl *nl, struct nlmsghdr *request, int dump, reply_cb cb, void *data,
                    int *interrupted, struct skiff_nl_error *error) {
    if (nl->queued > 0) return local_error(error, "query with changes queued", EBUSY);
    uint32_t seq = nl->seq++;
    request->nlmsg_seq = seq;
    request->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
    if (mnl_socket_sendto(nl->sock, request, request->nlmsg_len) < 0) return local_error(error, "sendto", errno);
    int cb_err = 0;
    for (;;) {
        ssize_t len = receive(nl);
        if (len < 0) return local_error(error, "recvfrom", errno);
        int remaining = (int)len;
        for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->recv_buf; mnl_nlmsg_ok(nlh, remaining);
             nlh = mnl_nlmsg_next(nlh, &remaining)) {
            if (nlh->nlmsg_seq != seq) continue;
            if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) *interrupted = 1;
            if (nlh->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
                if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e) || e->error == 0) {
                    return cb_err ? local_error(error, "decode reply", cb_err) : 0;
                }
                error->err = -e->error;
                error->index = 0;
                copy_extack(nlh, error->message);
                return -1;
            }
            if (nlh->nlmsg_type == NLMSG_DONE) {
                if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
                    int status = *(const int *)mnl_nlmsg_get_payload(nlh);
                    if (status < 0) {
                        error->err = -status;
                        error->index = 0;
                        return -1;
                    }
                }
                return cb_err ? local_error(error, "decode reply", cb_err) : 0;
            }
            if (cb_err == 0) cb_err = cb(nlh, data);
            if (!dump) return cb_err ? local_error(error, "decode reply", cb_err) : 0;
        }
    }
}

/// A growable array of fixed-size entries for dump results.
struct entries {
    void *items;
    size_t count, capacity, size;
};

static void *entries_add(struct entries *list) {
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        void *items = realloc(list->items, capacity * list->size);
        if (items == NULL) return NULL;
        list->items = items;
        list->capacity = capacity;
    }
    void *item = (char *)list->items + list->count * list->size;
    memset(item, 0, list->size);
    list->count++;
    return item;
}

/// Attributes of one message by type; types this build does not know are skipped.
struct attr_table {
    const struct nlattr *tb[ATTR_TABLE_SIZE];
};
_Static_assert(IFLA_MAX < ATTR_TABLE_SIZE && IFA_MAX < ATTR_TABLE_SIZE && RTA_MAX < ATTR_TABLE_SIZE &&
                   IFLA_INFO_MAX < ATTR_TABLE_SIZE,
               "attribute table too small");

static int table_attr_cb(const struct nlattr *attr, void *data) {
    struct attr_table *table = data;
    uint16_t type = mnl_attr_get_type(attr);
    if (type < ATTR_TABLE_SIZE) table->tb[type] = attr;
    return MNL_CB_OK;
}

static int attr_u32(const struct nlattr *attr, uint32_t *out) {
    if (attr == NULL || mnl_attr_validate(attr, MNL_TYPE_U32) < 0) return 0;
    *out = mnl_attr_get_u32(attr);
    return 1;
}

static void attr_str(const struct nlattr *attr, char *out, size_t len) {
    if (attr != NULL && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
        snprintf(out, len, "%s", mnl_attr_get_str(attr));
    }
}

static int decode_link(const struct nlmsghdr *nlh, struct skiff_nl_link *out) {
    if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg)) return EPROTO;
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
    struct attr_table table = {0};
    mnl_attr_parse(nlh, sizeof(*ifm), table_attr_cb, &table);
    memset(out, 0, sizeof(*out));
    out->index = ifm->ifi_index;
    out->flags = ifm->ifi_flags;
    uint32_t value;
    if (attr_u32(table.tb[IFLA_MTU], &value)) out->mtu = value;
    if (attr_u32(table.tb[IFLA_MASTER], &value)) out->master = (int32_t)value;
    if (attr_u32(table.tb[IFLA_LINK], &value)) out->link = (int32_t)value;
    if (table.tb[IFLA_OPERSTATE] != NULL && mnl_attr_validate(table.tb[IFLA_OPERSTATE], MNL_TYPE_U8) == 0) {
        out->operstate = mnl_attr_get_u8(table.tb[IFLA_OPERSTATE]);
    }
    attr_str(table.tb[IFLA_IFNAME], out->name, sizeof(out->name));
    if (table.tb[IFLA_LINKINFO] != NULL && mnl_attr_validate(table.tb[IFLA_LINKINFO], MNL_TYPE_NESTED) == 0) {
        struct attr_table info = {0};
        mnl_attr_parse_nested(table.tb[IFLA_LINKINFO], table_attr_cb, &info);
        attr_str(info.tb[IFLA_INFO_KIND], out->kind, sizeof(out->kind));
    }
    return 0;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *data) {
    return decode_link(nlh, data);
}

static int link_list_cb(const struct nlmsghdr *nlh, void *data) {
    struct skiff_nl_link *link = entries_add(data);
    return link == NULL ? ENOMEM : decode_link(nlh, link);
}

static int addr_list_cb(const struct nlmsghdr *nlh, void *data) {
    if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifaddrmsg)) return EPROTO;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    if (ifa->ifa_family != AF_INET) return 0;
    struct attr_table table = {0};
    mnl_attr_parse(nlh, sizeof(*ifa), table_attr_cb, &table);
    struct skiff_nl_addr *addr = entries_add(data);
    if (addr == NULL) return ENOMEM;
    addr->index = (int32_t)ifa->ifa_index;
    addr->prefix_len = ifa->ifa_prefixlen;
    addr->scope = ifa->ifa_scope;
    if (!attr_u32(table.tb[IFA_LOCAL], &addr->address)) attr_u32(table.tb[IFA_ADDRESS], &addr->address);
    attr_u32(table.tb[IFA_BROADCAST], &addr->broadcast);
    attr_str(table.tb[IFA_LABEL], addr->label, sizeof(addr->label));
    return 0;
}

static int route_list_cb(const struct nlmsghdr *nlh, void *data) {
    if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg)) return EPROTO;
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    if (rtm->rtm_family != AF_INET) return 0;
    struct attr_table table = {0};
    mnl_attr_parse(nlh, sizeof(*rtm), table_attr_cb, &table);
    struct skiff_nl_route *route = entries_add(data);
    if (route == NULL) return ENOMEM;
    route->table = rtm->rtm_table;
    attr_u32(table.tb[RTA_TABLE], &route->table);
    route->dst_len = rtm->rtm_dst_len;
    route->protocol = rtm->rtm_protocol;
    route->scope = rtm->rtm_scope;
    route->type = rtm->rtm_type;
    attr_u32(table.tb[RTA_DST], &route->dst);
    attr_u32(table.tb[RTA_GATEWAY], &route->gateway);
    attr_u32(table.tb[RTA_PREFSRC], &route->prefsrc);
    uint32_t oif;
    if (attr_u32(table.tb[RTA_OIF], &oif)) route->oif = (int32_t)oif;
    return 0;
}

int skiff_nl_link_get(skiff_nl *nl, int index, const char *name, struct skiff_nl_link *out,
                      struct skiff_nl_error *error) {
    error_clear(error);
    if (index <= 0 && !valid_name(name)) return local_error(error, "link name", EINVAL);
    char buf[MSG_MAX];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETLINK;
    put_ifinfo(nlh, index);
    if (index <= 0) mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    int interrupted = 0;
    return transact(nl, nlh, 0, link_get_cb, out, &interrupted, error);
}

/// Runs a dump into `list`, again from scratch while the kernel says it was
/// interrupted by a concurrent change.
static int dump(skiff_nl *nl, uint16_t type, size_t header_size, uint8_t family, reply_cb cb,
                struct entries *list, struct skiff_nl_error *error) {
    error_clear(error);
    for (int attempt = 0;; attempt++) {
        char buf[MSG_MAX];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = type;
        uint8_t *header = mnl_nlmsg_put_extra_header(nlh, header_size);
        header[0] = family; // every rtnetlink header starts with its family byte
        if (type == RTM_GETLINK) mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        int interrupted = 0;
        list->count = 0;
        if (transact(nl, nlh, 1, cb, list, &interrupted, error) < 0) break;
        if (!interrupted) return 0;
        if (attempt + 1 == DUMP_RETRIES) {
            local_error(error, "dump interrupted", EAGAIN);
            break;
        }
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
    return -1;
}

int skiff_nl_link_list(skiff_nl *nl, struct skiff_nl_link **out, size_t *count, struct skiff_nl_error *error) {
    struct entries list = {.size = sizeof(**out)};
    int rc = dump(nl, RTM_GETLINK, sizeof(struct ifinfomsg), AF_UNSPEC, link_list_cb, &list, error);
    *out = list.items;
    *count = list.count;
    return rc;
}

int skiff_nl_addr_list(skiff_nl *nl, struct skiff_nl_addr **out, size_t *count, struct skiff_nl_error *error) {
    struct entries list = {.size = sizeof(**out)};
    int rc = dump(nl, RTM_GETADDR, sizeof(struct ifaddrmsg), AF_INET, addr_list_cb, &list, error);
    *out = list.items;
    *count = list.count;
    return rc;
}

int skiff_nl_route_list(skiff_nl *nl, struct skiff_nl_route **out, size_t *count, struct skiff_nl_error *error) {
    struct entries list = {.size = sizeof(**out)};
    int rc = dump(nl, RTM_GETROUTE, sizeof(struct rtmsg), AF_INET, route_list_cb, &list, error);
    *out = list.items;
    *count = list.count;
    return rc;
}
