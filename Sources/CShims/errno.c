#include <string.h>
#include "skiff_errno.h"

const char *skiff_errno_name(int err) {
    return strerrorname_np(err);
}
