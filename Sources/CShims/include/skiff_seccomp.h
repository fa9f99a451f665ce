#ifndef SKIFF_SECCOMP_H
#define SKIFF_SECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/*
 * Seccomp filters are compiled in the parent with libseccomp and exported as
 * raw classic BPF. The cloned child, where malloc and libseccomp are unsafe,
 * only hands the ready program to the kernel (prctl(PR_SET_SECCOMP) in spawn.c).
 *
 * Actions are the kernel's SECCOMP_RET_* words, which libseccomp's SCMP_ACT_*
 * equal: allow 0x7fff0000, errno(e) 0x00050000|e, kill-thread 0, kill-process
 * 0x80000000, trap 0x00030000, trace(m) 0x7ff00000|m, log 0x7ffc0000.
 */

/// Comparison operators; the values equal libseccomp's SCMP_CMP_* (checked at
/// compile time in seccomp.c) so Swift needs no libseccomp header.
enum {
    SKIFF_SECCOMP_CMP_NE = 1,
    SKIFF_SECCOMP_CMP_LT = 2,
    SKIFF_SECCOMP_CMP_LE = 3,
    SKIFF_SECCOMP_CMP_EQ = 4,
    SKIFF_SECCOMP_CMP_GE = 5,
    SKIFF_SECCOMP_CMP_GT = 6,
    SKIFF_SECCOMP_CMP_MASKED_EQ = 7,
};

/// One argument comparison. For MASKED_EQ, `value` is the mask and
/// `value_two` the expected result of `arg & mask` (as in the OCI spec).
struct skiff_seccomp_arg {
    uint32_t index;
    uint32_t op;
    uint64_t value;
    uint64_t value_two;
};

/// One rule for one syscall name; all `args` must match (logical AND).
struct skiff_seccomp_rule {
    const char *name;
    uint32_t action;
    uint32_t nargs;
    const struct skiff_seccomp_arg *args;
};

/// Compiles `rules` into `out` (out->filter is malloc'ed; free it with
/// skiff_seccomp_release). `arches` are libseccomp architecture names
/// ("x86", "x32", "aarch64") added beside the native one. Syscall names this
/// libseccomp does not know are skipped, so a newer profile still loads; a rule
/// whose action equals the default is skipped (libseccomp rejects it).
/// Returns 0, or -errno with a message naming the failing step in errbuf.
int skiff_seccomp_compile(uint32_t default_action,
                          const char *const *arches, size_t narches,
                          const struct skiff_seccomp_rule *rules, size_t nrules,
                          struct sock_fprog *out, char *errbuf, size_t errlen);

/// Compiles the built-in default profile (Docker/moby's default allowlist,
/// default action ERRNO(EPERM), native arch plus its compat arches). Groups that
/// moby gates on a capability are included when that capability's bit is set
/// in `capabilities` (bit n = capability n, e.g. bit 21 = CAP_SYS_ADMIN).
int skiff_seccomp_compile_default(uint64_t capabilities, struct sock_fprog *out,
                                  char *errbuf, size_t errlen);

/// Frees a program produced by the compile functions and zeroes `prog`.
void skiff_seccomp_release(struct sock_fprog *prog);

#endif
