import Testing
import ArgumentParser
@testable import descent

/// `descent`'s flags and subcommands: every form parses to what it says, and anything else is
/// refused with usage text instead of being guessed at.
@Suite struct CommandLineTests {
    func parsed(_ arguments: [String]) throws -> any ParsableCommand {
        try Descent.parseAsRoot(arguments)
    }

    @Test func aLessonAndItsThemeInAnyOrder() throws {
        for arguments in [["x.md", "--theme", "light"], ["--theme", "light", "x.md"]] {
            let open = try #require(try parsed(arguments) as? Open)
            #expect(open.lesson == "x.md" && open.theme == "light" && !open.headless)
        }
        let none = try #require(try parsed([]) as? Open)
        #expect(none.lesson == nil && none.theme == nil)
    }

    @Test func serveTakesAModelAndItsAddress() throws {
        let serve = try #require(try parsed(["serve", "iris", "--port", "0"]) as? Serve)
        #expect(serve.names == ["iris"] && serve.port == 0 && serve.host == "127.0.0.1")
        let two = try #require(try parsed(["serve", "iris", "sortgpt"]) as? Serve)
        #expect(two.names == ["iris", "sortgpt"])
        #expect(throws: (any Error).self) { try parsed(["serve", "iris", "--port", "70000"]) }
        #expect(throws: (any Error).self) { try parsed(["serve"]) }
    }

    @Test func headlessIsAFlagNotALesson() throws {
        let open = try #require(try parsed(["--theme", "light", "--headless"]) as? Open)
        #expect(open.headless && open.lesson == nil && open.theme == "light")
    }

    @Test func runTakesEveryNotebookAndBenchItsOptions() throws {
        let replay = try #require(try parsed(["run", "a.md", "b.md"]) as? Replay)
        #expect(replay.notebooks == ["a.md", "b.md"])
        let bench = try #require(try parsed(["bench", "w1", "ring", "--reps", "3", "--threads", "2"]) as? Bench)
        #expect(bench.names == ["w1", "ring"] && bench.reps == 3 && bench.threads == 2)
    }

    @Test(arguments: [["a.md", "b.md"], ["--frobnicate"], ["run"], ["bench", "nope"], ["bench", "--reps", "0"],
                      ["--theme"]])
    func refusedWithUsage(_ arguments: [String]) {
        do {
            _ = try parsed(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(!Descent.message(for: error).isEmpty, "\(arguments): a reason is given")
        }
    }

    @Test func aSecondLessonIsNamedInTheError() {
        do {
            _ = try parsed(["a.md", "b.md"])
            Issue.record("two lessons parsed")
        } catch {
            #expect(Descent.message(for: error).contains("b.md"))
        }
    }
}
