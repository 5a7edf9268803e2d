import Foundation
import FuzzSupport

// notifysplit-fuzz: built normally it replays inputs (each file named on
// the command line, or every file of the directories named) through the
// harness, with deterministic token-level mutants of each
// (NOTIFYSPLIT_FUZZ_MUTANTS, default 8), and prints every problem. Built
// with `-sanitize=fuzzer -DNOTIFYSPLIT_FUZZ` (make fuzz), libFuzzer drives
// it, with a mutator that also works on tokens and statements, and traps
// on the first problem.
//
// NOTIFYSPLIT_FUZZ_ORACLE=one (the fuzzer's default: one meaning-keeping
// transformation and one converse mutation per input, chosen from its
// bytes), all (every one; the replay's default) or off.

let environment = ProcessInfo.processInfo.environment
func oracleDepth(default value: FuzzHarness.OracleDepth) -> FuzzHarness.OracleDepth {
    switch environment["NOTIFYSPLIT_FUZZ_ORACLE"] {
    case "all": return .all
    case "one": return .one
    case "off": return .off
    default: return value
    }
}

#if NOTIFYSPLIT_FUZZ
let harness: FuzzHarness = {
    do { return try FuzzHarness(depth: oracleDepth(default: .one)) } catch {
        fatalError("cannot set up the fuzz tree: \(error)")
    }
}()

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

@_cdecl("LLVMFuzzerCustomMutator")
func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var generator = SplitMix(seed: UInt64(seed))
    guard generator.next() % 3 != 0 else { return LLVMFuzzerMutate(data, size, maxSize) }
    let mutated = TokenMutator.mutate(Array(UnsafeBufferPointer(start: data, count: size)), using: &generator)
    let count = min(mutated.count, maxSize)
    mutated.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    return count
}

// The oracle's counts when libFuzzer ends the run (-max_total_time).
atexit {
    let lines = harness.statistics.sorted { $0.key < $1.key }.map { "notifysplit-fuzz: \($0.key): \($0.value)" }
        + harness.reasonDifferences.map { "notifysplit-fuzz: refusal reasons differ (reported, not a problem): \($0)" }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    harness.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
})
#else
let harness: FuzzHarness = {
    do { return try FuzzHarness(depth: oracleDepth(default: .all)) } catch {
        fatalError("cannot set up the fuzz tree: \(error)")
    }
}()
var inputs: [String] = []
for argument in CommandLine.arguments.dropFirst() {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
        inputs += ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted()
            .map { argument + "/" + $0 }
    } else {
        inputs.append(argument)
    }
}
let mutants = environment["NOTIFYSPLIT_FUZZ_MUTANTS"].flatMap(Int.init) ?? 8
var generator = SplitMix(seed: environment["NOTIFYSPLIT_FUZZ_SEED"].flatMap(UInt64.init) ?? 1)
var problems = 0
for input in inputs {
    guard let bytes = FileManager.default.contents(atPath: input).map(Array.init) else {
        FileHandle.standardError.write(Data("notifysplit-fuzz: cannot read \(input)\n".utf8))
        exit(2)
    }
    // The input, and a few token-level mutants of it, deterministically.
    var runs = [(input, bytes)]
    for n in 0..<mutants { runs.append(("\(input) mutant \(n)", TokenMutator.mutate(bytes, using: &generator))) }
    for (name, run) in runs {
        for problem in harness.check(run) {
            problems += 1
            print("\(name): \(problem)\n--- input ---\n\(String(decoding: run, as: UTF8.self))\n---")
        }
    }
}
for (key, value) in harness.statistics.sorted(by: { $0.key < $1.key }) { print("\(key): \(value)") }
for difference in harness.reasonDifferences { print("refusal reasons differ (reported, not a problem): \(difference)") }
print("\(inputs.count) input(s), \(inputs.count * (mutants + 1)) run(s): \(problems) problem(s)")
exit(problems == 0 ? 0 : 1)
#endif
