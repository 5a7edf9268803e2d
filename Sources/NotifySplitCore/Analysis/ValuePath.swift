import Clang

/// An lvalue or a value read, as a variable (by its declaration) and a
/// member chain: `vmf->address` is `vmf` then `->address`.
///
/// Keyed by declaration, so a shadowing inner `addr` is not the outer one;
/// a root clang cannot name (`f()->x`) is nil and only the field counts.
struct ValuePath: Hashable, CustomStringConvertible {
    /// The variable's declaration (`VarDecl` or `ParmDecl`).
    var root: Cursor?
    var rootName: String
    /// `->name` or `.name`, outermost first.
    var members: [String] = []
    /// `*p` or `p[i]`: what the root path points to.
    var dereferenced = false

    var description: String {
        (dereferenced ? "*" : "") + rootName + members.joined()
    }

    /// Whether writing `self` can change the value of `dependency`.
    ///
    /// Writing a path changes everything read through it (`vmf` or
    /// `vmf->address` against `vmf->address`); writing what a pointer points
    /// to changes the members read through it (`*p` against `p->x`). Aliasing
    /// is not tracked, so the same field written through another pointer
    /// counts too. Writing what a member points to (`vma->vm_mm->total_vm`)
    /// does not change the member itself.
    func conflicts(with dependency: ValuePath) -> Bool {
        if let field = lastField, field == dependency.lastField { return true }
        guard let root, root == dependency.root else { return false }
        if dereferenced {
            return dependency.dereferenced
                || (dependency.members.count > members.count
                    && dependency.members.starts(with: members)
                    && dependency.members[members.count].hasPrefix("->"))
        }
        return dependency.members.starts(with: members)
    }

    /// `a->b.c` → `c`; nil for a plain variable.
    var lastField: String? {
        members.last.map { String($0.drop { $0 == "-" || $0 == ">" || $0 == "." }) }
    }
}
