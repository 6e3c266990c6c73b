/// A minimal unified diff of two small texts (a rendered upstream block), for `--dry-run`.
package enum LineDiff {
    /// Lines only in `old` with `-`, only in `new` with `+`, common lines with a space, in order
    /// (longest common subsequence; the files are a few dozen lines).
    package static func unified(old: String, new: String, path: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).dropLast(old.hasSuffix("\n") ? 1 : 0).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).dropLast(new.hasSuffix("\n") ? 1 : 0).map(String.init)
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
            } else if j < b.count, i == a.count || common[i][j + 1] >= common[i + 1][j] {
                lines.append("+" + b[j])
                j += 1
            } else {
                lines.append("-" + a[i])
                i += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
