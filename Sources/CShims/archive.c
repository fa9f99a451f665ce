// Thin libarchive wrappers for the image store: extract a tar into a
// directory without letting any entry escape it, and stream decompressed
// bytes. Verification, naming and placement policy live in Swift.
//
// archive_write_disk is not safe in a multithreaded process: it resolves
// entry paths against the process-wide working directory and, for every
// entry, briefly sets the process-wide umask to 0 (libarchive issue #1876),
// which races with every other thread creating files. Extraction therefore
// runs on its own short-lived thread that first unshares its fs_struct
// (CLONE_FS: cwd, root, umask), so both stay private to that thread.
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "skiff_archive.h"

static const char WHITEOUT_PREFIX[] = ".wh.";
static const char OPAQUE_MARKER[] = ".wh..wh..opq";
static const char OVERLAY_XATTR_PREFIX[] = "trusted.overlay.";

struct skiff_archive_stream {
    struct archive *archive;
    int at_end;
};

static void set_error(char *err, size_t len, const char *fmt, ...) {
    if (err == NULL || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/// libarchive capitalises its messages ("Path contains '..'"); ours follow a
/// colon, so lower the first letter unless it starts an acronym.
static const char *archive_message(struct archive *a, char *buf, size_t len) {
    const char *msg = archive_error_string(a);
    if (msg == NULL) msg = "unknown libarchive error";
    snprintf(buf, len, "%s", msg);
    if (isupper((unsigned char)buf[0]) && islower((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

/// Why a member path may not be extracted, or NULL when it is fine.
/// libarchive's SECURE_* flags refuse the same entries; checking first gives
/// one consistent message naming the entry and the hard link target.
static const char *path_problem(const char *path) {
    if (path[0] == '\0') return "path is empty";
    if (path[0] == '/') return "path is absolute";
    for (const char *p = path; *p != '\0';) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') return "path contains '..'";
        if (slash == NULL) break;
        p = slash + 1;
    }
    return NULL;
}

/// Opens `rel` under `dir_fd` refusing symlinks and `..` on the way, so the
/// whiteout code never acts on something outside the destination.
static int open_beneath(int dir_fd, const char *rel, int flags) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, dir_fd, rel[0] == '\0' ? "." : rel, &how, sizeof how);
}

static struct archive *open_reader(const char *path, int raw, char *err, size_t err_len) {
    struct archive *a = archive_read_new();
    if (a == NULL) {
        set_error(err, err_len, "archive_read_new: out of memory");
        return NULL;
    }
    // Only filters libarchive implements itself: "all" would also enable ones
    // that fork an external program from inside a multithreaded daemon.
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_bzip2(a);
    if (raw)
        archive_read_support_format_raw(a);
    else
        archive_read_support_format_tar(a);
    archive_read_support_format_empty(a); // a zero-byte layer is an empty one
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
        char msg[512];
        set_error(err, err_len, "opening %s: %s", path, archive_message(a, msg, sizeof msg));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/// Writes a synthetic entry (whiteout device or missing opaque directory)
/// carrying the owner and mtime of the marker it replaces.
static int write_synthetic(struct archive *out, struct archive_entry *marker, const char *rel,
                           mode_t type, mode_t perm) {
    struct archive_entry *e = archive_entry_new();
    if (e == NULL) {
        archive_set_error(out, ENOMEM, "out of memory");
        return ARCHIVE_FATAL;
    }
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, perm);
    archive_entry_set_rdev(e, 0);
    archive_entry_set_size(e, 0);
    archive_entry_set_uid(e, archive_entry_uid(marker));
    archive_entry_set_gid(e, archive_entry_gid(marker));
    archive_entry_set_mtime(e, archive_entry_mtime(marker), archive_entry_mtime_nsec(marker));
    archive_entry_set_pathname(e, rel);
    int r = archive_write_header(out, e);
    if (r >= ARCHIVE_WARN) r = archive_write_finish_entry(out);
    archive_entry_free(e);
    return r;
}

/// Removes `trusted.overlay.*` xattrs so a layer cannot forge overlayfs
/// metadata (redirects, origins, whiteouts) other than via the OCI markers.
/// Returns 0, or -1 when out of memory.
static int drop_overlay_xattrs(struct archive_entry *entry) {
    int count = archive_entry_xattr_reset(entry);
    if (count == 0) return 0;
    struct kept { char *name; void *value; size_t size; } *keep = calloc((size_t)count, sizeof *keep);
    if (keep == NULL) return -1;
    int n = 0, dropped = 0, rc = 0;
    const char *name;
    const void *value;
    size_t size;
    while (rc == 0 && n < count && archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
        if (strncmp(name, OVERLAY_XATTR_PREFIX, sizeof OVERLAY_XATTR_PREFIX - 1) == 0) {
            dropped++;
            continue;
        }
        keep[n].name = strdup(name);
        keep[n].value = malloc(size ? size : 1);
        keep[n].size = size;
        if (keep[n].name == NULL || keep[n].value == NULL) rc = -1;
        else memcpy(keep[n].value, value, size);
        n++;
    }
    if (rc == 0 && dropped > 0) {
        archive_entry_xattr_clear(entry);
        for (int i = 0; i < n; i++) archive_entry_xattr_add_entry(entry, keep[i].name, keep[i].value, keep[i].size);
    }
    for (int i = 0; i < n; i++) {
        free(keep[i].name);
        free(keep[i].value);
    }
    free(keep);
    return rc;
}

/// Handles an entry whose base name starts with `.wh.`. Returns 0 or -1.
static int apply_whiteout(struct archive *out, struct archive_entry *entry, const char *name,
                          int dest_fd, char *err, size_t err_len) {
    char msg[512];
    char *dir = strdup(name);
    if (dir == NULL) {
        set_error(err, err_len, "entry \"%s\": out of memory", name);
        return -1;
    }
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    if (slash) *slash = '\0';
    const char *parent = slash ? dir : "";
    int rc = 0;

    if (strcmp(base, OPAQUE_MARKER) == 0) {
        int fd = open_beneath(dest_fd, parent, O_RDONLY | O_DIRECTORY);
        if (fd < 0 && errno == ENOENT) {
            if (write_synthetic(out, entry, parent[0] ? parent : ".", AE_IFDIR, 0755) < ARCHIVE_WARN) {
                set_error(err, err_len, "entry \"%s\": %s", name, archive_message(out, msg, sizeof msg));
                free(dir);
                return -1;
            }
            fd = open_beneath(dest_fd, parent, O_RDONLY | O_DIRECTORY);
        }
        if (fd < 0) {
            set_error(err, err_len, "entry \"%s\": opening directory \"%s\": %s", name, parent, strerror(errno));
            rc = -1;
        } else {
            if (fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) != 0) {
                set_error(err, err_len, "entry \"%s\": setting trusted.overlay.opaque: %s", name, strerror(errno));
                rc = -1;
            }
            close(fd);
        }
        free(dir);
        return rc;
    }

    const char *hidden = base + sizeof WHITEOUT_PREFIX - 1;
    if (hidden[0] == '\0' || strcmp(hidden, ".") == 0 || strcmp(hidden, "..") == 0) {
        set_error(err, err_len, "entry \"%s\": whiteout names no file", name);
        free(dir);
        return -1;
    }
    // A file the same layer already holds wins over the whiteout: the
    // whiteout only applies to lower layers, and the file hides those anyway.
    int exists = 0;
    int pfd = open_beneath(dest_fd, parent, O_RDONLY | O_DIRECTORY);
    if (pfd >= 0) {
        struct stat st;
        exists = fstatat(pfd, hidden, &st, AT_SYMLINK_NOFOLLOW) == 0;
        close(pfd);
    }
    if (!exists) {
        size_t n = strlen(parent) + 1 + strlen(hidden) + 1;
        char *target = malloc(n);
        if (target == NULL) {
            set_error(err, err_len, "entry \"%s\": out of memory", name);
            free(dir);
            return -1;
        }
        snprintf(target, n, "%s%s%s", parent, parent[0] ? "/" : "", hidden);
        if (write_synthetic(out, entry, target, AE_IFCHR, 0) < ARCHIVE_WARN) {
            set_error(err, err_len, "entry \"%s\": %s", name, archive_message(out, msg, sizeof msg));
            rc = -1;
        }
        free(target);
    }
    free(dir);
    return rc;
}

/// Streams the current entry's data from `in` to `out`.
static int copy_data(struct archive *in, struct archive *out, const char *name, char *err, size_t err_len) {
    char msg[512];
    for (;;) {
        const void *buf;
        size_t size;
        la_int64_t offset;
        int r = archive_read_data_block(in, &buf, &size, &offset);
        if (r == ARCHIVE_EOF) return 0;
        if (r < ARCHIVE_WARN) {
            set_error(err, err_len, "entry \"%s\": reading data: %s", name, archive_message(in, msg, sizeof msg));
            return -1;
        }
        if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN) {
            set_error(err, err_len, "entry \"%s\": %s", name, archive_message(out, msg, sizeof msg));
            return -1;
        }
    }
}

static int is_special(struct archive_entry *entry) {
    mode_t type = archive_entry_filetype(entry);
    return type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK;
}

/// The extraction proper; runs with the thread's cwd at the destination.
static int extract_here(struct archive *in, int options, char *err, size_t err_len) {
    char msg[512];
    int dest_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dest_fd < 0) {
        set_error(err, err_len, "opening destination: %s", strerror(errno));
        return -1;
    }
    struct archive *out = archive_write_disk_new();
    if (out == NULL) {
        set_error(err, err_len, "archive_write_disk_new: out of memory");
        close(dest_fd);
        return -1;
    }
    int flags = ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS;
    if (options & SKIFF_ARCHIVE_RESTORE_METADATA)
        flags |= ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                 ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL;
    archive_write_disk_set_options(out, flags);

    int rc = 0;
    for (;;) {
        struct archive_entry *entry;
        int r = archive_read_next_header(in, &entry);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            set_error(err, err_len, "reading archive: %s", archive_message(in, msg, sizeof msg));
            rc = -1;
            break;
        }
        const char *raw_name = archive_entry_pathname(entry);
        if (raw_name == NULL) {
            set_error(err, err_len, "entry without a path name");
            rc = -1;
            break;
        }
        // Copies for messages: writing the entry may invalidate its strings.
        char *name = strdup(raw_name);
        const char *raw_link = archive_entry_hardlink(entry);
        char *link = raw_link ? strdup(raw_link) : NULL;
        if (name == NULL || (raw_link != NULL && link == NULL)) {
            set_error(err, err_len, "out of memory");
            free(name);
            free(link);
            rc = -1;
            break;
        }
        const char *problem = path_problem(name);
        if (problem != NULL) {
            set_error(err, err_len, "entry \"%s\": %s", name, problem);
            rc = -1;
        } else if (link != NULL && (problem = path_problem(link)) != NULL) {
            set_error(err, err_len, "entry \"%s\": hard link target \"%s\": %s", name, link, problem);
            rc = -1;
        } else if ((options & SKIFF_ARCHIVE_SKIP_SPECIAL) && is_special(entry)) {
            // skipped on purpose
        } else {
            const char *slash = strrchr(name, '/');
            const char *base = slash ? slash + 1 : name;
            if ((options & SKIFF_ARCHIVE_OVERLAY_WHITEOUTS) &&
                strncmp(base, WHITEOUT_PREFIX, sizeof WHITEOUT_PREFIX - 1) == 0) {
                rc = apply_whiteout(out, entry, name, dest_fd, err, err_len);
            } else {
                if ((options & SKIFF_ARCHIVE_OVERLAY_WHITEOUTS) && drop_overlay_xattrs(entry) != 0) {
                    set_error(err, err_len, "entry \"%s\": out of memory", name);
                    free(name);
                    free(link);
                    rc = -1;
                    break;
                }
                r = archive_write_header(out, entry);
                if (r < ARCHIVE_WARN) {
                    set_error(err, err_len, "entry \"%s\": %s", name, archive_message(out, msg, sizeof msg));
                    rc = -1;
                } else if (archive_entry_size(entry) > 0) {
                    rc = copy_data(in, out, name, err, err_len);
                }
                if (rc == 0 && archive_write_finish_entry(out) < ARCHIVE_WARN) {
                    set_error(err, err_len, "entry \"%s\": %s", name, archive_message(out, msg, sizeof msg));
                    rc = -1;
                }
            }
        }
        free(name);
        free(link);
        if (rc != 0) break;
    }
    // Closing applies deferred directory permissions and times.
    if (archive_write_close(out) < ARCHIVE_WARN && rc == 0) {
        set_error(err, err_len, "finishing extraction: %s", archive_message(out, msg, sizeof msg));
        rc = -1;
    }
    archive_write_free(out);
    close(dest_fd);
    return rc;
}

struct extract_job {
    const char *archive_path;
    const char *dest_dir;
    int options;
    char *err;
    size_t err_len;
    int rc;
};

static void *extract_thread(void *arg) {
    struct extract_job *job = arg;
    job->rc = -1;
    if (unshare(CLONE_FS) != 0) {
        set_error(job->err, job->err_len, "unshare(CLONE_FS): %s", strerror(errno));
        return NULL;
    }
    // Opened before the chdir so a relative archive path still works.
    struct archive *in = open_reader(job->archive_path, 0, job->err, job->err_len);
    if (in == NULL) return NULL;
    if (chdir(job->dest_dir) != 0) {
        set_error(job->err, job->err_len, "chdir %s: %s", job->dest_dir, strerror(errno));
    } else {
        job->rc = extract_here(in, job->options, job->err, job->err_len);
    }
    archive_read_free(in);
    return NULL;
}

int skiff_archive_extract(const char *archive_path, const char *dest_dir, int options,
                          char *err, size_t err_len) {
    struct extract_job job = {archive_path, dest_dir, options, err, err_len, -1};
    pthread_t thread;
    int e = pthread_create(&thread, NULL, extract_thread, &job);
    if (e != 0) {
        set_error(err, err_len, "pthread_create: %s", strerror(e));
        return -1;
    }
    e = pthread_join(thread, NULL);
    if (e != 0) {
        set_error(err, err_len, "pthread_join: %s", strerror(e));
        return -1;
    }
    return job.rc;
}

skiff_archive_stream *skiff_archive_stream_open(const char *path, char *err, size_t err_len) {
    struct archive *a = open_reader(path, 1, err, err_len);
    if (a == NULL) return NULL;
    skiff_archive_stream *s = calloc(1, sizeof *s);
    if (s == NULL) {
        set_error(err, err_len, "out of memory");
        archive_read_free(a);
        return NULL;
    }
    s->archive = a;
    struct archive_entry *entry;
    int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) {
        s->at_end = 1;
    } else if (r < ARCHIVE_WARN) {
        char msg[512];
        set_error(err, err_len, "reading %s: %s", path, archive_message(a, msg, sizeof msg));
        skiff_archive_stream_close(s);
        return NULL;
    }
    return s;
}

ssize_t skiff_archive_stream_read(skiff_archive_stream *stream, void *buf, size_t len,
                                  char *err, size_t err_len) {
    if (stream->at_end) return 0;
    la_ssize_t n = archive_read_data(stream->archive, buf, len);
    if (n < 0) {
        char msg[512];
        set_error(err, err_len, "decompressing: %s", archive_message(stream->archive, msg, sizeof msg));
        return -1;
    }
    if (n == 0) stream->at_end = 1;
    return (ssize_t)n;
}

int skiff_archive_syncfs(int fd) {
    return syncfs(fd);
}

void skiff_archive_stream_close(skiff_archive_stream *stream) {
    if (stream == NULL) return;
    archive_read_free(stream->archive);
    free(stream);
}
