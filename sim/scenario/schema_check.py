#!/usr/bin/env python3
"""Checks fixtures/scenario.schema.json: a valid JSON Schema (draft 2020-12) that accepts every
scenario under fixtures/ and the complete example of fixtures/README.md, and refuses a few
mistakes the loader refuses too. Usage: schema_check.py REPO_ROOT"""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = sys.argv[1]
schema = json.load(open(os.path.join(root, "fixtures", "scenario.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

documents = []
for path in sorted(glob.glob(os.path.join(root, "fixtures", "**", "*.yaml"), recursive=True)):
    parts = path.split(os.sep)
    if "data" in parts or "vectors" in parts:
        continue
    documents.append((os.path.relpath(path, root), open(path, encoding="utf-8").read()))
readme = open(os.path.join(root, "fixtures", "README.md"), encoding="utf-8").read()
documents.append(("fixtures/README.md example", readme.split("```yaml\n", 1)[1].split("```", 1)[0]))

failures = 0
for name, text in documents:
    for error in validator.iter_errors(yaml.safe_load(text)):
        failures += 1
        print(f"{name}: {'.'.join(map(str, error.absolute_path))}: {error.message[:300]}")

base = "name: t\ndescription: d\nrules: [KUB-02]\n"
mistakes = {
    "unknown key": base + "nodes: [{name: a, platfrom: linux/amd64}]\nsteps: [{advance: 1s}]\n",
    "wrong type": base + "nodes: [{name: a, kubelet: {registryPullQPS: five}}]\nsteps: [{advance: 1s}]\n",
    "bad duration": base + "steps: [{advance: 10}]\n",
    "unknown step": base + "steps: [{aply: {}}]\n",
    "missing field": "name: t\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n",
    "bad platform": base + "nodes: [{name: a, platform: amd64}]\nsteps: [{advance: 1s}]\n",
    "expect without subject": base + "steps: [{expect: {state: Running}}]\n",
}
for name, text in mistakes.items():
    if validator.is_valid(yaml.safe_load(text)):
        failures += 1
        print(f"the schema accepts a mistake: {name}")

print(f"schema_check: {len(documents)} documents, {len(mistakes)} mistakes, {failures} failures")
sys.exit(1 if failures else 0)
