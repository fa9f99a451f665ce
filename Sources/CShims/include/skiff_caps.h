#ifndef SKIFF_CAPS_H
#define SKIFF_CAPS_H

#include <stddef.h>

/*
 * Capabilities travel as 64-bit masks (bit n = capability n). libcap is used
 * in the parent only, to map names to numbers; the cloned child applies the
 * masks with raw capset/prctl (spawn.c), where libcap's allocations are unsafe.
 */

/// Capability number for a name such as "CAP_NET_ADMIN" (case-insensitive,
/// prefix required), or -EINVAL when libcap does not know it.
int skiff_cap_from_name(const char *name);

/// Writes libcap's name for `cap` ("cap_net_admin", or the number when libcap
/// has no name) into buf. Returns 0, -EINVAL or -ERANGE (buf too small).
int skiff_cap_name(int cap, char *buf, size_t len);

/// The running kernel's highest capability number (40 on Linux 5.9+).
int skiff_cap_last_cap(void);

#endif
