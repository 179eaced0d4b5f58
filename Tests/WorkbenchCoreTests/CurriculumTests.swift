import Testing
import Foundation
import TestSupport
import CommandLanguage
@testable import WorkbenchCore
import Models

/// The lessons as a curriculum: numbered in learning order, each pointing to the next, all
/// listed by the welcome lesson, and reachable with `lessons` and `lesson N`.
@Suite struct CurriculumTests {
    static let folder = repositoryRoot.appendingPathComponent("Notebooks")

    @Test func lessonsAreNumberedWithoutGaps() {
        let lessons = Curriculum(folder: Self.folder).lessons
        #expect(lessons.count >= 15, "welcome and at least 14 lessons")
        #expect(lessons.map(\.number) == Array(0..<lessons.count))
        #expect(lessons.first?.file.lastPathComponent == "welcome.md")
    }

    /// Every lesson but the last names the next by number; the welcome lesson names them all.
    @Test func eachLessonPointsToTheNext() throws {
        let lessons = Curriculum(folder: Self.folder).lessons
        for lesson in lessons.dropFirst().dropLast() {
            let text = try String(contentsOf: lesson.file, encoding: .utf8)
            #expect(text.contains("Next lesson: `lesson \(lesson.number + 1)`"), "\(lesson.file.lastPathComponent)")
        }
        let welcome = try String(contentsOf: lessons[0].file, encoding: .utf8)
        for lesson in lessons.dropFirst() { #expect(welcome.contains("`lesson \(lesson.number)`"), "welcome misses \(lesson.number)") }
    }

    @Test func lessonsListsThemAndLessonNOpensOne() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        runner.lessonsFolder = Self.folder
        runner.enqueue(script: "lessons\nlesson 2", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(transcript.text.contains(" 2  The learning rate: too small, right, too large"), "\(transcript.text)")
        #expect(transcript.text.contains("14  Bug hunt"))
        #expect(runner.lesson?.notebook.fileName.hasSuffix("02-learning-rate.md") == true)
        runner.enqueue(script: "lesson 99", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(transcript.errors.last?.contains("lesson 99: no such lesson") == true)
    }

    /// A relative data file in a notebook is found beside the notebook.
    @Test func aLessonsDataTravelsWithIt() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        let runner = ScriptRunner(session: session)
        #expect(!FileManager.default.fileExists(atPath: "data/flats.csv"), "not found from the current folder")
        runner.enqueue(script: "data csv data/flats.csv label=pricey", file: Self.folder.appendingPathComponent("14-bug-hunt.md").path)
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(transcript.errors.isEmpty, "\(transcript.errors)")
        #expect(session.display.data?.full.count == 400)
    }
}
