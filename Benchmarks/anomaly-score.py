#!/usr/bin/env python3
"""Scores the anomaly benchmark (see docs/anomalies.md).

usage: anomaly-score.py DIR   (DIR holds what `rulelang-bench anomaly DIR` wrote)

Adds the offline reference, STL from statsmodels (skipped with a note when statsmodels is not
installed), then scores every method on every scenario over its scored minutes:
- a detection from an episode's first minute to GRACE minutes after its last is a true
  detection of that episode, the first one only; every other detection is a false alarm;
- precision = true / all detections, recall = episodes detected / episodes,
- delay = minutes from an episode's start to its true detection (median and 90th percentile),
- false alarms per group per week.
Prints a Markdown table.
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

GRACE = 15
BIN = 15
WEEK = 7 * 1440


def read(dir):
    scenarios = {r["scenario"]: r for r in csv.DictReader(open(f"{dir}/scenarios.csv"))}
    episodes = defaultdict(list)
    for r in csv.DictReader(open(f"{dir}/episodes.csv")):
        episodes[r["scenario"]].append((int(r["group"]), int(r["start"]), int(r["end"]), r["label"]))
    detections = defaultdict(lambda: defaultdict(list))
    methods = []
    for r in csv.DictReader(open(f"{dir}/detections.csv")):
        if r["method"] not in methods:
            methods.append(r["method"])
        detections[r["scenario"]][r["method"]].append((int(r["group"]), int(r["minute"])))
    return scenarios, episodes, detections, methods


def stl_detections(dir, scenarios):
    """STL (daily period, robust) on the Anscombe transform of 15-minute counts, the whole stream
    at once (offline: it sees the future); a bin whose residual is more than 4 robust standard
    deviations (MAD of the first week's residuals) is a detection at its last minute, re-armed
    below 1."""
    if not os.path.exists(f"{dir}/counts.csv"):
        return None
    try:
        import numpy as np
        from statsmodels.tsa.seasonal import STL
    except ImportError:
        print("(statsmodels is not installed: `pip install statsmodels` adds the STL reference)", file=sys.stderr)
        return None
    out = defaultdict(list)
    for line in open(f"{dir}/counts.csv"):
        name, group, counts = line.rstrip("\n").split(",", 2)
        x = np.array(counts.split(), dtype=float)
        bins = x[: len(x) // BIN * BIN].reshape(-1, BIN).sum(axis=1)
        y = 2 * np.sqrt(bins + 3 / 8)
        resid = STL(y, period=1440 // BIN, robust=True).fit().resid
        learn = int(scenarios[name]["scored_from"]) // BIN
        mad = np.median(np.abs(resid[:learn] - np.median(resid[:learn])))
        scale = max(1.4826 * mad, 0.5)
        armed = True
        for i, r in enumerate(resid / scale):
            if armed and r > 4:
                out[name].append((int(group), i * BIN + BIN - 1))
                armed = False
            elif not armed and r < 1:
                armed = True
    return out


def score(scenario, episodes, found):
    groups, minutes, start = int(scenario["groups"]), int(scenario["minutes"]), int(scenario["scored_from"])
    seen, delays, false = set(), [], 0
    for g, m in sorted(found, key=lambda d: d[1]):
        if m < start:
            continue
        hit = next((i for i, (eg, es, ee, _) in enumerate(episodes) if eg == g and es <= m <= ee + GRACE), None)
        if hit is None or hit in seen:
            false += 1
        else:
            seen.add(hit)
            delays.append(m - episodes[hit][1])
    true = len(seen)
    precision = f"{100 * true / (true + false):.0f}%" if true + false else "—"
    recall = f"{100 * true / len(episodes):.0f}%" if episodes else "—"
    median = f"{statistics.median(delays):.0f}" if delays else "—"
    p90 = f"{sorted(delays)[min(len(delays) - 1, int(0.9 * len(delays)))]:.0f}" if delays else "—"
    weeks = (minutes - start) / WEEK
    return [str(len(episodes)), str(true + false), precision, recall, median, p90, f"{false / groups / weeks:.2f}"]


def main():
    dir = sys.argv[1]
    scenarios, episodes, detections, methods = read(dir)
    stl = stl_detections(dir, scenarios)
    if stl is not None:
        methods.append("STL offline (statsmodels)")
        for name, found in stl.items():
            detections[name]["STL offline (statsmodels)"] = found
    print("| scenario | method | episodes | detections | precision | recall | median delay (min) | p90 delay (min) | false alarms / group / week |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, s in scenarios.items():
        for i, method in enumerate(methods):
            row = score(s, episodes[name], detections[name][method])
            label = f"**{name}** ({s['summary']})" if i == 0 else ""
            print("| " + " | ".join([label, method] + row) + " |")


if __name__ == "__main__":
    main()
