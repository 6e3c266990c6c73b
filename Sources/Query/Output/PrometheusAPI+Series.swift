package import Store

/// What the series, labels and label-values endpoints read: label sets of series with samples
/// in a time range. The store answers from its index and the series' time spans.
package protocol LabelSetReader {
    func labelSets(matching matchers: [LabelMatcher], from: Int64, through: Int64) throws -> [Labels]
}

extension PrometheusAPI {
    /// Prometheus' default `start` and `end`: the whole time range.
    private static let minimumTime: Int64 = -9_223_309_901_257_974
    private static let maximumTime: Int64 = 9_223_309_901_257_974

    /// `GET|POST /api/v1/series?match[]=...&start=...&end=...`: the label sets of the series
    /// matching any selector, merged, sorted and without duplicates.
    package static func series(matches: [String], start: String?, end: String?, reader: any LabelSetReader) -> Response {
        guard !matches.isEmpty else { return .error(type: "bad_data", message: "no match[] parameter provided") }
        return respondWithRange(start: start, end: end) { from, through in
            var found = Set<Labels>()
            for match in matches {
                let matchers = try selectorMatchers(match, prefix: "invalid parameter \"match[]\": ")
                found.formUnion(try reader.labelSets(matching: matchers, from: from, through: through))
            }
            return PrometheusJSON.success(labelSets: found.sorted(by: Self.labelOrder))
        }
    }

    /// `GET|POST /api/v1/labels`: every label name of the matching series (all series without
    /// `match[]`), sorted.
    package static func labelNames(matches: [String], start: String?, end: String?, reader: any LabelSetReader) -> Response {
        respondWithRange(start: start, end: end) { from, through in
            var names = Set<String>()
            for labels in try matchingLabelSets(matches, from: from, through: through, reader: reader) {
                for pair in labels.pairs { names.insert(pair.name) }
            }
            return PrometheusJSON.success(strings: names.sorted())
        }
    }

    /// `GET /api/v1/label/NAME/values`: every value of label `name` among the matching series,
    /// sorted.
    package static func labelValues(
        name: String,
        matches: [String],
        start: String?,
        end: String?,
        reader: any LabelSetReader
    ) -> Response {
        guard Self.isLabelName(name) else { return .error(type: "bad_data", message: "invalid label name: \(PrometheusJSON.quoted(name))") }
        return respondWithRange(start: start, end: end) { from, through in
            var values = Set<String>()
            for labels in try matchingLabelSets(matches, from: from, through: through, reader: reader) {
                if let value = labels[name] { values.insert(value) }
            }
            return PrometheusJSON.success(strings: values.sorted())
        }
    }

    private static func matchingLabelSets(_ matches: [String], from: Int64, through: Int64, reader: any LabelSetReader) throws -> [Labels] {
        if matches.isEmpty { return try reader.labelSets(matching: [], from: from, through: through) }
        var found = Set<Labels>()
        for match in matches {
            found.formUnion(try reader.labelSets(matching: try selectorMatchers(match, prefix: ""), from: from, through: through))
        }
        return Array(found)
    }

    /// The matchers of a series selector, with Prometheus' errors: parse errors (with `prefix`),
    /// and a selector whose every matcher matches the empty string.
    private static func selectorMatchers(_ text: String, prefix: String) throws -> [LabelMatcher] {
        let expression: Expr
        do {
            expression = try PromQL.parse(text)
        } catch  where error.message == "vector selector must contain at least one non-empty matcher" {
            // Prometheus parses match[] without the query rule and reports it in the API's words.
            throw SelectorError(message: prefix + "match[] must contain at least one non-empty matcher")
        } catch {
            throw SelectorError(message: prefix + "\(error)")
        }
        guard case .vectorSelector(let selector) = expression else {
            throw SelectorError(message: prefix + "1:1: parse error: expected a series selector, got \(expression.type)")
        }
        guard selector.matchers.contains(where: { !$0.matchesEmpty }) else {
            throw SelectorError(message: prefix + "match[] must contain at least one non-empty matcher")
        }
        return selector.matchers
    }

    private struct SelectorError: Error {
        var message: String
    }

    private static func respondWithRange(start: String?, end: String?, _ body: (Int64, Int64) throws -> String) -> Response {
        var from = minimumTime
        var through = maximumTime
        if let start {
            guard let parsed = APITime.parseTime(start) else {
                return .error(
                    type: "bad_data",
                    message: "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"\(start)\" to a valid timestamp"
                )
            }
            from = parsed
        }
        if let end {
            guard let parsed = APITime.parseTime(end) else {
                return .error(
                    type: "bad_data",
                    message: "invalid parameter \"end\": Invalid time value for 'end': cannot parse \"\(end)\" to a valid timestamp"
                )
            }
            through = parsed
        }
        do {
            return Response(status: 200, body: try body(from, through))
        } catch let error as SelectorError {
            return .error(type: "bad_data", message: error.message)
        } catch {
            return .error(type: "internal", message: "\(error)")
        }
    }

    /// Prometheus' `labels.Compare`: pair by pair, names then values; a prefix sorts first.
    private static func labelOrder(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) where left != right {
            return left.name != right.name ? left.name < right.name : left.value < right.value
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z"))
        else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
    }
}
