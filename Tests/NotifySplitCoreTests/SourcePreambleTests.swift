@testable import NotifySplitCore
import XCTest

/// Where a source file's preamble ends. Each case is the file's text with
/// `⟦` at the expected end: after the last directive that leaves no `#if`
/// open, before the first token that is not a directive.
final class SourcePreambleTests: XCTestCase {
    private func assertPreamble(_ marked: String, file: StaticString = #filePath, line: UInt = #line) {
        let parts = marked.components(separatedBy: "⟦")
        XCTAssertEqual(parts.count, 2, "one marker", file: file, line: line)
        let text = parts.joined()
        let length = SourcePreamble.length(of: Array(text.utf8))
        let expected = parts[0].utf8.count
        XCTAssertEqual(length, expected, "preamble: \(String(decoding: Array(text.utf8).prefix(length), as: UTF8.self))",
                       file: file, line: line)
    }

    func testTheIncludeBlockOfAKernelFile() {
        assertPreamble("""
            // SPDX-License-Identifier: GPL-2.0
            /*
             * mm/example.c
             */
            #include <linux/mm.h>
            #include <linux/rmap.h>
            #include "internal.h"⟦

            static int example(void)
            {
            \treturn 0;
            }
            """)
    }

    func testAClosedConditionalBelongsToIt() {
        assertPreamble("""
            #include <linux/mm.h>
            #ifdef CONFIG_NUMA
            #include <linux/mempolicy.h>
            #else
            # define NUMA_NO_NODE (-1)
            #endif⟦
            int x;
            """)
    }

    func testItEndsBeforeAConditionalLeftOpen() {
        // The #ifndef's body goes on past the first declaration.
        assertPreamble("""
            #include <linux/mm.h>
            #define CREATE_TRACE_POINTS
            #include <trace/events/example.h>⟦
            #ifndef CONFIG_NUMA
            unsigned long max_mapnr;
            #endif
            """)
    }

    func testAFileWrappedInAGuardHasNone() {
        assertPreamble("""
            ⟦#ifndef _EXAMPLE_H
            #define _EXAMPLE_H
            #include <linux/types.h>
            int example(void);
            #endif
            """)
    }

    func testAFileWithoutDirectivesHasNone() {
        assertPreamble("⟦/* nothing */\nint x;\n")
    }

    func testSplicesCommentsAndQuotesInsideDirectives() {
        // A continued #define, a block comment running over a line end
        // inside a directive, an apostrophe in an #error's text and a
        // `#if` spelled with space and a comment after the `#`.
        assertPreamble("""
            #define TWO_LINES(a) \\
            \t((a) + 1)
            #define COMMENTED 1 /* runs
             over */
            # /* x */ if 0
            #error Don't build this
            #endif⟦
            int after;
            """)
    }

    func testAnUnbalancedEndifStopsIt() {
        assertPreamble("""
            #include <linux/mm.h>⟦
            #endif
            int x;
            """)
    }

    func testItEndsBeforeALineDirective() {
        // What follows `#line` is numbered by it: it stays in the file.
        assertPreamble("""
            #include <linux/mm.h>⟦
            #line 100 "generated.c"
            #include <linux/rmap.h>
            int x;
            """)
        assertPreamble("""
            #include <linux/mm.h>⟦
            # 7 "generated.c"
            int x;
            """)
    }
}
