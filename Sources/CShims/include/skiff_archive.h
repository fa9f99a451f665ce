#ifndef SKIFF_ARCHIVE_H
#define SKIFF_ARCHIVE_H

#include <stddef.h>
#include <sys/types.h>

/// Options for skiff_archive_extract.
enum {
    /// Restore owner, permissions, times, xattrs and ACLs recorded in the
    /// archive (image layers). Without it files get the caller's owner and umask.
    SKIFF_ARCHIVE_RESTORE_METADATA = 1 << 0,
    /// Turn OCI whiteouts into overlayfs ones: `dir/.wh.name` becomes a 0:0
    /// character device `dir/name` (unless `name` already exists in this
    /// archive) and `dir/.wh..wh..opq` sets `trusted.overlay.opaque=y` on
    /// `dir`. `trusted.overlay.*` xattrs carried by entries are dropped.
    SKIFF_ARCHIVE_OVERLAY_WHITEOUTS = 1 << 1,
    /// Skip device nodes, FIFOs and sockets (image layout archives only
    /// ever need files, directories and symlinks).
    SKIFF_ARCHIVE_SKIP_SPECIAL = 1 << 2,
};

/// Extracts the tar archive at `archive_path` (plain, gzip, zstd, xz or bzip2)
/// into the existing directory `dest_dir`. Entries with an absolute path, a
/// `..` component, or a path that goes through a symlink are refused, so
/// nothing lands outside `dest_dir`. Safe to call from several threads: the
/// work runs on a private thread with its own cwd and umask. Returns 0, or
/// -1 with a message naming the entry written to `err`.
int skiff_archive_extract(const char *archive_path, const char *dest_dir, int options,
                          char *err, size_t err_len);

/// The decompressed bytes of a possibly compressed file (used to compute a
/// layer's diffID, the digest of its uncompressed tar).
typedef struct skiff_archive_stream skiff_archive_stream;

/// Opens `path` for decompressed reading; NULL with `err` filled on failure.
skiff_archive_stream *skiff_archive_stream_open(const char *path, char *err, size_t err_len);

/// Reads up to `len` decompressed bytes. Returns the count, 0 at the end, or
/// -1 with `err` filled.
ssize_t skiff_archive_stream_read(skiff_archive_stream *stream, void *buf, size_t len,
                                  char *err, size_t err_len);

/// Closes a stream from skiff_archive_stream_open (NULL is ignored).
void skiff_archive_stream_close(skiff_archive_stream *stream);

/// syncfs(2), which Swift's Glibc module does not export: one flush for all
/// the files of freshly extracted layers before they are published.
int skiff_archive_syncfs(int fd);

#endif
