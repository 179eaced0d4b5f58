#!/usr/bin/env python3
"""Checks that a run's life has one owner: the run coordinator.

Commands (Sources/WorkbenchCore/Commands/) make runs and ask the `RunCoordinator` for every
transition and change (`start`, `step`, `goOn`, `control`, `stop`); they never push into a run's
control queue, step it with `ManualRunner`, or read its lifecycle (its phase, whether a thread
drives it, its engine run's state). Those live in Sources/WorkbenchCore/Runs/ alone. Exit status
1 with one line per place that breaks the rule; 0 otherwise.
"""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
commands = os.path.join(root, "Sources", "WorkbenchCore", "Commands")
forbidden = [
    (re.compile(r"\bManualRunner\b"), "steps a run itself (ask the coordinator: runs.step)"),
    (re.compile(r"\.controls\b"), "pushes into a run's control queue (ask the coordinator: runs.control)"),
    (re.compile(r"\bruns?\.training\b|\.training\.(control|steps|reports|state|snapshots|explanations)\b"),
     "reaches into a run's engine run"),
    (re.compile(r"\bisDriven\b|\.phase\b|\bfinalized\b|\.handle\b"),
     "reads a run's lifecycle (ask the coordinator: runs.currentPhase, runs.isBusy)"),
]
problems = []
for folder, _, files in os.walk(commands):
    for name in sorted(files):
        if not name.endswith(".swift"):
            continue
        path = os.path.join(folder, name)
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            code = line.split("//", 1)[0]
            for pattern, why in forbidden:
                if pattern.search(code):
                    problems.append(f"{os.path.relpath(path, root)}:{number}: {why}: {line.strip()}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
