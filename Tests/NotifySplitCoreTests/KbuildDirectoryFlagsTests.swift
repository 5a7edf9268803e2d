@testable import NotifySplitCore
import Foundation
import XCTest

/// What a file's own Makefiles add to its compile (Fixtures/kbuild-flags,
/// modelled on amdgpu, amdkfd, nouveau, i915, dccp, chtls and a 2.6 dvb
/// frontend): each case gives the Makefile shape, the file, and the
/// arguments expected, with the tree's path written `$(srctree)` and the
/// output directory's `$(objtree)`.
final class KbuildDirectoryFlagsTests: XCTestCase {
    /// The flags of `file`, paths shortened as kbuild writes them.
    func flags(_ file: String, symbols: [String: String] = [:], options: [String] = [],
               objtree: String = "/nonexistent-objtree") throws -> [String] {
        let tree = try KernelTree(path: fixture("kbuild-flags"))
        let flags = KbuildDirectoryFlags(tree: tree, architecture: "x86", objtree: objtree, symbols: symbols)
        return flags.arguments(forFile: file, options: options).map {
            $0.replacingOccurrences(of: tree.root, with: "$(srctree)").replacingOccurrences(of: objtree, with: "$(objtree)")
        }
    }

    func builder(_ file: String) throws -> String {
        let tree = try KernelTree(path: fixture("kbuild-flags"))
        return KbuildDirectoryFlags(tree: tree, architecture: "x86", objtree: "/nonexistent", symbols: [:])
            .builder(forFile: file)
    }

    // amdgpu: FULL_AMD_PATH=$(srctree)/$(src)/.. ; ccflags-y := -I$(FULL_AMD_PATH)/include …;
    // include $(FULL_AMD_PATH)/pm/Makefile (subdir-ccflags-y += -I$(FULL_AMD_PATH)/pm/inc);
    // drm's subdir-ccflags-y += -DDRM_WIDE=1 -Wno-unused -O2.
    func testAVariableOfTheMakefileAndAnIncludedMakefileExpand() throws {
        XCTAssertEqual(try flags("drivers/gpu/drm/amd/amdfoo/amdfoo_mn.c"), [
            "-DDRM_WIDE=1",
            "-I", "$(srctree)/drivers/gpu/drm/amd/pm/inc",
            "-I", "$(srctree)/drivers/gpu/drm/amd/include",
            "-I", "$(srctree)/drivers/gpu/drm/amd/amdfoo",
            "-I", "$(srctree)/drivers/gpu/drm/amd/kfd",
        ])
    }

    // amdkfd: kfd/Makefile has no obj- list; amdfoo's Makefile includes it under
    // ifneq ($(CONFIG_HSA_AMDFOO),) and lists $(KFD_PATH)/kfd_svm.o (KFD_PATH := ../kfd).
    func testAFileBuiltByAnotherDirectorysMakefileGetsThatMakefilesFlags() throws {
        XCTAssertEqual(try builder("drivers/gpu/drm/amd/kfd/kfd_svm.c"), "drivers/gpu/drm/amd/amdfoo")
        XCTAssertEqual(try flags("drivers/gpu/drm/amd/kfd/kfd_svm.c"),
                       try flags("drivers/gpu/drm/amd/amdfoo/amdfoo_mn.c"))
        // With the option kfd's Makefile is included under, its ccflags-y += too.
        XCTAssertEqual(try flags("drivers/gpu/drm/amd/kfd/kfd_svm.c", options: ["HSA_AMDFOO"]).suffix(3),
                       ["-I", "$(srctree)/drivers/gpu/drm/amd/kfd", "-DKFD_SVM_ENABLED=1"])
    }

    // nouveau: Kbuild (not Makefile); NV_PATH ?= $(srctree); ccflags-y += -I $(NV_PATH)/$(src)/include;
    // include $(src)/nvkm/Kbuild → include $(src)/nvkm/subdev/mmu/Kbuild → nvkm-y += nvkm/subdev/mmu/vmm.o
    func testKbuildFileBlankSeparatedIncludeAndNestedIncludes() throws {
        let expected = ["-DDRM_WIDE=1",
                        "-I", "$(srctree)/drivers/gpu/drm/nv/include",
                        "-I", "$(srctree)/drivers/gpu/drm/nv/include/nvkm"]
        XCTAssertEqual(try flags("drivers/gpu/drm/nv/nv_svm.c"), expected)
        XCTAssertEqual(try builder("drivers/gpu/drm/nv/nvkm/subdev/mmu/vmm.c"), "drivers/gpu/drm/nv")
        XCTAssertEqual(try flags("drivers/gpu/drm/nv/nvkm/subdev/mmu/vmm.c"), expected)
    }

    // i915: subdir-ccflags-y := -Wall -Wextra; subdir-ccflags-$(CONFIG_DRM_I9_WERROR) += -Werror;
    // subdir-ccflags-y += -I$(srctree)/$(src); gt-y += gt/i9_gt.o (gt/ has no Makefile).
    func testWarningsAreDroppedAndADirectoryWithoutMakefileIsBuiltByItsParent() throws {
        let expected = ["-DDRM_WIDE=1", "-I", "$(srctree)/drivers/gpu/drm/i9"]
        XCTAssertEqual(try flags("drivers/gpu/drm/i9/i9_mm.c", symbols: ["DRM_I9_WERROR": "1"]), expected)
        XCTAssertEqual(try builder("drivers/gpu/drm/i9/gt/i9_gt.c"), "drivers/gpu/drm/i9")
        XCTAssertEqual(try flags("drivers/gpu/drm/i9/gt/i9_gt.c"), expected)
    }

    // dccp: CFLAGS_proto.o := -I$(src); CFLAGS_output.o := -I$(obj).
    func testAnObjectsOwnFlagsAreItsAlone() throws {
        XCTAssertEqual(try flags("net/dccp/proto.c"), ["-I", "$(srctree)/net/dccp"])
        let objtree = try makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: objtree + "/net/dccp", withIntermediateDirectories: true)
        // Relative, as kbuild passes it: the tree's directory and the output directory's.
        XCTAssertEqual(try flags("net/dccp/output.c", objtree: objtree),
                       ["-I", "$(srctree)/net/dccp", "-I", "$(objtree)/net/dccp"])
    }

    // 3.0 kvm: ccflags-y += -Iarch/x86/kvm; CFLAGS_x86.o := -I. (the top of the tree).
    func testTheTopOfTheTreeAsAnIncludeDirectory() throws {
        XCTAssertEqual(try flags("arch/x86/kvm/x86.c"), ["-I", "$(srctree)/arch/x86/kvm", "-I", "$(srctree)"])
    }

    // chtls: ccflags-y := -I $(srctree)/drivers/net/cxgb -DCHTLS_VERSION=\"1.0\" -O2;
    // ccflags-$(CONFIG_64BIT) += -DCHTLS_64; ccflags-$(CONFIG_CHTLS_NEVER_SET) += -DCHTLS_NEVER …
    func testShellQuotingAndConfigurationDependentFlags() throws {
        XCTAssertEqual(try flags("drivers/net/chtls/chtls_main.c", symbols: ["64BIT": "1"]),
                       ["-I", "$(srctree)/drivers/net/cxgb", "-DCHTLS_VERSION=\"1.0\"", "-DCHTLS_64"])
        XCTAssertEqual(try flags("drivers/net/chtls/chtls_main.c"),
                       ["-I", "$(srctree)/drivers/net/cxgb", "-DCHTLS_VERSION=\"1.0\""])
    }

    // 2.6 dvb: EXTRA_CFLAGS += -Idrivers/media/dvb/dvb-core/ (relative to the tree).
    func testExtraCflagsWithATreeRelativeDirectory() throws {
        XCTAssertEqual(try flags("drivers/media/dvb/frontends/fe.c"),
                       ["-I", "$(srctree)/drivers/media/dvb/dvb-core"])
    }

    // A 4.x tree: scripts/Makefile.lib has CFLAGS_$(basetarget).o, so
    // `x-y := sub/foo.o` takes CFLAGS_foo.o (a 6.x tree: CFLAGS_sub/foo.o).
    func testAnOlderTreeNamesAnObjectsFlagsByItsFileName() throws {
        let root = try makeTemporaryDirectory(self)
        let files = [
            "Makefile": "VERSION = 4\nPATCHLEVEL = 20\n",
            "include/linux/mmu_notifier.h": "",
            "scripts/Makefile.lib": "_c_flags = $(KBUILD_CFLAGS) $(ccflags-y) $(CFLAGS_$(basetarget).o)\n",
            "drivers/x/Makefile": "obj-y += x.o\nx-y := sub/foo.o\nCFLAGS_foo.o := -DBASE\nCFLAGS_sub/foo.o := -DSTEM\n",
            "drivers/x/sub/foo.c": "",
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: root + "/" + (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        let old = try KernelTree(path: root)
        XCTAssertEqual(KbuildDirectoryFlags(tree: old, architecture: "x86", objtree: "/nonexistent", symbols: [:])
                        .arguments(forFile: "drivers/x/sub/foo.c"), ["-DBASE"])
        try FileManager.default.removeItem(atPath: root + "/scripts/Makefile.lib")
        XCTAssertEqual(KbuildDirectoryFlags(tree: old, architecture: "x86", objtree: "/nonexistent", symbols: [:])
                        .arguments(forFile: "drivers/x/sub/foo.c"), ["-DSTEM"])
    }

    func testPreprocessorWordsAreSplitAsTheShellDoes() {
        let value = #"-DA=\"x y\" '-DB=1 2' -I dir -Iother -include f.h -iquote q -O2 -Wall -U X -mno-sse -DC="\"z\"""#
        XCTAssertEqual(PreprocessorFlagWords.flags(in: value), [
            .define("-DA=\"x"), .define("-DB=1 2"), .path(option: "-I", path: "dir"), .path(option: "-I", path: "other"),
            .path(option: "-include", path: "f.h"), .path(option: "-iquote", path: "q"), .define("-UX"),
            .define("-DC=\"z\""),
        ])
    }

    /// Every file of the fixture parses with 0 errors under the synthetic
    /// configuration: each needs its Makefiles' flags to.
    func testEveryDriverFileParsesCleanWithItsMakefilesFlags() throws {
        let tree = try KernelTree(path: fixture("kbuild-flags"))
        let choice = try ConfigurationChoice.decide(tree: tree, arch: nil, config: nil)
        let scan = try Scan.run(tree: tree, arguments: try choice.provider(tree: tree), options: .init())
        XCTAssertEqual(scan.files.map(\.path).sorted(), [
            "arch/x86/kvm/x86.c", "drivers/gpu/drm/amd/amdfoo/amdfoo_mn.c", "drivers/gpu/drm/amd/kfd/kfd_svm.c",
            "drivers/gpu/drm/i9/gt/i9_gt.c", "drivers/gpu/drm/i9/i9_mm.c",
            "drivers/gpu/drm/nv/nv_svm.c", "drivers/gpu/drm/nv/nvkm/subdev/mmu/vmm.c",
            "drivers/media/dvb/frontends/fe.c", "drivers/net/chtls/chtls_main.c", "net/dccp/proto.c",
        ])
        for parsed in scan.files {
            XCTAssertEqual(parsed.errors, 0, "\(parsed.path)")
        }
        XCTAssertTrue(scan.isComplete)
    }
}
