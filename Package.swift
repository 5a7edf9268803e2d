// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "notifysplit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "notifysplit", targets: ["notifysplit"]),
        .library(name: "NotifySplitCore", targets: ["NotifySplitCore"]),
        .library(name: "Clang", targets: ["Clang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Thin C module over Debian's libclang-dev (clang-c/ is a symlink to
        // /usr/lib/llvm-14/include/clang-c, so no LLVM header is committed).
        .target(
            name: "CClang",
            linkerSettings: [.linkedLibrary("clang-14")]
        ),
        // The vectorised byte-pair search under the whole-tree prefilter.
        .target(name: "CByteSearch"),
        // Small safe Swift wrapper over libclang; no kernel knowledge.
        .target(name: "Clang", dependencies: ["CClang"]),
        // The domain: kernel tree, compile arguments, macro model, call sites.
        .target(name: "NotifySplitCore", dependencies: ["Clang", "CByteSearch"]),
        // Thin command line on top.
        .executableTarget(
            name: "notifysplit",
            dependencies: [
                "NotifySplitCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz harness and mutator, shared by the fuzzer and the tests.
        .target(name: "FuzzSupport", dependencies: ["NotifySplitCore"]),
        // Replays fuzz inputs; built with -sanitize=fuzzer -DNOTIFYSPLIT_FUZZ
        // by make fuzz, libFuzzer drives it.
        .executableTarget(
            name: "notifysplit-fuzz",
            dependencies: ["FuzzSupport"],
            path: "Sources/NotifySplitFuzz"
        ),
        .testTarget(name: "ClangTests", dependencies: ["Clang"]),
        .testTarget(
            name: "NotifySplitCoreTests",
            dependencies: ["NotifySplitCore", "FuzzSupport"],
            exclude: ["Golden"]
        ),
    ]
)
