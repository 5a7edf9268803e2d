import Clang

/// Finds the innermost full statement around a byte range of a function:
/// an `if`, a loop, or an expression statement directly in a block.
enum StatementFinder {
    static func innermostStatement(in function: Cursor, around range: Range<Int>)
        -> CallSite.Statement? {
        // The nodes whose extent holds the range, down to the invocation
        // itself (its insides come from the macro body).
        let chain = Array(function.path(to: range).dropFirst())
        // Innermost element that is a statement kind, or an expression that
        // stands as a statement (its parent is a block or label, or it is a
        // loop or branch body rather than a condition).
        for (i, node) in chain.enumerated().reversed() {
            let parent = i > 0 ? chain[i - 1] : function
            if node.kind.isStatement && node.kind != .compoundStmt || standsAsStatement(node, parent: parent) {
                let extent = node.extent
                return .init(kind: node.kind.description, line: extent.start.line,
                             column: extent.start.column, start: extent.start.offset,
                             end: extent.end.offset)
            }
        }
        return nil
    }

    private static func standsAsStatement(_ node: Cursor, parent: Cursor) -> Bool {
        guard node.kind.isExpression else { return false }
        switch parent.kind {
        case .compoundStmt, .labelStmt, .caseStmt, .defaultStmt: return true
        case .ifStmt: return parent.children.first != node
        case .whileStmt, .forStmt: return parent.children.last == node
        case .doStmt: return parent.children.first == node
        default: return false
        }
    }
}

extension Cursor {
    /// This node and its descendants whose extent holds `range`, outermost
    /// first, down to the node that is exactly `range` (or the innermost
    /// holding it): nodes inside a macro invocation all carry its extent,
    /// so the walk stops there.
    func path(to range: Range<Int>) -> [Cursor] {
        var chain: [Cursor] = [self]
        var current = self
        while true {
            var next: Cursor?
            current.visitChildren { child in
                let extent = child.extent.byteRange
                if extent.lowerBound <= range.lowerBound, range.upperBound <= extent.upperBound {
                    next = child
                    return .break
                }
                return .continue
            }
            guard let child = next else { break }
            chain.append(child)
            if child.extent.byteRange == range { break }
            current = child
        }
        return chain
    }
}
