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

#endif
