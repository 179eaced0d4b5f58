// descent: flags and wiring only. See README "Usage".
import Foundation

let status = DescentCommandLine.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
