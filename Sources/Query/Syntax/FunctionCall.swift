/// A function call with its already type-checked arguments.
public struct FunctionCall: Sendable {
    public var function: Function
    public var args: [Expr]
}
