#ifndef SKIFF_NFTNL_H
#define SKIFF_NFTNL_H

#include <stddef.h>
#include <stdint.h>

/* nftables set elements over raw netlink (libnftnl + libmnl). Element
   changes are the dataplane's hot path: libnftables would re-read the
   ruleset cache and parse text for every command, this builds the messages
   directly. Keys and data arrive encoded (register layout, fields padded to
   4 bytes); no policy lives here. */

typedef struct skiff_nftnl skiff_nftnl;

/// Opens a NETLINK_NETFILTER socket in the namespace of `netns_fd` (< 0: the
/// caller's). The socket stays in that namespace whatever thread uses it.
/// Returns NULL with *err = errno.
skiff_nftnl *skiff_nftnl_open(int netns_fd, int *err);
void skiff_nftnl_close(skiff_nftnl *handle);

enum {
    SKIFF_NFTNL_ADD = 0,
    SKIFF_NFTNL_DELETE = 1,
    SKIFF_NFTNL_FLUSH = 2, ///< empties the set; key and data unused
};

struct skiff_nftnl_op {
    uint8_t op;
    const char *set;
    const uint8_t *key;
    uint32_t key_len;
    const uint8_t *data; ///< NULL for sets
    uint32_t data_len;
};

/// Applies `ops` as one transaction (all or nothing). Consecutive operations
/// of the same kind on the same set share one message. Returns 0, or -errno
/// with *failed set to the index of the first operation the kernel refused
/// (SIZE_MAX when the failure was not tied to one).
int skiff_nftnl_commit(skiff_nftnl *handle, uint16_t family, const char *table,
                       const struct skiff_nftnl_op *ops, size_t count, size_t *failed);

/// What identifies one incarnation of a table without reading its elements:
/// the kernel's handle for it and how many chains, rules and sets it holds.
struct skiff_nftnl_fingerprint {
    uint64_t table_handle;
    uint32_t chains;
    uint32_t rules;
    uint32_t sets;
};

/// Returns 0, -ENOENT when the table does not exist, or -errno.
int skiff_nftnl_fingerprint(skiff_nftnl *handle, uint16_t family, const char *table,
                            struct skiff_nftnl_fingerprint *out);

typedef void (*skiff_nftnl_name_fn)(void *ctx, const char *name);

/// Calls fn with the name of every set and map of the table (no elements).
/// Returns 0, -ENOENT when the table does not exist, or -errno.
int skiff_nftnl_set_names(skiff_nftnl *handle, uint16_t family, const char *table,
                          skiff_nftnl_name_fn fn, void *ctx);

typedef void (*skiff_nftnl_elem_fn)(void *ctx, const uint8_t *key, uint32_t key_len,
                                    const uint8_t *data, uint32_t data_len);

/// Calls fn for every element of one set (a dump: used only for the small,
/// kernel-filled affinity maps). Returns 0 or -errno.
int skiff_nftnl_dump_set(skiff_nftnl *handle, uint16_t family, const char *table, const char *set,
                         skiff_nftnl_elem_fn fn, void *ctx);

/* ---------- conntrack ---------- */

/// Deletes the conntrack entries of protocol `l4proto` whose original
/// destination is orig_dst:orig_dport (0 = any address / port) and whose reply
/// source is reply_src:reply_sport (0 = any), in the namespace of netns_fd
/// (< 0: the caller's). Addresses and ports in network byte order. Returns
/// how many were deleted, or -errno.
int skiff_ct_delete(int netns_fd, uint8_t l4proto, uint32_t orig_dst, uint16_t orig_dport,
                    uint32_t reply_src, uint16_t reply_sport);

#endif
