import Foundation
import XCTest

/// Runs the tool with an environment built from scratch: no git identity
/// anywhere unless given (HOME is a fresh directory, the system git config
/// is off), so a test sees exactly the identity it sets up.
func runIsolated(_ arguments: [String], _ test: XCTestCase, home: String? = nil,
                 environment: [String: String] = [:]) throws -> ToolRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: toolBinary)
    process.arguments = arguments
    var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HOME": try home ?? makeTemporaryDirectory(test), "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8",
                "NOTIFYSPLIT_NO_CACHE": "1"]
    // Sanitizer options are no identity: a sanitized build's children keep them.
    for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"] {
        if let value = ProcessInfo.processInfo.environment[name] { base[name] = value }
    }
    base.merge(toolSanitizerOptions) { $1 }
    base.merge(environment) { $1 }
    process.environment = base
    return try collect(process)
}

/// `git ARGS` in `directory` without the system config, with `home` as
/// HOME when given.
func runGit(_ arguments: [String], in directory: String, home: String? = nil) throws {
    var environment = ["GIT_CONFIG_NOSYSTEM=1"]
    if let home { environment.append("HOME=\(home)") }
    let (status, output) = try shell(["env"] + environment + ["git"] + arguments, in: directory)
    XCTAssertEqual(status, 0, "git \(arguments): \(output)")
}

/// The values of a header in every message of an mbox.
func headerValues(_ name: String, in mbox: String) -> [String] {
    mbox.split(separator: "\n").filter { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
}
