#include "ballast_re2.h"

#include <re2/re2.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

struct ballast_re2 {
    re2::RE2 regexp;
    explicit ballast_re2(const re2::StringPiece &pattern, const re2::RE2::Options &options) : regexp(pattern, options) {}
};

ballast_re2 *ballast_re2_new(const char *pattern, size_t length, char **error) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    // Go's regexp has no memory budget; RE2's default (8 MiB) is enough for any sane label regex
    // and bounds a hostile one.
    options.set_max_mem(64 << 20);
    auto *compiled = new ballast_re2(re2::StringPiece(pattern, length), options);
    if (!compiled->regexp.ok()) {
        if (error != nullptr) *error = strdup(compiled->regexp.error().c_str());
        delete compiled;
        return nullptr;
    }
    return compiled;
}

void ballast_re2_free(ballast_re2 *regexp) { delete regexp; }

void ballast_re2_free_error(char *error) { std::free(error); }

int ballast_re2_full_match(const ballast_re2 *regexp, const char *text, size_t length) {
    return re2::RE2::FullMatch(re2::StringPiece(text, length), regexp->regexp) ? 1 : 0;
}

int ballast_re2_groups(const ballast_re2 *regexp) { return regexp->regexp.NumberOfCapturingGroups(); }

int ballast_re2_full_match_groups(const ballast_re2 *regexp, const char *text, size_t length, long *starts, long *lengths, int count) {
    if (count <= 0) return ballast_re2_full_match(regexp, text, length);
    std::vector<re2::StringPiece> groups(static_cast<size_t>(count));
    re2::StringPiece input(text, length);
    if (!regexp->regexp.Match(input, 0, length, re2::RE2::ANCHOR_BOTH, groups.data(), count)) return 0;
    for (int index = 0; index < count; ++index) {
        const re2::StringPiece &group = groups[static_cast<size_t>(index)];
        if (group.data() == nullptr) {
            starts[index] = -1;
            lengths[index] = -1;
        } else {
            starts[index] = static_cast<long>(group.data() - text);
            lengths[index] = static_cast<long>(group.size());
        }
    }
    return 1;
}

int ballast_re2_named_group(const ballast_re2 *regexp, const char *name, size_t length) {
    const auto &names = regexp->regexp.NamedCapturingGroups();
    auto found = names.find(std::string(name, length));
    return found == names.end() ? -1 : found->second;
}
