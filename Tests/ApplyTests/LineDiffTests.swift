import Testing

@testable import Apply

@Suite struct LineDiffTests {
    @Test func aNewFileIsAllAdditions() {
        #expect(LineDiff.unified(old: "", new: "a\nb\n", path: "f") == "--- f\n+++ f (new)\n+a\n+b\n")
    }

    @Test func aChangedLineIsRemovedThenAdded() {
        #expect(LineDiff.unified(old: "a\nb\nc\n", new: "a\nB\nc\n", path: "f") == "--- f\n+++ f (new)\n a\n-b\n+B\n c\n")
    }
}
