import Foundation

/// What the preamble cache keeps beside an AST file: what it was made
/// for and from. A line-based text rather than JSON: it is read before
/// every parse, and a kernel preamble reads a thousand headers and has
/// several thousand paths that must stay absent (JSON decoding of those
/// cost as much as the parse it saved).
///
///     notifysplit preamble 1
///     identity <tool and libclang>
///     folder <the file's folder>
///     arguments <digest of the arguments, temporary folder taken out>
///     unusable                       (the preamble has an error)
///     file <content hash> <path>     (one per file read)
///     absent <path>                  (one per path that must stay absent)
struct PreambleEntry: Equatable {
    var identity: String
    var folder: String
    var arguments: String
    var unusable: Bool
    /// Each file read, as (recorded path, content hash); nil when what the
    /// preamble read could not be recorded.
    var manifest: [(path: String, digest: String)]?
    var absent: [String]

    static func == (a: PreambleEntry, b: PreambleEntry) -> Bool {
        a.identity == b.identity && a.folder == b.folder && a.arguments == b.arguments && a.unusable == b.unusable
            && a.manifest?.map(\.path) == b.manifest?.map(\.path)
            && a.manifest?.map(\.digest) == b.manifest?.map(\.digest) && a.absent == b.absent
    }

    private static let header = "notifysplit preamble 1"

    var text: String {
        var lines = [Self.header, "identity " + identity, "folder " + folder, "arguments " + arguments]
        if unusable { lines.append("unusable") }
        if let manifest {
            lines.append("recorded")
            lines += manifest.map { "file \($0.digest) \($0.path)" }
        }
        lines += absent.map { "absent " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The entry a text holds; nil when it is not one (another version, a
    /// torn write).
    init?(text: String) { self.init(bytes: Array(text.utf8)) }

    /// The same from the file's bytes, read line by line as bytes: a
    /// kernel preamble's entry is ~2000 lines and 0.1-0.4 MB, read before
    /// every parse (splitting it as a String took 5-25 ms).
    init?(bytes: [UInt8]) {
        var lines: [Range<Int>] = []
        var start = 0
        while let end = bytes[start...].firstIndex(of: .newline) {
            lines.append(start..<end)
            start = end + 1
        }
        // Every line ends with a newline: anything after the last is torn.
        guard start == bytes.count, lines.count >= 4 else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func value(_ range: Range<Int>, _ key: StaticString) -> String? {
            let count = key.utf8CodeUnitCount
            guard range.count > count, bytes[range.lowerBound + count] == UInt8(ascii: " ") else { return nil }
            let matches = key.withUTF8Buffer { key in bytes[range.lowerBound..<(range.lowerBound + count)].elementsEqual(key) }
            return matches ? text((range.lowerBound + count + 1)..<range.upperBound) : nil
        }
        guard text(lines[0]) == Self.header, let identity = value(lines[1], "identity"),
              let folder = value(lines[2], "folder"), let arguments = value(lines[3], "arguments") else { return nil }
        self.identity = identity
        self.folder = folder
        self.arguments = arguments
        unusable = false
        manifest = nil
        absent = []
        absent.reserveCapacity(lines.count)
        for line in lines.dropFirst(4) {
            if let path = value(line, "absent") {
                absent.append(path)
            } else if let rest = value(line, "file"), manifest != nil, let space = rest.utf8.firstIndex(of: UInt8(ascii: " ")) {
                manifest!.append((String(rest[rest.utf8.index(after: space)...]), String(rest[..<space])))
            } else if bytes[line].elementsEqual("recorded".utf8) {
                manifest = []
            } else if bytes[line].elementsEqual("unusable".utf8) {
                unusable = true
            } else {
                return nil
            }
        }
    }

    init(identity: String, folder: String, arguments: String, unusable: Bool,
         manifest: [(path: String, digest: String)]?, absent: [String]) {
        self.identity = identity
        self.folder = folder
        self.arguments = arguments
        self.unusable = unusable
        self.manifest = manifest
        self.absent = absent
    }
}

/// The content hashes and the existence of files, each looked at once per
/// run: the preambles of one run's files read mostly the same headers,
/// and a run takes the headers not to change while it runs.
final class ManifestMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String: String] = [:]
    private var files: [String: Bool] = [:]

    /// The file's content hash, or "absent" (as `ManifestReader`).
    func digest(ofFile path: String) -> String {
        if let known = lock.withLock({ digests[path] }) { return known }
        let digest = (try? FileBytes(path: path).bytes.withUnsafeBytes(ConfigurationCache.digest)) ?? "absent"
        lock.withLock { digests[path] = digest }
        return digest
    }

    func isFile(_ path: String) -> Bool {
        if let known = lock.withLock({ files[path] }) { return known }
        let exists = ManifestReader.isFile(path)
        lock.withLock { files[path] = exists }
        return exists
    }

    /// True when every file of `manifest` has the content it had and no
    /// path of `absent` has become a file.
    func isCurrent(_ manifest: [(path: String, digest: String)], absent: [String],
                   paths: ConfigurationCache.PathForm) -> Bool {
        manifest.allSatisfy { digest(ofFile: paths.restore($0.path)) == $0.digest }
            && absent.allSatisfy { !isFile(paths.restore($0)) }
    }
}
