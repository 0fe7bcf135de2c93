"""Reference for bench-factors.mjs: the same fit as `factorlens factors fit --k 5`, done the usual
Python way. Read the long prices CSV with pandas, pivot to dates x tickers, daily log returns
(weekends dropped first), standardise each ticker, PCA with scikit-learn (its default solver).
Prints one JSON line: the explained variance ratios and the seconds of each step."""

import json
import sys
import time

t0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

path, k = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
t_import = time.perf_counter()
prices = pd.read_csv(path, parse_dates=["date"])
prices = prices[prices["date"].dt.dayofweek < 5]
wide = prices.pivot(index="date", columns="ticker", values="close").sort_index()
t_read = time.perf_counter()
returns = np.log(wide).diff().iloc[1:].dropna()
# StandardScaler divides by the population sd, the fit by the sample sd: one factor for every
# ticker, so the explained variance ratios are the same.
z = StandardScaler().fit_transform(returns.to_numpy())
pca = PCA(n_components=k).fit(z)
t_pca = time.perf_counter()
print(
    json.dumps(
        {
            "tickers": int(wide.shape[1]),
            "dates": int(returns.shape[0]),
            "explained_variance_ratio": [float(v) for v in pca.explained_variance_ratio_],
            "seconds": {"import": t_import - t0, "read_pivot": t_read - t_import, "returns_pca": t_pca - t_read},
        }
    )
)
