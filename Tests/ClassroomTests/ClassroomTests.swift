import Foundation
import Testing
import CommandLanguage
import Models
import WorkbenchCore
@testable import Classroom

/// The class folder, the roster, handing out and grading, without processes.
@Suite struct ClassroomTests {
    static let assignment = """
        # Assignment 1

        ```descent
        seed 7
        data iris
        ```

        Choose a model and train it.

        ```descent answer
        # your commands
        ```

        ```descent
        expect val.acc > 0.8 points=2
        ```

        ```descent hidden
        expect val.acc > 0.9 points=3
        expect train.loss < 10
        ```

        """

    /// An ed25519 public key line with 32 bytes of `byte`.
    static func key(_ byte: UInt8, comment: String = "ada@laptop") -> String {
        let type = Array("ssh-ed25519".utf8)
        var blob: [UInt8] = [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, 32]
        blob += [UInt8](repeating: byte, count: 32)
        return "ssh-ed25519 \(Data(blob).base64EncodedString()) \(comment)"
    }

    static func folder() -> String { NSTemporaryDirectory() + "descent-class-\(UUID().uuidString)" }

    @Test func theHandoutHasNoHiddenCells() {
        let teacher = Notebook(parsing: Self.assignment, fileName: "a1.md")
        #expect(teacher.cells.map(\.kind) == [.given, .answer, .given, .hidden])
        let handout = Notebook(parsing: teacher.handout(), fileName: "a1.md")
        #expect(handout.cells.map(\.kind) == [.given, .answer, .given])
        #expect(!teacher.handout().contains("points=3"))
        #expect(Grading.checks(in: teacher).map(\.points) == [2, 3, 0])
        #expect(Grading.checks(in: teacher).map(\.hidden) == [false, true, true])
    }

    @Test func gradingTakesOnlyTheAnswers() throws {
        let teacher = Notebook(parsing: Self.assignment, fileName: "a1.md")
        // A tampered submission: the given cell changed, the visible check weakened, an
        // `expect` with points of its own in the answer, ✓ written into the prose.
        let tampered = Self.assignment
            .replacingOccurrences(of: "data iris", with: "data linear")
            .replacingOccurrences(of: "expect val.acc > 0.8 points=2", with: "expect val.acc > 0 points=2")
            .replacingOccurrences(of: "# your commands", with: "model softmax\ntrain epochs=30\nexpect val.acc > 0 points=100")
            .replacingOccurrences(of: "Choose a model", with: "✓ all checks passed. Choose a model")
        let submission = Notebook(parsing: Notebook(parsing: tampered, fileName: "s.md").handout(), fileName: "s.md")
        let graded = try Grading.notebook(teacher: teacher, submission: submission, fileName: "graded.md")
        let text = graded.rendered()
        #expect(text.contains("data iris") && !text.contains("data linear"))
        #expect(text.contains("expect val.acc > 0.8 points=2") && text.contains("expect val.acc > 0.9 points=3"))
        #expect(text.contains("model softmax\ntrain epochs=30\n") && !text.contains("✓ all checks"))
        // The answer's own check is not one of the assignment's.
        let checks = Grading.checks(in: graded)
        #expect(checks.map(\.text) == ["val.acc > 0.8 points=2", "val.acc > 0.9 points=3", "train.loss < 10"])
        // Outcomes matched by line: the first held, the hidden one did not, the last was never reached.
        let outcomes = [CheckOutcome(check: "val.acc > 0 points=100", location: "graded.md:12", passed: true, seen: "val.acc = 0.9", points: 100),
                        CheckOutcome(check: checks[0].text, location: "graded.md:\(checks[0].line)", passed: true, seen: "val.acc = 0.87", points: 2),
                        CheckOutcome(check: checks[1].text, location: "graded.md:\(checks[1].line)", passed: false, seen: "val.acc = 0.87", points: 3)]
        let rows = Grading.grade(graded, outcomes: outcomes, learner: "ada", assignment: "a1", unreached: "not reached: out of time")
        #expect(rows.map(\.points) == [2, 0, 0])
        #expect(rows.map(\.possible) == [2, 3, 0])
        #expect(rows.map(\.seen) == ["val.acc = 0.87", "val.acc = 0.87", "not reached: out of time"])
        #expect(Grading.csv(rows).split(separator: "\n").count == 4)
        #expect(Grading.report(rows, learner: "ada").contains("## a1: 2 of 5 points"))
    }

    @Test func aSubmissionOfAnotherShapeIsRefused() {
        let teacher = Notebook(parsing: Self.assignment, fileName: "a1.md")
        let other = Notebook(parsing: "# Mine\n\n```descent answer\ntrain\n```\n\n```descent answer\ntrain\n```\n", fileName: "s.md")
        #expect(throws: DescentError.self) { try Grading.notebook(teacher: teacher, submission: other, fileName: "g.md") }
    }

    @Test func theRosterChecksNamesAndKeys() throws {
        let path = Self.folder()
        let classFolder = try ClassFolder.create(at: path)
        #expect(throws: DescentError.self) { _ = try ClassFolder.create(at: path) }
        let keyFile = path + "/ada.pub", otherFile = path + "/bob.pub", bad = path + "/bad.pub"
        try Self.key(1).write(toFile: keyFile, atomically: true, encoding: .utf8)
        try Self.key(2, comment: "").write(toFile: otherFile, atomically: true, encoding: .utf8)
        try "ssh-ed25519 bm90IGEga2V5\n".write(toFile: bad, atomically: true, encoding: .utf8)
        _ = try classFolder.add("ada", keyFile: keyFile)
        _ = try classFolder.add("bob", keyFile: otherFile)
        #expect(try classFolder.learners() == ["ada", "bob"])
        #expect(FileManager.default.fileExists(atPath: classFolder.learnerPath("ada") + "/submissions"))
        #expect { try classFolder.add("eve", keyFile: keyFile) } throws: { ($0 as? DescentError)?.description == "\(keyFile): this key is already ada's" }
        #expect { try classFolder.add("eve", keyFile: bad) } throws: { ($0 as? DescentError)?.description.hasPrefix("\(bad): the key's data is not a ssh-ed25519 key") == true }
        #expect { try classFolder.add("../eve", keyFile: otherFile) } throws: { ($0 as? DescentError)?.description.hasPrefix("learner name \"../eve\"") == true }
        // A hand-edited roster with a broken line names it.
        try (String(contentsOfFile: classFolder.rosterPath, encoding: .utf8) + "carol ssh-rsa !!!\n")
            .write(toFile: classFolder.rosterPath, atomically: true, encoding: .utf8)
        #expect { try classFolder.learners() } throws: { ($0 as? DescentError)?.description.hasPrefix("\(classFolder.rosterPath):5: the key is not base64") == true }
    }

    @Test func assigningChecksTheNotebook() throws {
        let path = Self.folder()
        let classFolder = try ClassFolder.create(at: path)
        let file = path + "/a1.md"
        try Self.assignment.write(toFile: file, atomically: true, encoding: .utf8)
        let (name, answers, checks, replaced) = try classFolder.assign(file)
        #expect(name == "a1" && answers == 1 && checks.count == 3 && replaced == nil)
        #expect(try classFolder.assign(file).replaced?.count == 3, "assigning again says what it replaced")
        #expect(classFolder.assignments() == ["a1"])
        #expect(!(try String(contentsOfFile: classFolder.handoutPath + "/a1.md", encoding: .utf8)).contains("hidden"))
        let lesson = path + "/lesson.md"
        try "# A lesson\n\n```descent\nexpect val.acc > 0.9 points=1\n```\n".write(toFile: lesson, atomically: true, encoding: .utf8)
        #expect { try classFolder.assign(lesson) } throws: { ($0 as? DescentError)?.description.contains("no answer cell") == true }
    }
}

/// `submit` in a session: what the learner ran while an answer cell was current is their answer.
@Suite struct SubmitTests {
    @Test func theAnswerIsWhatTheLearnerRan() throws {
        let folder = ClassroomTests.folder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let handout = folder + "/a1.md"
        try Notebook(parsing: ClassroomTests.assignment, fileName: "a1.md").handout()
            .write(toFile: handout, atomically: true, encoding: .utf8)
        var lines: [String] = []
        let session = Session { lines.append($0.text) }
        defer { session.shutDown() }
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        runner.submissionsFolder = folder + "/submissions"
        runner.submit(typed: "submit")
        #expect(lines.last == "submit: no assignment is open: `lesson FILE.md` opens one")
        for line in ["lesson \(handout)", "next", "next", "model softmax", "show data", "optimzer adam", "train epochs=20", "help",
                     "next", "submit"] {
            runner.submit(typed: line)
            _ = runner.runToCompletion(timeout: 60)
        }
        #expect(lines.contains { $0.hasSuffix("cell 2 is yours to answer: what you type now is your answer, `next` goes on") })
        #expect(lines.contains { $0.hasSuffix("that was the last cell: `submit` hands in your answers") })
        let submitted = try String(contentsOfFile: folder + "/submissions/a1.md", encoding: .utf8)
        func answer() throws -> [String]? {
            Notebook(parsing: try String(contentsOfFile: folder + "/submissions/a1.md", encoding: .utf8), fileName: "a1.md")
                .answerCells.first?.lines.map(\.text)
        }
        // What ran: not the typo, not help, not `next`.
        #expect(try answer() == ["model softmax", "show data", "train epochs=20"], "\(submitted)")
        #expect(lines.last?.hasPrefix("submitted \(folder)/submissions/a1.md: 1 of 1 answer cell answered") == true, "\(lines.suffix(2))")
        // The answer cell's prose is on the screen after the first `next`: what is typed then is the answer too.
        for line in ["lesson \(handout)", "next", "model mlp 4", "train epochs=5", "submit"] {
            runner.submit(typed: line)
            _ = runner.runToCompletion(timeout: 60)
        }
        #expect(try answer() == ["model mlp 4", "train epochs=5"])
        // Opening it again and stepping through without typing keeps the answer handed in.
        for line in ["lesson \(handout)", "next", "next", "next", "submit"] {
            runner.submit(typed: line)
            _ = runner.runToCompletion(timeout: 60)
        }
        #expect(try answer() == ["model mlp 4", "train epochs=5"])
        #expect(lines.last?.contains("(1 as submitted before)") == true, "\(lines.suffix(2))")
    }
}
