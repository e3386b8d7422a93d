"""Processing step: split the input CSV (label first, no header) into train and test."""

import csv
import glob
import os
import random

rows = []
for path in sorted(glob.glob("/opt/ml/processing/input/*.csv")):
    with open(path, newline="") as f:
        rows += list(csv.reader(f))
random.Random(0).shuffle(rows)  # noqa: S311 - a reproducible split, not a secret
cut = int(len(rows) * 0.8)
for name, part in (("train", rows[:cut]), ("test", rows[cut:])):
    os.makedirs(f"/opt/ml/processing/{name}", exist_ok=True)
    with open(f"/opt/ml/processing/{name}/{name}.csv", "w", newline="") as f:
        csv.writer(f).writerows(part)
