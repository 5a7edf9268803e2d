/// `convert`: every site with its verdict, and the edits of the
/// convertible ones, validated.
public struct Conversion: Sendable {
    public var scan: Scan
    /// Every site's decision, in path and offset order.
    public var decisions: [SiteDecision]
    /// Per parsed file with edits or decisions.
    public var files: [FileConversion]

    public static func run(tree: KernelTree, arguments: any CompileArgumentsProvider, options: Scan.Options,
                           progress: (@Sendable (String) -> Void)? = nil) throws(NotifySplitError) -> Conversion {
        var options = options
        options.convert = true
        let scan = try Scan.run(tree: tree, arguments: arguments, options: options, progress: progress)
        var decisions = scan.conversions.flatMap(\.decisions)
        let decided = Set(decisions.map(\.site.id))
        for site in scan.sites where !decided.contains(site.id) {
            decisions.append(.refused(site, [FileConverter.finding(for: site)]))
        }
        decisions.sort { ($0.site.path, $0.site.start, $0.site.macro) < ($1.site.path, $1.site.start, $1.site.macro) }
        return Conversion(scan: scan, decisions: decisions,
                          files: scan.conversions.sorted { $0.path < $1.path })
    }

    /// Files whose validation failed (the run must fail loudly).
    public var validationFailures: [(path: String, message: String)] {
        files.compactMap { file in file.validationFailure.map { (file.path, $0) } }
    }
}
