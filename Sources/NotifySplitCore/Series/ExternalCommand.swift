import Foundation

/// Runs a helper program (git, perl) and captures what it says: identity,
/// base commit and maintainers come from the tools kernel developers use,
/// not from a re-implementation of them.
struct ExternalCommand {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs `arguments` (the first is looked up on PATH) in `directory`.
    /// nil when the program cannot be started at all.
    static func run(_ arguments: [String], in directory: String, environment: [String: String]? = nil) -> Output? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        // Read both pipes concurrently: a chatty stderr must not block stdout.
        let errData = Collected()
        let group = DispatchGroup()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async(group: group) { errData.data = errHandle.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Written by one reader thread, read after it is joined.
    private final class Collected: @unchecked Sendable { var data = Data() }

    /// `git -C directory ARGS…`.
    static func git(_ arguments: [String], in directory: String, environment: [String: String]? = nil) -> Output? {
        run(["git", "-C", directory] + arguments, in: directory, environment: environment)
    }
}
