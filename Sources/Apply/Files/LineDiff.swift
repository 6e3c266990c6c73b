/// A minimal unified diff of two small texts (a rendered upstream block), for `--dry-run`.
package enum LineDiff {
    /// Lines only in `old` with `-`, only in `new` with `+`, common lines with a space, in order
    /// (longest common subsequence; the files are a few dozen lines).
    package static func unified(old: String, new: String, path: String) -> String {
        let a = lines(of: old)
        let b = lines(of: new)
        var common = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines = ["--- \(path)", "+++ \(path) (new)"]
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(" " + a[i])
                i += 1
                j += 1
            } else if i < a.count, j == b.count || common[i + 1][j] >= common[i][j + 1] {
                lines.append("-" + a[i])
                i += 1
            } else {
                lines.append("+" + b[j])
                j += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A text's lines; an empty text (a file that does not exist yet) has none.
    private static func lines(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map(String.init)
    }
}
