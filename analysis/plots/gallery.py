"""The PNG gallery of a marketsim results file, with an index.html (`marketsim plot`).

Usage: /usr/bin/python3 analysis/plots/gallery.py OUT.h5 DIR

Writes into DIR one PNG per figure, index.html showing them under the scenario's question, and
manifest.json: for each PNG the number of series (lines, bars or point sets) it draws, which the
tests check. Every figure is drawn from what the file stores; nothing is recomputed but means over
replications and paired differences against the baseline cell (the scenario's report.baseline,
else the first cell) with 95% Student-t intervals.
"""

import html
import json
import os
import sys
import tomllib
import warnings

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from scipy import stats  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from marketsim_results import cell_names, open_series  # noqa: E402

# Metrics drawn over time: (name, numerator, denominator or None, label).
SERIES_FIGURES = [
    ("revenue", "revenue", None, "platform revenue per window [USD]"),
    ("clicks", "clicks", None, "clicks per window"),
    ("ctr", "clicks", "impressions", "CTR"),
    ("regret_per_request", "regret_unconstrained", "oracle_requests",
     "regret per request (no budgets) [USD]"),
    ("transactions", "transactions", None, "transactions per window"),
]


def mean_interval(values, axis):
    """Mean over `axis` and the 95% Student-t half-width (NaN with fewer than two values)."""
    n = np.sum(~np.isnan(values), axis=axis)
    with warnings.catch_warnings():  # all-NaN slices (unfinished replications) give NaN quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=axis)
        sd = np.nanstd(values, axis=axis, ddof=1) if values.shape[axis] > 1 else \
            np.full_like(mean, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return mean, half


class Gallery:
    """Collects figures, their series counts and captions."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.entries = []

    def save(self, fig, name, series, caption):
        path = os.path.join(self.out_dir, name + ".png")
        fig.savefig(path, dpi=90, bbox_inches="tight")
        plt.close(fig)
        self.entries.append({"file": name + ".png", "series": series, "caption": caption})


def scenario_info(f):
    """The scenario's header comment (its question) and its resolved TOML, parsed."""
    text = f["provenance/scenario_text"][()].decode("utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    resolved = tomllib.loads(f["provenance/resolved_text"][()].decode("utf-8"))
    return "\n".join(header).strip(), resolved


def markers(ax, resolved, series):
    """Drift changes and flash sales as vertical markers on a time axis (hours)."""
    for sale in resolved.get("partners", {}).get("flash_sales", []):
        start = sale["start_h"]
        ax.axvspan(start, start + sale["duration_h"], color="orange", alpha=0.15, lw=0)
    for name in series.data_vars:
        if not name.startswith("drift_"):
            continue
        finished = np.flatnonzero(series["completed"].values[0] == 1)
        if finished.size == 0:
            continue
        offsets = series[name].isel(cell=0, replication=int(finished[0])).values
        times = series["time"].values
        for w in range(1, len(offsets)):
            if offsets[w] != offsets[w - 1]:
                ax.axvline(times[w - 1], color="grey", ls=":", lw=1)


def series_figures(gallery, series, cells, baseline, resolved):
    time = series["time"].values
    for name, numerator, denominator, label in SERIES_FIGURES:
        if numerator not in series or (denominator and denominator not in series):
            continue
        values = series[numerator].values
        if denominator:
            with np.errstate(invalid="ignore", divide="ignore"):
                values = values / series[denominator].values
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True,
                                          gridspec_kw={"height_ratios": [2, 1]})
        for c, cell in enumerate(cells):
            mean, _ = mean_interval(values[c], axis=0)
            shown = np.isfinite(mean)  # cells with other windows have NaN between theirs
            top.plot(time[shown], mean[shown], label=cell, color=f"C{c}")
        top.set_ylabel(label)
        top.legend(fontsize="small")
        markers(top, resolved, series)
        drawn = 0
        for c, cell in enumerate(cells):
            if c == baseline:
                continue
            mean, half = mean_interval(values[c] - values[baseline], axis=0)
            bottom.plot(time, mean, label=cell, color=f"C{c}")
            bottom.fill_between(time, mean - half, mean + half, color=f"C{c}", alpha=0.2)
            drawn += 1
        bottom.axhline(0, color="black", lw=0.8)
        bottom.set_ylabel("vs " + cells[baseline])
        bottom.set_xlabel("time [h]")
        markers(bottom, resolved, series)
        gallery.save(fig, "series_" + name, len(cells) + drawn,
                     f"{label}: mean over replications per cell (top); paired difference against "
                     f"{cells[baseline]} with its 95% band (bottom)")


def cumulative_revenue(gallery, series, cells, resolved):
    if "revenue" not in series:
        return
    fig, ax = plt.subplots(figsize=(8, 4))
    time = series["time"].values
    for c, cell in enumerate(cells):
        cumulative = np.nancumsum(series["revenue"].values[c], axis=1)
        cumulative[series["completed"].values[c] != 1] = np.nan  # unfinished replications
        mean, half = mean_interval(cumulative, axis=0)
        line, = ax.plot(time, mean, label=cell)
        ax.fill_between(time, mean - half, mean + half, color=line.get_color(), alpha=0.2)
    markers(ax, resolved, series)
    ax.set_xlabel("time [h]")
    ax.set_ylabel("cumulative revenue [USD]")
    ax.legend(fontsize="small")
    gallery.save(fig, "cumulative_revenue", len(cells),
                 "cumulative platform revenue per cell, mean and 95% band over replications")


def recall_vs_latency(gallery, f, cells):
    summary, latency = f["summary"], f.get("timing/latency")
    if latency is None or "recall" not in summary or "stage" not in latency:
        return
    stage_names = latency["stage"].attrs["flag_meanings"].split(" ")
    if "candidates" not in stage_names or "scoring" not in stage_names:
        return
    codes = [stage_names.index("candidates"), stage_names.index("scoring")]
    fig, ax = plt.subplots(figsize=(6, 4))
    drawn = 0
    for c, cell in enumerate(cells):
        recall = summary["recall"][()][summary["cell"][()] == c]
        rows = (latency["cell"][()] == c) & np.isin(latency["stage"][()], codes)
        if not rows.any() or np.isnan(recall).all():
            continue
        p50 = latency["p50"][()][rows].sum()
        ax.scatter([p50], [np.nanmean(recall)], label=cell)
        drawn += 1
    if drawn == 0:
        plt.close(fig)
        return
    ax.set_xlabel("candidate generation + scoring, p50 [µs] (wall clock, not reproducible)")
    ax.set_ylabel("recall of the truly best offer")
    ax.legend(fontsize="small")
    gallery.save(fig, "recall_vs_latency", drawn,
                 "recall of the truly best eligible offer against the median latency of "
                 "candidate generation and scoring, per cell")


def spend_vs_budget(gallery, f, cells):
    if "advertisers" not in f:
        return
    a = f["advertisers"]
    fig, ax = plt.subplots(figsize=(6, 5))
    for c, cell in enumerate(cells):
        rows = a["cell"][()] == c
        ax.scatter(a["daily_budget"][()][rows], a["spend"][()][rows], s=10, label=cell)
    top = max(1e-9, float(np.nanmax(a["daily_budget"][()]))) if len(a["daily_budget"][()]) else 1
    ax.plot([0, top], [0, top], color="black", lw=0.8, ls="--")
    ax.set_xlabel("daily budget [USD]")
    ax.set_ylabel("spend over the run [USD] (dashed: one day's budget)")
    ax.legend(fontsize="small")
    gallery.save(fig, "spend_vs_budget", len(cells),
                 "each advertiser's spend over the run against its daily budget, per cell")


def reliability(gallery, path, f, cells):
    if "models" not in f:
        return
    fig, ax = plt.subplots(figsize=(5, 5))
    drawn = 0
    for cell in cells:
        if f"models/{cell}" not in f:
            continue
        m = xr.open_dataset(path, engine="h5netcdf", group=f"models/{cell}")
        if "ctr_bin_predicted" not in m or float(m["ctr_bin_count"].sum()) == 0:
            continue  # no predictions evaluated (evaluation.models = false)
        predicted = m["ctr_bin_predicted"].mean(("replication", "time")).values
        true = m["ctr_bin_true"].mean(("replication", "time")).values
        ax.plot(predicted, true, marker="o", label=cell)
        drawn += 1
    if drawn == 0:
        plt.close(fig)
        return
    top = ax.get_xlim()[1]
    ax.plot([0, top], [0, top], color="black", lw=0.8, ls="--")
    ax.set_xlabel("predicted click probability (bin mean)")
    ax.set_ylabel("true click probability (bin mean)")
    ax.legend(fontsize="small")
    gallery.save(fig, "reliability_ctr", drawn,
                 "reliability of the click model against the hidden truth, per cell")


def experiment_paths(gallery, path, f):
    if "experiments" not in f:
        return
    for name in f["experiments"]:
        e = xr.open_dataset(path, engine="h5netcdf", group=f"experiments/{name}")
        e = e.sel(segment="all").isel(cell=0)
        arms = [str(a) for a in e["arm"].values][1:]
        fig, ax = plt.subplots(figsize=(8, 4))
        time = e["time"].values
        for arm in arms:
            a = e.sel(arm=arm)
            fixed, = ax.plot(time, a["revenue_per_unit_p_value"].median("replication"),
                             label=f"{arm}: fixed-horizon p")
            ax.plot(time, a["revenue_per_unit_msprt_p_value"].median("replication"),
                    ls="--", color=fixed.get_color(), label=f"{arm}: mSPRT p")
        ax.axhline(float(e["alpha"].values), color="red", lw=0.8)
        ax.set_yscale("log")
        ax.set_xlabel("look [h]")
        ax.set_ylabel("p-value of revenue per unit (median over replications)")
        ax.legend(fontsize="small")
        gallery.save(fig, f"experiment_{name}_p_values", 2 * len(arms),
                     f"experiment {name}: p-value paths of revenue per unit at each look "
                     f"(solid: fixed horizon, dashed: always-valid mSPRT; red: alpha)")


def write_index(out_dir, title, question, entries):
    parts = [f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<h1>{html.escape(title)}</h1>",
             f"<pre>{html.escape(question)}</pre>"]
    for e in entries:
        parts.append(f"<figure><img src='{e['file']}' style='max-width:100%'>"
                     f"<figcaption>{html.escape(e['caption'])}</figcaption></figure>")
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as out:
        out.write("\n".join(parts) + "\n")


def main(argv):
    if len(argv) != 3:
        print("usage: gallery.py OUT.h5 DIR", file=sys.stderr)
        return 2
    try:
        cell_names(argv[1])  # the input must be a readable results file
    except Exception as e:
        print(f"marketsim plot: {argv[1]}: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    try:
        return draw(argv[1], argv[2])
    except Exception as e:  # a damaged or hostile file fails in many ways: one line for each
        print(f"marketsim plot: {argv[1]}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


def draw(path, out_dir):
    """Writes the gallery of `path` into `out_dir`; returns the exit status."""
    cells = cell_names(path)
    os.makedirs(out_dir, exist_ok=True)
    gallery = Gallery(out_dir)
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "marketsim":
            print(f"marketsim plot: {path}: not a marketsim results file", file=sys.stderr)
            return 2
        question, resolved = scenario_info(f)
        wanted = f.attrs.get("report_baseline", "")
        baseline = cells.index(wanted) if wanted in cells else 0
        series = open_series(path)
        series_figures(gallery, series, cells, baseline, resolved)
        cumulative_revenue(gallery, series, cells, resolved)
        recall_vs_latency(gallery, f, cells)
        spend_vs_budget(gallery, f, cells)
        reliability(gallery, path, f, cells)
        experiment_paths(gallery, path, f)
        title = os.path.basename(f.attrs.get("scenario_path", path))
    write_index(out_dir, title, question, gallery.entries)
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(gallery.entries, out, indent=1)
    print(f"marketsim plot: wrote {len(gallery.entries)} figures and index.html to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
