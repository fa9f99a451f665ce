#ifndef SKIFF_ERRNO_H
#define SKIFF_ERRNO_H

/// Symbolic name of an errno value ("EINVAL"), or NULL when unknown.
/// Wraps glibc's strerrorname_np, which Swift's Glibc module does not export.
const char *skiff_errno_name(int err);

#endif
