import CClang

/// A compiler diagnostic, copied out of libclang (the `CXDiagnostic` is
/// disposed as soon as it is read).
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: Int, Comparable, Sendable {
        case ignored = 0, note, warning, error, fatal

        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

        public var name: String {
            switch self {
            case .ignored: "ignored"
            case .note: "note"
            case .warning: "warning"
            case .error: "error"
            case .fatal: "fatal error"
            }
        }
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation

    public init(severity: Severity, message: String, location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    init(consuming raw: CXDiagnostic) {
        defer { clang_disposeDiagnostic(raw) }
        severity = Severity(rawValue: Int(clang_getDiagnosticSeverity(raw).rawValue)) ?? .error
        message = String(consuming: clang_getDiagnosticSpelling(raw))
        location = SourceLocation(fileLocationOf: clang_getDiagnosticLocation(raw))
    }

    public var isError: Bool { severity >= .error }

    public var description: String { "\(location): \(severity.name): \(message)" }
}
