// descent: flags and wiring only (DescentCommandLine.swift). See README "Quick start".
Descent.main()
