// libFuzzer entry for the policy loader (scripts/fuzz.sh policy): each input is loaded as a
// policy file with PromQL checking, as `ballast check` loads it. Besides not crashing or
// hanging, the document a loaded policy writes back must load to the same document.
import Foundation
import Policy
import PolicyLoading
import Query

private let loader = PolicyLoader { expression in
    do throws(ParseError) {
        _ = try PromQL.parse(expression)
        return nil
    } catch {
        return ExpressionProblem(line: error.line, column: error.column, message: error.message)
    }
}

/// Sorted keys: equal documents are equal bytes (a policy keeps its signals in file order, which
/// a JSON object does not carry, so the documents are compared, not the models).
private func json(_ policy: PoolPolicy) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(policy.document) else { fatalError("a loaded policy cannot be written") }
    return String(decoding: data, as: UTF8.self)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let policy = try? loader.load(yaml: text, path: "fuzz.yaml") else { return 0 }
    let document = json(policy)
    let again: PoolPolicy
    do {
        again = try loader.load(yaml: document, path: "written.json")
    } catch {
        fatalError("the document a loaded policy writes does not load: \(error)\n\(document)")
    }
    let rewritten = json(again)
    if rewritten != document {
        fatalError("a loaded policy loads differently from the document it writes:\n\(document)\n\(rewritten)")
    }
    return 0
}
