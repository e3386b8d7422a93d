"""Training step (and the serving entry point): a scikit-learn logistic regression on train.csv."""

import os

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression


def model_fn(model_dir):  # used by the scikit-learn serving container
    return joblib.load(os.path.join(model_dir, "model.joblib"))


if __name__ == "__main__":
    data = pd.read_csv(os.path.join(os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"), "train.csv"), header=None)
    model = LogisticRegression(max_iter=1000).fit(data.iloc[:, 1:], data.iloc[:, 0])
    joblib.dump(model, os.path.join(os.environ.get("SM_MODEL_DIR", "/opt/ml/model"), "model.joblib"))
