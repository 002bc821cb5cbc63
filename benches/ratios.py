#!/usr/bin/env python3
"""Prints criterion's latest median of every bench and its ratio to the group's baseline.

The baseline of a group is its first case as the benches declare them (bare, axum_*,
serde_json, plain_post). Run after `cargo bench`: `python3 benches/ratios.py`.
"""
import glob
import json
import os

BASELINES = ("bare", "axum_json", "axum_form", "axum_multipart", "plain_post", "serde_json")
root = os.path.join(os.path.dirname(__file__), "..", "target", "criterion")
rows = {}
for path in glob.glob(os.path.join(root, "**", "new", "estimates.json"), recursive=True):
    parts = os.path.relpath(path, root).split(os.sep)[:-2]
    median = json.load(open(path))["median"]["point_estimate"]
    if len(parts) == 3:  # group/function/parameter
        group, case = f"{parts[0]}/{parts[2]}", parts[1]
    else:
        group, case = parts[0], parts[1]
    rows.setdefault(group, {})[case] = median
for group in sorted(rows):
    cases = rows[group]
    base = next((c for c in BASELINES if c in cases), None)
    for case, median in sorted(cases.items(), key=lambda kv: kv[0] not in BASELINES):
        ratio = f"{median / cases[base]:.2f}x" if base else ""
        print(f"{group:<34} {case:<16} {median:>12.1f} ns  {ratio}")
