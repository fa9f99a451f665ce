#ifndef SKIFF_NETLINK_H
#define SKIFF_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/*
 * rtnetlink over libmnl, for pod networking. Thin by design: these functions
 * encode and send the messages Swift asks for and decode the replies; which
 * links, addresses and routes a pod gets is decided in Swift.
 *
 * A netlink socket talks to the network namespace it was created in, for its
 * whole life. skiff_nl_open creates it on a short-lived thread that has
 * setns'd into the target namespace, so the calling thread never changes
 * namespace.
 *
 * Changes are queued and sent together: each skiff_nl_link_* / _addr_* /
 * _route_* call appends one message to the handle's batch (libmnl
 * mnl_nlmsg_batch) and skiff_nl_commit sends them in a single sendmsg and
 * collects one ACK per message. The kernel runs the messages in order and
 * keeps going after a failure, so the first failing message is reported.
 *
 * IPv4 addresses are uint32_t in network byte order (in_addr.s_addr).
 * Links are named by `index` when it is > 0, otherwise by `name`.
 */

/// A handle: one NETLINK_ROUTE socket plus its batch and receive buffers.
/// Not thread-safe; the Swift owner serialises access.
typedef struct skiff_nl skiff_nl;

/// Why a request failed.
struct skiff_nl_error {
    int err;            ///< positive errno
    int index;          ///< failing message in the committed batch, or -1 for a local step
    char step[32];      ///< the local step when index is -1 ("setns", "socket", "sendto", ...)
    char message[256];  ///< the kernel's extended-ACK text, when it sent one
};

/// Opens a NETLINK_ROUTE socket in the network namespace of `netns_fd` (an
/// nsfs file such as /run/netns/x), or in the caller's when `netns_fd` < 0.
/// Returns NULL with `error` filled on failure.
skiff_nl *skiff_nl_open(int netns_fd, struct skiff_nl_error *error);

/// Closes the socket and frees the handle (NULL is ignored).
void skiff_nl_close(skiff_nl *nl);

/// Drops the queued messages without sending them.
void skiff_nl_discard(skiff_nl *nl);

/// Sends the queued messages in one sendmsg and waits for every ACK.
/// Returns 0, or -1 with `error` naming the first failing message by index.
/// The batch is empty afterwards either way.
int skiff_nl_commit(skiff_nl *nl, struct skiff_nl_error *error);

/* ---------- queued link changes: 0, or -ENOBUFS (batch full) / -EINVAL ---------- */

/// RTM_NEWLINK kind "bridge", created exclusively (EEXIST when the name is taken).
/// `mtu` 0 keeps the kernel default.
int skiff_nl_link_add_bridge(skiff_nl *nl, const char *name, uint32_t mtu);

/// A veth pair in one RTM_NEWLINK. The peer is created directly inside
/// `peer_netns_fd` (IFLA_NET_NS_FD in the VETH_INFO_PEER nest) so it never
/// needs a move; its name only has to be unique there.
struct skiff_nl_veth {
    const char *name;      ///< the end in the socket's namespace
    const char *peer_name; ///< the other end, in peer_netns_fd's namespace
    int peer_netns_fd;     ///< < 0: the peer stays in the socket's namespace
    uint32_t mtu;          ///< both ends; 0 keeps the default
    int master_index;      ///< > 0: enslave `name` to this bridge at creation
    int up;                ///< bring `name` up at creation
    int peer_up;           ///< bring the peer up at creation
};
int skiff_nl_link_add_veth(skiff_nl *nl, const struct skiff_nl_veth *veth);

/// Sets IFF_UP (up != 0) or clears it.
int skiff_nl_link_set_up(skiff_nl *nl, int index, const char *name, int up);

/// Sets IFLA_MTU.
int skiff_nl_link_set_mtu(skiff_nl *nl, int index, const char *name, uint32_t mtu);

/// Sets IFLA_MASTER; 0 releases the link from its master.
int skiff_nl_link_set_master(skiff_nl *nl, int index, const char *name, int master_index);

/// Sets the bridge port's hairpin mode (IFLA_BRPORT_MODE): a frame may go
/// back out of the port it came in by. A pod reaching itself through a
/// Service needs it once br_netfilter DNATs at the bridge.
int skiff_nl_link_set_hairpin(skiff_nl *nl, int index, const char *name, int on);

/// Renames link `index` (the kernel refuses while it is up: EBUSY).
int skiff_nl_link_rename(skiff_nl *nl, int index, const char *new_name);

/// RTM_DELLINK; deleting either end of a veth pair removes both.
int skiff_nl_link_delete(skiff_nl *nl, int index, const char *name);

/* ---------- queued IPv4 address and route changes ---------- */

/// RTM_NEWADDR (exclusive) or RTM_DELADDR of `address`/`prefix_len` on link
/// `index`; `broadcast` 0 sets none.
int skiff_nl_addr_add(skiff_nl *nl, int index, uint32_t address, uint8_t prefix_len, uint32_t broadcast);
int skiff_nl_addr_delete(skiff_nl *nl, int index, uint32_t address, uint8_t prefix_len);

/// RTM_NEWROUTE (exclusive) / RTM_DELROUTE in the main table. `gateway` 0
/// means a directly connected route (scope link) through `oif`; otherwise a
/// gatewayed route (scope universe), through `oif` when it is > 0.
/// dst_len 0 is the default route.
int skiff_nl_route_add(skiff_nl *nl, uint32_t dst, uint8_t dst_len, uint32_t gateway, int oif);
int skiff_nl_route_delete(skiff_nl *nl, uint32_t dst, uint8_t dst_len, uint32_t gateway, int oif);

/* ---------- queries: sent at once; the batch must be empty (else EBUSY) ---------- */

/// One link as RTM_NEWLINK describes it.
struct skiff_nl_link {
    int32_t index;
    uint32_t flags;     ///< IFF_* (IFF_UP = 0x1, IFF_LOWER_UP = 0x10000)
    uint32_t mtu;
    int32_t master;     ///< bridge index, 0 when not enslaved
    int32_t link;       ///< IFLA_LINK: a veth's peer index (in the peer's namespace), 0 when none
    uint8_t operstate;  ///< IF_OPER_* (6 = up)
    char name[16];
    char kind[16];      ///< IFLA_INFO_KIND ("bridge", "veth"), empty for loopback and hardware
};

/// One IPv4 address.
struct skiff_nl_addr {
    int32_t index;
    uint8_t prefix_len;
    uint8_t scope;
    uint32_t address;
    uint32_t broadcast; ///< 0 when none
    char label[16];
};

/// One IPv4 route (every table; `table` says which).
struct skiff_nl_route {
    uint32_t table;     ///< 254 = main, 255 = local
    uint32_t dst;
    uint8_t dst_len;
    uint8_t protocol;
    uint8_t scope;
    uint8_t type;       ///< RTN_* (1 = unicast, 2 = local, 3 = broadcast)
    uint32_t gateway;   ///< 0 when directly connected
    uint32_t prefsrc;
    int32_t oif;
};

/// RTM_GETLINK for one link. Returns 0, or -1 with `error` (ENODEV when absent).
int skiff_nl_link_get(skiff_nl *nl, int index, const char *name, struct skiff_nl_link *out,
                      struct skiff_nl_error *error);

/// Dumps. On success *out is a malloc'ed array of *count entries (free it
/// with free()); a dump the kernel marks interrupted is retried.
int skiff_nl_link_list(skiff_nl *nl, struct skiff_nl_link **out, size_t *count, struct skiff_nl_error *error);
int skiff_nl_addr_list(skiff_nl *nl, struct skiff_nl_addr **out, size_t *count, struct skiff_nl_error *error);
int skiff_nl_route_list(skiff_nl *nl, struct skiff_nl_route **out, size_t *count, struct skiff_nl_error *error);

/* ---------- running code inside a network namespace ---------- */

/// Runs fn(arg) on a short-lived pthread that has setns'd into the network
/// namespace of `netns_fd`, and waits for it. Files opened there see that
/// namespace's view (/proc/sys/net follows the opening task's namespace).
/// Returns 0, or -errno: EBADF for a negative fd (never the caller's own
/// namespace by accident), or the error of pthread_create / setns.
int skiff_netns_run(int netns_fd, void (*fn)(void *arg), void *arg);

#endif
