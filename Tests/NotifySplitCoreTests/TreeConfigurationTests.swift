@testable import NotifySplitCore
import Foundation
import XCTest

/// Trees of each era and shape (Fixtures/era-*): the configuration the tool
/// must choose, the reason it gives, and every candidate file parsed with
/// 0 errors — the generated headers computed from the tree itself.
final class TreeConfigurationTests: XCTestCase {
    /// Chooses and scans as the command line does (no --arch, no --config
    /// unless given).
    func scanAsTheToolDoes(_ name: String, arch: String? = nil, config: String? = nil) throws -> Scan {
        let tree = try KernelTree(path: fixture(name))
        let choice = try ConfigurationChoice.decide(tree: tree, arch: arch, config: config)
        return try Scan.run(tree: tree, arguments: try choice.provider(tree: tree), options: .init())
    }

    func assertEveryFileParsesClean(_ scan: Scan, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(scan.files.isEmpty, file: file, line: line)
        for parsed in scan.files {
            XCTAssertEqual(parsed.errors, 0, "\(parsed.path) under \(parsed.configuration ?? "-")", file: file, line: line)
        }
        XCTAssertTrue(scan.sites.allSatisfy { $0.status == .parsed }, "\(scan.sites.map(\.status))", file: file, line: line)
        XCTAssertTrue(scan.isComplete, file: file, line: line)
    }

    // MARK: 2.6: include/asm-x86, ARCH = arm hard-set, no .config

    func testTwoSixTreeWithArchArmButNoConfigIsParsedAsX86_64() throws {
        let scan = try scanAsTheToolDoes("era-2.6-asm-x86")
        assertEveryFileParsesClean(scan)
        XCTAssertTrue(scan.configuration.hasPrefix("synthetic x86-64 configuration (the Makefile sets ARCH = arm, "
                                                   + "but the tree has no .config"), scan.configuration)
        XCTAssertEqual(scan.files.map(\.path), ["mm/filemap_xip.c", "mm/rmap.c"])
        // filemap_xip.c is only built with CONFIG_FS_XIP: the configuration says so.
        XCTAssertEqual(scan.files[0].configuration,
                       "synthetic x86-64 configuration with CONFIG_FS_XIP, which its Makefile builds the file with")
        XCTAssertEqual(scan.files[1].configuration, "synthetic x86-64 configuration")
    }

    func testMakefileArchitectureReadsAsMakeDoes() throws {
        let tree = try KernelTree(path: fixture("era-2.6-asm-x86"))
        XCTAssertEqual(ConfigurationChoice.makefileArchitecture(tree)?.0, "arm", "ARCH = arm wins over a later ?=")
        XCTAssertEqual(ConfigurationChoice.makefileArchitecture(tree)?.1, "ARCH = arm")
        let threeX = try KernelTree(path: fixture("era-3.x"))
        XCTAssertEqual(ConfigurationChoice.makefileArchitecture(threeX)?.1, "ARCH ?= arm")
        let subdir = try KernelTree(path: fixture("era-subdir/linux-5.0.1"))
        XCTAssertNil(ConfigurationChoice.makefileArchitecture(subdir), "$(SUBARCH) is the host's: not said")
    }

    func testObjectConditionsComeFromTheMakefiles() throws {
        let tree = try KernelTree(path: fixture("era-2.6-asm-x86"))
        XCTAssertEqual(KbuildObjectConditions.conditions(forFile: "mm/filemap_xip.c", tree: tree), ["FS_XIP"])
        XCTAssertEqual(KbuildObjectConditions.conditions(forFile: "mm/rmap.c", tree: tree), ["MMU"],
                       "rmap.o is in mmu-$(CONFIG_MMU), which obj-y names")
        XCTAssertEqual(KbuildObjectConditions.conditions(forFile: "mm/filemap.c", tree: tree), [])
        XCTAssertNil(KbuildObjectConditions.conditions(forFile: "mm/unknown.c", tree: tree))
        // amdgpu's `obj-$(CONFIG_DRM_AMDGPU)+= amdgpu.o`: no blank before the operator.
        let drivers = try KernelTree(path: fixture("kbuild-flags"))
        XCTAssertEqual(KbuildObjectConditions.conditions(forFile: "drivers/gpu/drm/amd/amdfoo/amdfoo_mn.c", tree: drivers),
                       ["DRM_AMDFOO", "HMM_MIRROR"])
    }

    // MARK: 3.x: arch/x86/include, bounds.h, syscall tables, kconfig-computed options

    func testThreeXTreeGetsBoundsComputedFromItsOwnBoundsC() throws {
        let tree = try KernelTree(path: fixture("era-3.x"))
        let configuration = try SyntheticConfiguration(tree: tree, architecture: Architecture(name: "x86", source: "test"))
        try configuration.prepared()
        let bounds = try String(contentsOfFile: configuration.stubDirectory + "/include/generated/bounds.h", encoding: .utf8)
        // DMA, DMA32, NORMAL, MOVABLE; PG_uncached through X86_PAT's def_bool chain.
        XCTAssertTrue(bounds.contains("#define MAX_NR_ZONES 4 /* __MAX_NR_ZONES */"), bounds)
        XCTAssertTrue(bounds.contains("#define NR_PAGEFLAGS 4 /* __NR_PAGEFLAGS */"), bounds)
        XCTAssertEqual(configuration.generatedHeaderErrors, [])
        // asm-offsets.h the same way, from asm-offsets.c and the .c file it includes.
        let offsets = try String(contentsOfFile: configuration.stubDirectory + "/include/generated/asm-offsets.h",
                                 encoding: .utf8)
        XCTAssertTrue(offsets.contains("#define TI_flags 8 /* offsetof(struct thread_info, flags) */"), offsets)
        XCTAssertTrue(offsets.contains("#define SIZEOF_thread_info 16 /* sizeof(struct thread_info) */"), offsets)
        let autoconf = try String(contentsOfFile: configuration.stubDirectory + "/include/generated/autoconf.h",
                                  encoding: .utf8)
        XCTAssertTrue(autoconf.contains("#define CONFIG_USE_PERCPU_NUMA_NODE_ID 1"), "def_bool y, depends on NUMA")
        XCTAssertFalse(autoconf.contains("NOT_AN_OPTION"), "help text is not a select")
        let scan = try scanAsTheToolDoes("era-3.x")
        assertEveryFileParsesClean(scan)
        XCTAssertTrue(scan.configuration.contains("ARCH ?= arm"), scan.configuration)
    }

    func testSyscallHeadersFollowTheTreesSyscallsMakefile() throws {
        let tree = try KernelTree(path: fixture("era-3.x"))
        let headers = SyscallHeaders.headers(tree: tree, architecture: "x86")
        let byPath = Dictionary(uniqueKeysWithValues: headers.map { ($0.path, $0.contents) })
        let ia32 = try XCTUnwrap(byPath["arch/x86/include/generated/asm/unistd_32_ia32.h"])
        XCTAssertTrue(ia32.contains("#define __NR_ia32_read 3\n"), ia32)
        let sixtyFour = try XCTUnwrap(byPath["arch/x86/include/generated/uapi/asm/unistd_64.h"])
        XCTAssertTrue(sixtyFour.contains("#define __NR_read 0\n"))
        XCTAssertFalse(sixtyFour.contains("rt_sigaction"), "an x32 entry is not in the common,64 header")
        XCTAssertEqual(byPath["arch/x86/include/generated/asm/syscalls_64.h"], "")
        // The 5.x form: target-specific variables.
        let five = """
            $(out)/unistd_32_ia32.h: abis := i386
            $(out)/unistd_32_ia32.h: prefix := ia32_
            $(out)/unistd_32_ia32.h: $(syscall32) $(syshdr) FORCE
            \t$(call if_changed,syshdr)
            syscall32 := $(src)/syscall_32.tbl
            """
        let fromFive = SyscallHeaders.headers(makefile: five, architecture: "x86") { _ in "5\ti386\topen\tsys_open\n" }
        XCTAssertEqual(fromFive.map(\.path), ["arch/x86/include/generated/asm/unistd_32_ia32.h"])
        XCTAssertTrue(fromFive[0].contents.contains("#define __NR_ia32_open 5\n"))
    }

    // MARK: an ARM vendor tree with its .config

    func testArmVendorTreeIsParsedWithItsOwnConfigurationAndBoard() throws {
        let scan = try scanAsTheToolDoes("era-arm-vendor")
        assertEveryFileParsesClean(scan)
        let arm = "configuration in .config (arm: mach-fooboard, plat-foo)"
        XCTAssertTrue(scan.configuration.hasPrefix(arm + " (the tree's own)"), scan.configuration)
        let rmap = try XCTUnwrap(scan.files.first { $0.path == "mm/rmap.c" })
        XCTAssertEqual(rmap.configuration, arm)
        XCTAssertEqual(rmap.rejected, [])
        // The snapshot lacks ARM's asm/cacheflush.h: memory.c falls back, and says why.
        let memory = try XCTUnwrap(scan.files.first { $0.path == "mm/memory.c" })
        XCTAssertEqual(memory.configuration, "synthetic x86-64 configuration")
        XCTAssertEqual(memory.rejected.count, 1)
        XCTAssertTrue(memory.rejected[0].hasPrefix(arm + ": "), "\(memory.rejected)")
        XCTAssertTrue(scan.configuration.contains("mm/memory.c parsed with synthetic x86-64 configuration"))
    }

    func testArmArgumentsComeFromTheArchMakefileAndTheConfig() throws {
        let tree = try KernelTree(path: fixture("era-arm-vendor"))
        let choice = try ConfigurationChoice.decide(tree: tree, arch: nil, config: nil)
        let provider = try XCTUnwrap(try choice.provider(tree: tree) as? FallbackConfiguration)
        let arguments = try XCTUnwrap(provider.primary.arguments(forFile: "mm/rmap.c"))
        XCTAssertTrue(arguments.contains("-D__LINUX_ARM_ARCH__=7"))
        XCTAssertTrue(arguments.contains(tree.absolute("arch/arm/mach-fooboard/include")))
        XCTAssertTrue(arguments.contains(tree.absolute("arch/arm/plat-foo/include")))
        XCTAssertFalse(arguments.contains(tree.absolute("arch/arm/mach-versatile/include")))
        let target = try XCTUnwrap(arguments.firstIndex(of: "-target"))
        XCTAssertEqual(arguments[target + 1], "armv7a-linux-gnueabi")
        XCTAssertFalse(arguments.contains(where: { $0.hasSuffix("arch/x86/include") }), "no x86 header with an ARM .config")
        let autoconf = try String(contentsOfFile: provider.primary.stubDirectory + "/include/generated/autoconf.h",
                                  encoding: .utf8)
        XCTAssertTrue(autoconf.contains("#define CONFIG_ARCH_FOOBOARD 1"))
        XCTAssertTrue(autoconf.contains("#define CONFIG_NLS_CODEPAGE_437_MODULE 1"))
        XCTAssertTrue(autoconf.contains("#define CONFIG_CMDLINE \"console=ttyS0\""))
        let machTypes = try String(contentsOfFile: provider.primary.stubDirectory + "/include/generated/mach-types.h",
                                   encoding: .utf8)
        XCTAssertTrue(machTypes.contains("#define MACH_TYPE_FOOBOARD 4242"))
        XCTAssertTrue(machTypes.contains("# define machine_is_fooboard()\t(machine_arch_type == MACH_TYPE_FOOBOARD)"))
        XCTAssertTrue(machTypes.contains("#define machine_is_barboard()\t(0)"))
    }

    func testArchAndConfigOverrideButNeverMixArchitectures() throws {
        let tree = try KernelTree(path: fixture("era-arm-vendor"))
        // --arch x86: the ARM .config is left out, and the reason says so.
        let x86 = try ConfigurationChoice.decide(tree: tree, arch: "x86", config: nil)
        guard case .synthetic = x86.kind else { return XCTFail("\(x86.kind)") }
        XCTAssertEqual(x86.reason, "--arch x86; the tree's .config is for arm and is not used with x86 headers")
        let scan = try scanAsTheToolDoes("era-arm-vendor", arch: "x86")
        assertEveryFileParsesClean(scan)
        // --config FILE --arch of another architecture: refused in one sentence.
        let config = tree.absolute(".config")
        XCTAssertThrowsError(try ConfigurationChoice.decide(tree: tree, arch: "x86", config: config)) { error in
            XCTAssertEqual("\(error)", "\(config) configures arm; it cannot be parsed with the x86 headers of --arch x86")
        }
        let given = try ConfigurationChoice.decide(tree: tree, arch: nil, config: config)
        XCTAssertEqual(given.architecture.name, "arm")
        guard case .dotConfig(_, let fallback) = given.kind else { return XCTFail("\(given.kind)") }
        XCTAssertFalse(fallback, "an explicit --config is not replaced by another architecture")
        XCTAssertThrowsError(try ConfigurationChoice.decide(tree: tree, arch: nil, config: tree.absolute("Makefile"))) {
            XCTAssertTrue("\($0)".hasSuffix("not a kernel configuration (no CONFIG_ line)"), "\($0)")
        }
    }

    func testExplicitConfigThatDoesNotBuildAFileLeavesItUnparsed() throws {
        // An explicit --config has no fallback: a file its Makefile builds
        // only with an option the configuration lacks is reported as not
        // compiled in it, not parsed against headers that stub it out.
        let config = fixture("era-arm-vendor/.config")
        let scan = try scanAsTheToolDoes("era-2.6-asm-x86", config: config)
        let xip = try XCTUnwrap(scan.sites.first { $0.path == "mm/filemap_xip.c" })
        XCTAssertEqual(xip.status, .notParsedConfiguration)
        XCTAssertEqual(xip.reason, "configuration in \(config) (arm) does not build mm/filemap_xip.c "
                       + "(its Makefile needs CONFIG_FS_XIP)")
        XCTAssertFalse(scan.files.contains { $0.path == "mm/filemap_xip.c" })
    }

    // MARK: committed build artifacts

    func testBuildArtifactsAreNeverRead() throws {
        let scan = try scanAsTheToolDoes("era-artifacts")
        assertEveryFileParsesClean(scan)
        XCTAssertEqual(scan.configuration, "synthetic x86-64 configuration (the tree has no .config; the build "
                       + "artifacts it carries (include/config, include/generated) are ignored)")
        XCTAssertEqual(Set(scan.sites.map(\.path)), ["mm/rmap.c"], "no use in generated files or *.mod.c")
        XCTAssertEqual(scan.wrappers.map(\.name), [])
        let tree = try KernelTree(path: fixture("era-artifacts"))
        XCTAssertFalse(tree.listing.files.contains { $0.hasPrefix("include/config/") || $0.hasPrefix("include/generated/") })
        XCTAssertFalse(tree.listing.files.contains("mm/rmap.mod.c"))
        XCTAssertTrue(BuildArtifacts.isArtifactFile("include/asm-arm/mach-types.h"))
        XCTAssertFalse(BuildArtifacts.isArtifactFile("include/asm-generic/asm-offsets.h"), "source, not output")
        XCTAssertTrue(BuildArtifacts.isArtifactDirectory("arch/arm/include/generated"))
        XCTAssertFalse(BuildArtifacts.isArtifactDirectory("arch/arm/include/asm"))
    }

    // MARK: a kernel one directory down

    func testAKernelOneDirectoryDownIsPointedAt() throws {
        let path = fixture("era-subdir")
        XCTAssertThrowsError(try KernelTree(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): not a kernel tree (did you mean \(path)/linux-5.0.1?)")
        }
        let run = try runTool(["scan", path])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "notifysplit: \(path): not a kernel tree (did you mean \(path)/linux-5.0.1?)\n")
        // And that tree parses clean: its uapi poll.h comes through Kbuild.asm.
        let scan = try scanAsTheToolDoes("era-subdir/linux-5.0.1")
        assertEveryFileParsesClean(scan)
        XCTAssertEqual(scan.configuration, "synthetic x86-64 configuration (the tree has no .config)")
    }

    // MARK: the command line says it too

    func testScanJSONCarriesPerFileErrorsAndDiagnoseTheConfiguration() throws {
        let run = try runTool(["scan", fixture("era-arm-vendor"), "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(object["files"] as? [[String: Any]])
        XCTAssertEqual(files.compactMap { $0["path"] as? String }, ["mm/memory.c", "mm/rmap.c"])
        XCTAssertEqual(files.compactMap { $0["errors"] as? Int }, [0, 0])
        XCTAssertEqual(files[0]["configuration"] as? String, "synthetic x86-64 configuration")
        XCTAssertEqual((files[0]["rejected"] as? [String])?.count, 1)
        let schema = repositoryRoot.path + "/schemas/scan-report.schema.json"
        let directory = try makeTemporaryDirectory(self)
        try run.stdout.write(toFile: directory + "/scan.json", atomically: true, encoding: .utf8)
        let (status, output) = try shell([repositoryRoot.path + "/scripts/validate-json", schema, directory + "/scan.json"],
                                         in: directory)
        XCTAssertEqual(status, 0, output)

        let diagnose = try runTool(["diagnose", fixture("era-arm-vendor"), "mm/memory.c"])
        XCTAssertEqual(diagnose.status, 0, diagnose.stderr)
        let lines = diagnose.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("# configuration: configuration in .config (arm: mach-fooboard, plat-foo)"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("# not used: configuration in .config (arm: mach-fooboard, plat-foo): ") })
        XCTAssertTrue(lines.contains("# parsed with: synthetic x86-64 configuration"))
        XCTAssertEqual(lines.last, "0 diagnostic(s)")

        // Under the ARM configuration alone (--config, no fallback) its errors are printed.
        let arm = try runTool(["diagnose", fixture("era-arm-vendor"), "mm/memory.c",
                               "--config", fixture("era-arm-vendor/.config")])
        XCTAssertEqual(arm.status, 3)
        XCTAssertTrue(arm.stdout.contains("'asm/cacheflush.h' file not found"), arm.stdout)
    }
}

/// The pieces: the make evaluator, Kconfig-independent helpers.
final class MakeEvaluatorTests: XCTestCase {
    func testConditionalsFunctionsAndConfigNames() {
        var make = MakeEvaluator(configuration: ["A": "1", "N": "64", "M_MODULE": "1"])
        make.evaluate("""
            list-y := one
            list-$(CONFIG_A) += two
            list-$(CONFIG_B) += three
            ifeq ($(CONFIG_B),y)
            branch := b
            else ifeq ($(CONFIG_A),y)
            branch := a
            else
            branch := none
            endif
            ifneq ($(CONFIG_M),m)
            module := no
            endif
            dirs := $(patsubst %,arch/arm/mach-%/,$(list-y))
            flags := $(patsubst %,-I%include,$(dirs)) $(call cc-option,-mfoo,-mbar)
            first := $(word 2,$(list-y))
            \tnot-an-assignment := recipe
            """)
        XCTAssertEqual(make.value(of: "list-y"), "one two")
        XCTAssertEqual(make.value(of: "branch"), "a")
        XCTAssertNil(make.value(of: "module"), "$(CONFIG_M) is m for a module")
        XCTAssertEqual(make.value(of: "flags"), "-Iarch/arm/mach-one/include -Iarch/arm/mach-two/include -mfoo")
        XCTAssertEqual(make.value(of: "first"), "two")
        XCTAssertNil(make.value(of: "not-an-assignment"))
    }

    func testEveryBranchTakenForWhatAMakefileCanList() {
        let text = """
            files := a.o
            ifneq ($(CONFIG_B),)
            files += b.o
            else ifeq ($(CONFIG_C),y)
            files += c.o
            else
            files += d.o
            endif
            """
        var configured = MakeEvaluator(configuration: ["C": "1"])
        configured.evaluate(text)
        XCTAssertEqual(configured.value(of: "files"), "a.o c.o")
        var every = MakeEvaluator(configuration: ["C": "1"])
        every.takesEveryBranch = true
        every.evaluate(text)
        XCTAssertEqual(every.value(of: "files"), "a.o b.o c.o d.o")
    }

    func testDotConfigValues() {
        let config = DotConfig(path: ".config", text: "CONFIG_ARM=y\nCONFIG_M=m\n# CONFIG_N is not set\nCONFIG_S=\"x\"\nCONFIG_HZ=100\n")
        XCTAssertEqual(config.architecture, "arm")
        XCTAssertEqual(config.symbols.map(\.0), ["ARM", "M_MODULE", "S", "HZ"])
        XCTAssertEqual(config.symbols.map(\.1), ["1", "1", "\"x\"", "100"])
    }
}
