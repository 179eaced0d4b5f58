import Foundation
import Testing
import TerminalUI
import WorkbenchUI
import Models
@testable import Classroom

/// Serving a class, without SSH (Tests/Classroom/ssh-test.sh drives the real one): what sshd is
/// told, the rate limits, the presence files, the teacher's console drawn into a buffer.
@MainActor
@Suite struct ClassServingTests {
    static func classWithThree() throws -> ClassFolder {
        let path = ClassroomTests.folder()
        let folder = try ClassFolder.create(at: path)
        for (i, name) in ["ada", "bob", "cy"].enumerated() {
            let key = path + "/\(name).pub"
            try ClassroomTests.key(UInt8(i + 1), comment: name).write(toFile: key, atomically: true, encoding: .utf8)
            _ = try folder.add(name, keyFile: key)
        }
        return folder
    }

    @Test func eachKeyRunsItsLearnersWorkbenchAndForwardsOnlyTheirPort() throws {
        let folder = try Self.classWithThree()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let gate = SSHGate(classFolder: folder, executable: "/opt/it's here/descent", servePortBase: 9000, user: "class")
        let lines = try gate.authorizedKeys().split(separator: "\n").dropFirst().map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("restrict,pty,port-forwarding,permitopen=\"127.0.0.1:9001\",permitopen=\"localhost:9001\","))
        // The path's quote survives `sh -c`: 'it'\''s'.
        #expect(lines[1].contains("command=\"'/opt/it'\\''s here/descent' 'classroom' 'session' '\(folder.path)' 'bob' '--serve-port' '9001'\""))
        #expect(lines[2].hasSuffix(ClassroomTests.key(3, comment: "cy")))
        #expect(try gate.servePort(of: "cy") == 9002)
        #expect(throws: DescentError.self) { try gate.servePort(of: "eve") }
        let config = gate.config()
        for setting in ["AuthenticationMethods publickey", "PasswordAuthentication no", "AllowUsers class", "MaxAuthTries 3",
                        "AllowAgentForwarding no", "AllowTcpForwarding local", "X11Forwarding no", "PermitListen none",
                        "PermitTunnel no", "AllowStreamLocalForwarding no"] {
            #expect(config.contains("\n" + setting + "\n"), "\(setting)")
        }
        #expect(!config.contains("\nSubsystem"), "no subsystem: sftp is refused")
    }

    @Test func aPathWithAQuoteOrALineBreakIsRefused() throws {
        let folder = try Self.classWithThree()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let gate = SSHGate(classFolder: folder, executable: "/bin/de\"scent", servePortBase: 9000, user: "class")
        #expect(throws: DescentError.self) { try gate.write() }
    }

    @Test func connectionsAreLimitedPerAddressAndInAll() {
        var limiter = ConnectionLimiter(perAddress: 3, window: 60, total: 5)
        #expect((0..<3).allSatisfy { limiter.refusal(for: "10.0.0.1", at: Double($0), open: 0) == nil })
        #expect(limiter.refusal(for: "10.0.0.1", at: 10, open: 0)?.contains("more than 3 connections from 10.0.0.1 in 60 s") == true)
        #expect(limiter.refusal(for: "10.0.0.2", at: 10, open: 0) == nil, "another address is not held back")
        #expect(limiter.refusal(for: "10.0.0.1", at: 61, open: 0) == nil, "a minute later the first ones have aged out")
        #expect(limiter.refusal(for: "10.0.0.3", at: 62, open: 5)?.contains("the most this class takes") == true)
    }

    /// An IPv6 client holds a /64: moving through its addresses does not escape the limit.
    @Test func anIPv6ClientIsLimitedByItsNetwork() {
        var limiter = ConnectionLimiter(perAddress: 3, window: 60, total: 50)
        #expect((1...3).allSatisfy { limiter.refusal(for: "2001:db8:1:2::\($0)", at: 0, open: 0) == nil })
        #expect(limiter.refusal(for: "2001:db8:1:2:ffff:1:2:3", at: 1, open: 0)?
            .contains("more than 3 connections from 2001:db8:1:2::/64") == true)
        #expect(limiter.refusal(for: "2001:db8:1:3::1", at: 1, open: 0) == nil, "another /64 is another client")
        #expect(ConnectionLimiter.source(of: "::ffff:10.0.0.7") == "10.0.0.7")
        #expect(ConnectionLimiter.source(of: "10.0.0.7") == "10.0.0.7" && ConnectionLimiter.source(of: "::1") == "0:0:0:0::/64")
    }

    @Test func messagesAreReadWholeLinesOnlyAndEachOnce() throws {
        let folder = ClassroomTests.folder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try PresenceFiles.append(ClassMessage(id: 1, at: 0, to: nil, text: "hello all"), to: folder)
        let start = PresenceFiles.messagesEnd(folder)
        try PresenceFiles.append(ClassMessage(id: 2, at: 1, to: "bob", text: "bob, look", lesson: "3"), to: folder)
        // Half a line, as another process might be writing it: not read until it is whole.
        let handle = try #require(FileHandle(forWritingAtPath: PresenceFiles.messagesPath(folder)))
        try handle.seekToEnd()
        handle.write(Data("{\"id\":3,".utf8))
        try handle.close()
        let (read, offset) = PresenceFiles.messages(in: folder, after: start)
        #expect(read.map(\.id) == [2] && read[0].lesson == "3" && read[0].reaches("bob") && !read[0].reaches("ada"))
        #expect(PresenceFiles.messages(in: folder, after: offset).messages.isEmpty)
        #expect(PresenceFiles.nextMessageID(folder) == 3)
    }

    @Test func aWorkbenchTellsTheConsoleWhereItIsAndFollowsTheTeacher() throws {
        let folder = ClassroomTests.folder()
        let messages = folder + "/messages"
        try FileManager.default.createDirectory(atPath: messages, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let app = WorkbenchApp(themesFolder: nil)
        app.runner.lessonsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Notebooks").standardizedFileURL
        var now = 1000.0
        let presence = LearnerPresence(app: app, learner: "ada", folder: folder, messagesFolder: messages, clock: { now })
        for line in ["seed 1", "data xor", "model mlp 4", "step 20", "expect train.loss < 100", "expect train.loss < 0"] {
            presence.submit(line)
            #expect(app.runner.runToCompletion(timeout: 30), "\(line)")
        }
        var buffer = Buffer(width: 120, height: 40)
        _ = presence.render(into: &buffer, input: InputLine(prompt: "descent> ", text: "", cursor: 0))
        let status = try #require(PresenceFiles.readStatus(folder))
        #expect(status.learner == "ada" && status.run == "1" && status.updates == 20 && status.curve.count == 20)
        #expect(status.check == "train.loss < 0" && status.passed == false && status.attempts == 1)
        #expect(status.isConnected(now: now + 1) && !status.isConnected(now: now + 10))
        let screen = try String(contentsOfFile: PresenceFiles.screenPath(folder), encoding: .utf8)
        #expect(screen == buffer.textDump())
        // The teacher says something and opens lesson 2 for everyone.
        try PresenceFiles.append(ClassMessage(id: 1, at: now, to: nil, text: "time for lesson 2", lesson: "2"), to: messages)
        try PresenceFiles.append(ClassMessage(id: 2, at: now, to: "bob", text: "only for bob"), to: messages)
        try PresenceFiles.append(ClassMessage(id: 1, at: now, to: "ada", text: "just for ada"), to: PresenceFiles.privateMessagesFolder(folder))
        now += 1.5
        _ = presence.render(into: &buffer, input: InputLine(prompt: "descent> ", text: "", cursor: 0))
        #expect(app.runner.runToCompletion(timeout: 30))
        let shown = app.output.map(\.text).joined(separator: "\n")
        #expect(shown.contains("message from the teacher: time for lesson 2") && !shown.contains("only for bob"))
        #expect(shown.contains("message from the teacher (to you): just for ada"))
        #expect(app.runner.lesson?.notebook.title?.contains("learning rate") == true, "\(shown)")
        presence.shutDown()
        #expect(PresenceFiles.readStatus(folder)?.ended == true)
    }

    /// A learner's folder is theirs: what they put in their status cannot stop the console.
    @Test func theConsoleTakesNothingFromALearnersFilesOnTrust() throws {
        let folder = try Self.classWithThree()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let ada = PresenceFiles.statusPath(folder.learnerPath("ada"))
        try FileManager.default.createDirectory(atPath: folder.learnerPath("ada") + "/.descent", withIntermediateDirectories: true)
        try (#"{"learner":"ada","pid":1,"updated":1e300,"lastKey":-1e300,"curve":[[1],[2,1e308],[3,0.5]],"attempts":-4,"loss":1e308,"#
             + #""ended":false,"updates":3,"frames":1}"#)
            .write(toFile: ada, atomically: true, encoding: .utf8)
        let status = try #require(PresenceFiles.readStatus(folder.learnerPath("ada")))
        #expect(status.updated == 1e10 && status.lastKey == 0 && status.curve == [[3, 0.5]] && status.attempts == 0 && status.loss == nil)
        // A status that is a link, or too large, is not read at all.
        try FileManager.default.removeItem(atPath: ada)
        try FileManager.default.createSymbolicLink(atPath: ada, withDestinationPath: "/dev/zero")
        #expect(PresenceFiles.readStatus(folder.learnerPath("ada")) == nil)
        let console = TeacherConsole(classFolder: folder, messagesFolder: folder.path + "/.classroom/messages", lessonsFolder: nil, clock: { 5000 })
        var buffer = Buffer(width: 80, height: 24)
        _ = console.render(into: &buffer, input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(buffer.textDump().contains("never connected"))
    }

    @Test func theConsoleListsEveryLearnerAndTalksToThem() throws {
        let folder = try Self.classWithThree()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let messages = folder.path + "/.classroom/messages"
        try FileManager.default.createDirectory(atPath: messages, withIntermediateDirectories: true)
        let now = 5000.0
        var ada = LearnerStatus(learner: "ada", pid: 1, updated: now - 1, lastKey: now - 42)
        ada.lesson = "Gradient descent"; ada.cell = 3; ada.cells = 7
        ada.check = "val.acc > 0.9"; ada.passed = false; ada.attempts = 3
        ada.run = "2"; ada.runState = "training"; ada.updates = 400; ada.loss = 0.25
        ada.curve = (1...40).map { [Double($0 * 10), 1 / Double($0)] }
        var bob = LearnerStatus(learner: "bob", pid: 2, updated: now - 600, lastKey: now - 700)
        bob.ended = true
        bob.lesson = "Gradient descent"
        for status in [ada, bob] {
            #expect(PresenceFiles.replace(PresenceFiles.statusPath(folder.learnerPath(status.learner)), with: try JSONEncoder().encode(status)))
        }
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Notebooks").standardizedFileURL
        let console = TeacherConsole(classFolder: folder, messagesFolder: messages, lessonsFolder: lessons, clock: { now })
        try FileManager.default.createDirectory(atPath: folder.learnerPath("bob") + "/submissions", withIntermediateDirectories: true)
        try "x".write(toFile: folder.learnerPath("bob") + "/submissions/a1.md", atomically: true, encoding: .utf8)
        #expect(console.rows(now: now) == [
            ["ada", "●", "Gradient descent · cell 3/7", "✗ val.acc > 0.9 ×3", "42 s", "2 training · 400 updates", "0.2500", ""],
            ["bob", "○", "Gradient descent", "", "left 10 min ago", "", "", "a1"],
            ["cy", "○", "never connected", "", "", "", "", ""]])
        for (width, height) in [(120, 40), (80, 24)] {
            var buffer = Buffer(width: width, height: height)
            _ = console.render(into: &buffer, input: InputLine(prompt: "", text: "", cursor: 0))
            let text = buffer.textDump()
            #expect(text.contains("3 learners, 1 connected") && text.contains("Loss · Gradient descent ada"), "\(text)")
            #expect(text.contains("ada ") && text.contains("cy "), "\(text)")
        }
        console.submit("say try a smaller lr")
        console.submit("tell bob look at the val loss")
        console.submit("tell eve hello")
        #expect(console.note.contains("tell eve: not a learner of this class (ada, bob, cy)"))
        console.submit("open 2")
        console.submit("open 99")
        #expect(console.note.contains("open 99: no such lesson (lessons 0–"), "\(console.note)")
        console.submit("open nothing")
        #expect(console.note.contains("open nothing: not a lesson number nor an assignment"))
        let sent = PresenceFiles.messages(in: messages, after: 0).messages
        #expect(sent.map(\.id) == [1, 2] && sent.map(\.to) == [nil, nil] && sent[1].lesson == "2")
        // A message to one learner is in their own folder only: the class's file is everyone's to read.
        let told = PresenceFiles.messages(in: PresenceFiles.privateMessagesFolder(folder.learnerPath("bob")), after: 0).messages
        #expect(told.map(\.text) == ["look at the val loss"] && told[0].to == "bob")
        try (1...40).map { "row \($0)" }.joined(separator: "\n")
            .write(toFile: PresenceFiles.screenPath(folder.learnerPath("ada")), atomically: true, encoding: .utf8)
        console.submit("look ada")
        #expect(console.looking == "ada")
        var looked = Buffer(width: 120, height: 40)
        _ = console.render(into: &looked, input: InputLine(prompt: "", text: "", cursor: 0))
        let text = looked.textDump()
        #expect(text.contains("row 40") && !text.contains("row 3\n") && text.contains("its top 3 rows cut"), "\(text)")
        _ = console.handle(.escape, input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(console.looking == nil)
        console.submit("shout")
        #expect(console.note.contains("not a console command"))
        #expect(console.completions(for: "tell a", cursor: 6) == ["ada"])
    }
}
