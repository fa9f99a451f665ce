/*
 * Capabilities: libcap name lookups for the parent. No policy: which
 * capabilities a container gets is decided in Swift.
 */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>

#include "skiff_caps.h"

int skiff_cap_from_name(const char *name) {
    cap_value_t value = 0;
    if (name == NULL || cap_from_name(name, &value) != 0 || value < 0) {
        return -EINVAL;
    }
    return (int)value;
}

int skiff_cap_name(int cap, char *buf, size_t len) {
    if (cap < 0 || buf == NULL || len == 0) {
        return -EINVAL;
    }
    char *name = cap_to_name((cap_value_t)cap);
    if (name == NULL) {
        return errno != 0 ? -errno : -ENOMEM;
    }
    size_t n = strlen(name);
    int rc = n < len ? 0 : -ERANGE;
    if (rc == 0) {
        memcpy(buf, name, n + 1);
    }
    cap_free(name);
    return rc;
}

int skiff_cap_last_cap(void) {
    /* libcap probes the running kernel (PR_CAPBSET_READ) when it loads. */
    return (int)cap_max_bits() - 1;
}
