/// A function call with its already type-checked arguments.
package struct FunctionCall: Sendable {
    package var function: Function
    package var args: [Expr]
}
