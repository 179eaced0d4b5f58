// descent: flags and wiring only (DescentCommandLine.swift). See README "Quick start".
// Built for fuzzing (`make fuzz`), the program hands over to libFuzzer (Fuzzing/FuzzDriver.swift).
#if DESCENT_FUZZ
import Foundation
exit(fuzzMain(CommandLine.argc, CommandLine.unsafeArgv))
#else
ResourceFolders.useInstalledData()
Descent.main()
#endif
