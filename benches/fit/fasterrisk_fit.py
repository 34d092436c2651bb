"""Fits FasterRisk (k, box [lb, ub]) on a train CSV and prints its points and fit time as JSON.

Runs in FasterRisk's own virtual environment (see README.md). The label is the first column,
0/1; FasterRisk wants -1/1.
"""

import json
import sys
import time

import numpy as np
from fasterrisk.fasterrisk import RiskScoreOptimizer


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    with open(path) as f:
        names = f.readline().strip().split(",")[1:]
    return names, data[:, 1:], np.where(data[:, 0] > 0, 1.0, -1.0)


def main():
    train, k, lb, ub = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    names, X, y = load(train)
    start, cpu = time.perf_counter(), time.process_time()
    opt = RiskScoreOptimizer(X=X, y=y, k=k, lb=lb, ub=ub)
    opt.optimize()
    multipliers, intercepts, coefficients = opt.get_models()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    points = {names[j]: int(v) for j, v in enumerate(coefficients[0]) if v != 0}
    print(json.dumps({"seconds": seconds, "cpu": cpu, "intercept": float(intercepts[0]), "multiplier": float(multipliers[0]),
                      "points": points}))


if __name__ == "__main__":
    main()
