#!/usr/bin/env python3
"""Checks that Package.swift declares exactly what each target imports.

SwiftPM lets a target import a module it does not declare when the module happens to be built
already (and keeps a declared dependency that nothing imports), so the layering written in
Package.swift could drift from the code silently. For every target under Sources/ and Tests/:
  - every `import X` of a module built by this package or a declared package product is
    declared in the target's `dependencies:`;
  - every declared dependency is imported by at least one file of the target.
System modules (Foundation, Testing, Glibc, Synchronization ...) are ignored.
Exit status 1 with one line per problem; 0 when they agree.
"""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
manifest = open(os.path.join(root, "Package.swift"), encoding="utf-8").read()

# Every target: kind, name, dependencies, and an explicit path if one is given.
targets = {}
for match in re.finditer(r'\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"', manifest):
    kind, name = match.group(1), match.group(2)
    # The target's arguments run to the matching closing parenthesis.
    depth, i = 0, match.end() - len(match.group(0)) + match.group(0).index("(")
    start = i
    while True:
        if manifest[i] == "(":
            depth += 1
        elif manifest[i] == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    body = manifest[start:i]
    deps_match = re.search(r'dependencies:\s*\[(.*?)\]\s*(,|\)|$)', body, re.S)
    deps = set()
    if deps_match:
        deps |= set(re.findall(r'"([^"]+)"', re.sub(r'\.product\([^)]*\)', '', deps_match.group(1))))
        deps |= set(re.findall(r'\.product\(\s*name:\s*"([^"]+)"', deps_match.group(1)))
    path_match = re.search(r'path:\s*"([^"]+)"', body)
    default = ("Tests/" if kind == "testTarget" else "Sources/") + name
    targets[name] = {"kind": kind, "deps": deps, "path": path_match.group(1) if path_match else default}

products = set(re.findall(r'\.product\(\s*name:\s*"([^"]+)"', manifest))
known = set(targets) | products
problems = []
for name, target in sorted(targets.items()):
    if target["kind"] == "systemLibrary":
        continue
    imported = set()
    folder = os.path.join(root, target["path"])
    for directory, _, files in os.walk(folder):
        for file in files:
            if not file.endswith(".swift"):
                continue
            text = open(os.path.join(directory, file), encoding="utf-8").read()
            for module in re.findall(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)', text, re.M):
                imported.add(module)
    imported &= known
    imported.discard(name)
    for module in sorted(imported - target["deps"]):
        problems.append(f"{name} imports {module} but Package.swift does not declare it")
    for module in sorted(target["deps"] - imported):
        problems.append(f"{name} declares {module} but no file of it imports it")

for line in problems:
    print("Package.swift: " + line)
sys.exit(1 if problems else 0)
