// A C interface to RE2 (Debian's libre2-dev) for Swift: Go's regexp syntax and semantics, which
// Prometheus uses, in time linear in the input.
#ifndef BALLAST_RE2_H
#define BALLAST_RE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ballast_re2 ballast_re2;

/// Compiles `pattern` (UTF-8, `length` bytes). On failure returns NULL and, when `error` is not
/// NULL, sets it to a message the caller frees with `ballast_re2_free_error`.
ballast_re2 *ballast_re2_new(const char *pattern, size_t length, char **error);

void ballast_re2_free(ballast_re2 *regexp);

void ballast_re2_free_error(char *error);

/// 1 when the whole of `text` matches, else 0.
int ballast_re2_full_match(const ballast_re2 *regexp, const char *text, size_t length);

/// The number of capturing groups.
int ballast_re2_groups(const ballast_re2 *regexp);

/// Matches the whole of `text`; on a match fills `starts` and `lengths` (each `count` entries:
/// group 0 is the whole match) with byte offsets, -1 for a group that did not take part, and
/// returns 1; else returns 0.
int ballast_re2_full_match_groups(const ballast_re2 *regexp, const char *text, size_t length, long *starts, long *lengths, int count);

/// The index of the group named `name`, or -1.
int ballast_re2_named_group(const ballast_re2 *regexp, const char *name, size_t length);

#ifdef __cplusplus
}
#endif

#endif
