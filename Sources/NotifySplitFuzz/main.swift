import Foundation
import FuzzSupport

// notifysplit-fuzz: built normally it replays inputs (each file named on
// the command line, or every file of the directories named) through the
// harness, with deterministic token-level mutants of each. Built
// with `-sanitize=fuzzer -DNOTIFYSPLIT_FUZZ` (make fuzz), libFuzzer drives
// it, with a mutator that also works on tokens and statements.

let harness: FuzzHarness = {
    do { return try FuzzHarness() } catch { fatalError("cannot set up the fuzz tree: \(error)") }
}()

#if NOTIFYSPLIT_FUZZ
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

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    harness.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
})
#else
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
var generator = SplitMix(seed: 1)
for input in inputs {
    guard let bytes = FileManager.default.contents(atPath: input).map(Array.init) else {
        FileHandle.standardError.write(Data("notifysplit-fuzz: cannot read \(input)\n".utf8))
        exit(2)
    }
    harness.run(bytes)
    // And a few token-level mutants of it, deterministically.
    for _ in 0..<8 { harness.run(TokenMutator.mutate(bytes, using: &generator)) }
}
print("\(inputs.count) input(s), \(inputs.count * 9) run(s): no crash, every series consistent")
#endif
