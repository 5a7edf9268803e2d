import CClang

/// A preprocessing token as libclang lexes it (copied; the `CXToken` array
/// is disposed right after tokenizing).
public struct Token: Hashable, Sendable {
    public enum Kind: Sendable {
        case punctuation, keyword, identifier, literal, comment
    }

    public var kind: Kind
    public var spelling: String
    public var extent: SourceRange
}

extension Token.Kind {
    init(_ raw: CXTokenKind) {
        switch raw {
        case CXToken_Punctuation: self = .punctuation
        case CXToken_Keyword: self = .keyword
        case CXToken_Identifier: self = .identifier
        case CXToken_Literal: self = .literal
        default: self = .comment
        }
    }
}
