"""Evaluation step: accuracy of the trained model on test.csv, written as evaluation.json."""

import json
import os
import tarfile
import tempfile

import joblib
import pandas as pd

unpacked = tempfile.mkdtemp()
with tarfile.open("/opt/ml/processing/model/model.tar.gz") as tar:
    tar.extractall(unpacked, filter="data")
model = joblib.load(os.path.join(unpacked, "model.joblib"))
test = pd.read_csv("/opt/ml/processing/test/test.csv", header=None)
accuracy = float((model.predict(test.iloc[:, 1:]) == test.iloc[:, 0]).mean())
os.makedirs("/opt/ml/processing/evaluation", exist_ok=True)
with open("/opt/ml/processing/evaluation/evaluation.json", "w") as f:
    json.dump({"metrics": {"accuracy": {"value": accuracy}}}, f)
