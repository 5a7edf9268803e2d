import Clang
import Foundation
import XCTest

final class CompilationDatabaseTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("notifysplit-cdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testReadsCommandsThroughLibclang() throws {
        let directory = try temporaryDirectory()
        let json = """
            [{"directory": "/src/linux", "file": "/src/linux/mm/rmap.c",
              "arguments": ["gcc", "-Iinclude", "-D__KERNEL__", "-c", "-o", "mm/rmap.o", "/src/linux/mm/rmap.c"]}]
            """
        try json.write(to: directory.appendingPathComponent("compile_commands.json"),
                       atomically: true, encoding: .utf8)
        let database = try CompilationDatabase(directory: directory.path)
        let commands = database.allCommands
        XCTAssertEqual(commands.count, 1)
        XCTAssertEqual(commands[0].directory, "/src/linux")
        XCTAssertEqual(commands[0].filename, "/src/linux/mm/rmap.c")
        XCTAssertEqual(commands[0].arguments.first, "gcc")
        XCTAssertTrue(commands[0].arguments.contains("-D__KERNEL__"))
    }

    func testMissingDatabaseThrows() throws {
        let directory = try temporaryDirectory()
        XCTAssertThrowsError(try CompilationDatabase(directory: directory.path))
    }
}
