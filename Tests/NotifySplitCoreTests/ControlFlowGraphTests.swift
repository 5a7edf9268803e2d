import Clang
import Foundation
@testable import NotifySplitCore
import XCTest

/// The statement-level control-flow graph, one shape per case: which
/// statements can follow which.
final class ControlFlowGraphTests: XCTestCase {
    let path = "/notifysplit-test/cfg.c"

    /// Parses `body` as the body of `int f(int a, int b)`, with `mark(N)`
    /// calls naming statements; returns the graph and a lookup by mark.
    func graph(_ body: String) throws -> (FunctionBody, (Int) -> Int) {
        let source = "void mark(int n);\nint f(int a, int b)\n{\n\(body)\n}\n"
        let bytes = Array(source.utf8)
        let unit = try TranslationUnit(index: Index(), path: path, arguments: ["-std=gnu11"],
                                       unsavedFiles: [.init(path: path, contents: bytes)],
                                       options: [.detailedPreprocessingRecord])
        var function: Cursor?
        unit.cursor.visitChildren { cursor in
            if cursor.kind == .functionDecl, cursor.spelling == "f", cursor.isDefinition { function = cursor }
            return .continue
        }
        let body = try XCTUnwrap(FunctionBody(cursor: try XCTUnwrap(function), bytes: bytes, path: path))
        return (body, { n in
            let needle = Array("mark(\(n))".utf8)
            let start = bytes.indices.first { Array(bytes[$0..<min($0 + needle.count, bytes.count)]) == needle }!
            return body.graph.node(containing: start..<(start + needle.count))!
        })
    }

    func reaches(_ body: FunctionBody, _ from: Int, _ to: Int, avoiding: Set<Int> = []) -> Bool {
        body.graph.reachable(from: from, avoiding: avoiding).contains(to)
    }

    func testIfElseJoins() throws {
        let (body, m) = try graph("if (a) mark(1); else mark(2); mark(3); return 0;")
        XCTAssertTrue(reaches(body, m(1), m(3)))
        XCTAssertTrue(reaches(body, m(2), m(3)))
        XCTAssertFalse(reaches(body, m(1), m(2)))
        XCTAssertTrue(reaches(body, body.graph.entry, m(3), avoiding: [m(1)]), "the else path bypasses mark(1)")
    }

    func testGotoSkipsAndLabelsJoin() throws {
        let (body, m) = try graph("if (a) goto out; mark(1); out: mark(2); return 0;")
        XCTAssertTrue(reaches(body, body.graph.entry, m(2), avoiding: [m(1)]))
        XCTAssertTrue(reaches(body, m(1), m(2)))
    }

    func testLoopsBreakAndContinue() throws {
        let (body, m) = try graph("""
            for (a = 0; a != b; a++) {
                if (a == 3) continue;
                if (a == 7) break;
                mark(1);
            }
            mark(2);
            return 0;
            """)
        XCTAssertTrue(reaches(body, m(1), m(1)), "the loop comes back")
        XCTAssertTrue(reaches(body, m(1), m(2)))
        XCTAssertFalse(body.graph.nodes[m(2)].loops.count > 0)
        XCTAssertEqual(body.graph.nodes[m(1)].loops.count, 1)
    }

    func testDoWhileRunsItsBodyFirst() throws {
        let (body, m) = try graph("do { mark(1); } while (a--); mark(2); return 0;")
        XCTAssertFalse(reaches(body, body.graph.entry, m(2), avoiding: [m(1)]), "the body runs at least once")
        XCTAssertTrue(reaches(body, m(1), m(1)))
    }

    func testSwitchCasesFallThroughAndBreak() throws {
        let (body, m) = try graph("""
            switch (a) {
            case 1: mark(1);
            case 2: mark(2); break;
            default: mark(3);
            }
            mark(4);
            return 0;
            """)
        XCTAssertTrue(reaches(body, m(1), m(2)), "fall-through")
        XCTAssertFalse(reaches(body, m(2), m(3)), "break leaves the switch")
        XCTAssertTrue(reaches(body, m(2), m(4)))
        XCTAssertTrue(reaches(body, body.graph.entry, m(3), avoiding: [m(1), m(2)]), "straight to default")
    }

    func testReturnEndsThePath() throws {
        let (body, m) = try graph("if (a) { mark(1); return 1; } mark(2); return 0;")
        XCTAssertFalse(reaches(body, m(1), m(2)))
        XCTAssertTrue(reaches(body, m(1), body.graph.exit))
    }

    /// A statement a macro expands to is one node, whatever it contains.
    func testMacroStatementIsOneNode() throws {
        let (body, m) = try graph("""
            #define TWICE(x) do { mark(x); mark(x); } while (0)
            TWICE(5); mark(6); return 0;
            """)
        XCTAssertTrue(body.source.invocations.contains { $0.name == "TWICE" })
        XCTAssertEqual(body.graph.nodes[m(6)].loops, [], "the macro's do/while is not a loop of the function")
    }

    /// A statement macro that returns contributes its real edge to the exit.
    func testMacroStatementThatReturnsHasItsEdge() throws {
        let (body, m) = try graph("""
            #define RETURN_IF(c, v) do { if (c) return (v); } while (0)
            mark(1); RETURN_IF(a, 1); mark(2); return 0;
            """)
        XCTAssertTrue(body.hiddenJumps.isEmpty)
        XCTAssertTrue(reaches(body, m(1), body.graph.exit, avoiding: [m(2)]), "the macro's return")
        XCTAssertTrue(reaches(body, m(1), m(2)))
    }

    /// A loop header a same-file macro writes: its condition exits.
    func testSameFileMacroLoopExits() throws {
        let (body, m) = try graph("""
            #define for_each_idx(i, n) for (i = 0; i < (n); i++)
            for_each_idx(a, b) { mark(1); } mark(2); return 0;
            """)
        XCTAssertTrue(reaches(body, m(1), m(2)))
        XCTAssertTrue(reaches(body, body.graph.entry, m(2), avoiding: [m(1)]), "zero iterations")
    }

    /// A macro loop header with no init part: the tokens of its definition
    /// say which parts the two header children are.
    func testMacroLoopWithoutInitPart() throws {
        let (body, m) = try graph("""
            #define from_here(p, e) for (; (p) != (e); (p)++)
            from_here(a, b) mark(1); mark(2); return 0;
            """)
        XCTAssertTrue(reaches(body, body.graph.entry, m(2), avoiding: [m(1)]), "the condition exits")
        XCTAssertTrue(reaches(body, m(1), m(1)), "the increment loops back")
    }
}
