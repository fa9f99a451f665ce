#ifndef SKIFF_NFTABLES_H
#define SKIFF_NFTABLES_H

#include <stddef.h>

/// Runs an nftables script (the `nft -f` language) through libnftables, in
/// the network namespace at `netns_path` (NULL: the caller's), as one atomic
/// transaction: the kernel applies all of it or none. With a namespace the
/// work happens on skiff_netns_run's short-lived thread, so the caller's
/// threads stay where they are. Returns 0, or -1 with libnftables' message
/// (or the failing step and errno) in `err`.
int skiff_nft_run(const char *netns_path, const char *script, char *err, size_t errlen);

/// A libnftables context kept open. Creating and freeing one per transaction
/// costs ~20 ms: closing its netlink socket waits for nf_tables' deferred
/// cleanup (an RCU grace period). The context, and with it its socket, is
/// made on a thread inside `netns_path` (NULL: the caller's namespace), so
/// every later run programs that namespace from whatever thread calls it.
/// One caller at a time.
typedef struct skiff_nft_session skiff_nft_session;

/// Returns NULL with the failing step in `err`.
skiff_nft_session *skiff_nft_session_open(const char *netns_path, char *err, size_t errlen);

/// As skiff_nft_run, on the session's context.
int skiff_nft_session_run(skiff_nft_session *session, const char *script, char *err, size_t errlen);

void skiff_nft_session_close(skiff_nft_session *session);

#endif
