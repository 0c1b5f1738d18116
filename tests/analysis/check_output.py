#!/usr/bin/python3
"""Checks that a marketsim results file reads cleanly with h5py, pandas and xarray (docs/output.md).

Usage: /usr/bin/python3 tests/analysis/check_output.py FILE.h5 [--runner]
(--runner: the file comes from `marketsim run`, so the runner-only groups such as /models must exist)
Exits 0 when every check passes; otherwise prints one line saying what is wrong and exits 1.
"""
import sys

import h5py
import numpy as np
import pandas as pd
import xarray as xr


class CheckError(Exception):
    """A failed check; the message names the object and the problem."""


def require(condition, message):
    if not condition:
        raise CheckError(message)


def decode_flags(variable):
    """Returns {code: meaning} from CF flag_values/flag_meanings attributes."""
    values = [int(v) for v in np.atleast_1d(variable.attrs["flag_values"])]
    meanings = variable.attrs["flag_meanings"]
    require(isinstance(meanings, str), f"{variable.name}: flag_meanings is not a str")
    meanings = meanings.split(" ")
    require(len(values) == len(meanings),
            f"{variable.name}: {len(values)} flag_values but {len(meanings)} flag_meanings")
    return dict(zip(values, meanings))


def check_root(f):
    attrs = f.attrs
    require(attrs.get("format") == "marketsim", f"root: format is {attrs.get('format')!r}")
    require(int(attrs.get("format_version", -1)) == 1,
            f"root: format_version is {attrs.get('format_version')!r}")
    require(int(attrs.get("complete", -1)) in (0, 1), "root: complete is not 0 or 1")
    for name in ("software_version", "scenario_path"):
        require(isinstance(attrs.get(name), str), f"root: {name} is not a str")
    for name in ("seed", "replications"):
        require(np.issubdtype(np.asarray(attrs.get(name)).dtype, np.unsignedinteger),
                f"root: {name} is not an unsigned integer")
    for name in ("scenario_text", "resolved_text"):
        value = f["provenance"][name][()]
        require(isinstance(value, bytes) or isinstance(value, str),
                f"/provenance/{name}: not a string")
    return int(attrs["complete"]) == 1


def check_cells(f):
    names = [n.decode("utf-8") if isinstance(n, bytes) else n for n in f["cells/name"][()]]
    require(decode_flags(f["cells/cell"]) == dict(enumerate(names)),
            "/cells/cell: flag_meanings do not match /cells/name")
    require(len(f["cells/replications"]) == len(names), "/cells/replications: wrong length")
    return names


def check_series(path, f, names, complete):
    completed = {}
    for name in names:
        group = f"series/{name}"
        require(group in f, f"/{group}: missing")
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
        require(not any(str(d).startswith("phony") for d in ds.dims), f"/{group}: phony dims")
        require(ds["time"].dtype.kind == "f", f"/{group}/time: decoded to {ds['time'].dtype}")
        done = ds["completed"].values.astype(bool)
        require(ds["completed"].dims == ("replication",), f"/{group}/completed: wrong dims")
        require(not complete or done.all(), f"/{group}: complete file with unfinished rows")
        for var in ds.data_vars:
            if var == "completed":
                continue
            require(ds[var].dims == ("replication", "time"),
                    f"/{group}/{var}: dims {ds[var].dims}, expected ('replication', 'time')")
            require("long_name" in ds[var].attrs, f"/{group}/{var}: no long_name")
            values = ds[var].values
            require(not np.isnan(values[done]).any(), f"/{group}/{var}: NaN in a completed row")
            require(np.isnan(values[~done]).all(), f"/{group}/{var}: data in an unfinished row")
        completed[name] = done
        ds.close()
    return completed


def check_table(path, f, group):
    """Checks a table group: its datasets are equal-length columns (subgroups are tables too)."""
    names = [k for k in f[group] if isinstance(f[group][k], h5py.Dataset)]
    for sub in (k for k in f[group] if isinstance(f[group][k], h5py.Group)):
        check_table(path, f, f"{group}/{sub}")
    columns = {k: f[group][k][()] for k in names}
    lengths = {k: len(v) for k, v in columns.items()}
    require(len(set(lengths.values())) <= 1, f"/{group}: columns of unequal length {lengths}")
    table = pd.DataFrame(columns)
    for name in names:
        if "flag_values" in f[group][name].attrs:
            flags = decode_flags(f[group][name])
            codes = set(table[name].unique())
            require(codes <= set(flags), f"/{group}/{name}: codes {codes} without a meaning")
    ds = xr.open_dataset(path, engine="h5netcdf", group=group)
    require(not any(str(d).startswith("phony") for d in ds.dims), f"/{group}: phony dims")
    require(all(ds[v].dims == ("row",) for v in ds.data_vars), f"/{group}: a column not on row")
    ds.close()
    return table


def check_summary(path, f, names, completed):
    table = check_table(path, f, "summary")
    # Ratios are NaN where their denominator is 0 (docs/output.md), e.g. regret per oracle request
    # without an oracle; model figures where undefined, e.g. an AUC without clicks.
    ratios = ("ctr", "regret_per_oracle_request", "regret_unconstrained_per_oracle_request",
              "recall", "return_share", "spend_per_budget")
    for name in table.columns:
        if table[name].dtype.kind == "f" and not name.startswith(("ctr_", "cvr_")) and \
                name not in ratios:
            require(not table[name].isna().any(), f"/summary/{name}: NaN in a completed row")
    for name in ratios:
        if name in table:
            values = table[name].dropna()
            require((values >= 0).all() or name.startswith("regret"), f"/summary/{name}: < 0")
    if "cell" in table and "replication" in table:
        cells = decode_flags(f["summary/cell"])
        for cell, replication in zip(table["cell"], table["replication"]):
            name = cells[int(cell)]
            require(name in completed and completed[name][int(replication)],
                    f"/summary: row for {name} replication {replication} is not completed")
    return table


def check_models(path, f, names, completed):
    """Each /models/<cell> opens labeled, with its documented dimensions and figures."""
    for name in names:
        group = f"models/{name}"
        require(group in f, f"/{group}: missing")
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
        require(not any(str(d).startswith("phony") for d in ds.dims), f"/{group}: phony dims")
        for dim in ("replication", "time", "bin", "field"):
            require(dim in ds.dims, f"/{group}: no dimension {dim}")
        require(ds["field"].dtype.kind in "OU", f"/{group}/field: not strings")
        for prefix in ("ctr", "cvr"):
            for figure in ("count", "auc", "log_loss", "calibration_ratio_truth", "ece_truth"):
                var = f"{prefix}_{figure}"
                require(var in ds and ds[var].dims == ("replication", "time"),
                        f"/{group}/{var}: missing or wrong dims")
            require(ds[f"{prefix}_bin_count"].dims == ("replication", "time", "bin"),
                    f"/{group}/{prefix}_bin_count: wrong dims")
            require(ds[f"{prefix}_psi"].dims == ("replication", "time", "field"),
                    f"/{group}/{prefix}_psi: wrong dims")
        done = completed[name]
        counts = ds["ctr_count"].values
        require(not np.isnan(counts[done]).any(), f"/{group}/ctr_count: NaN in a completed row")
        require((np.nansum(ds["ctr_bin_count"].values, axis=2)[done] == counts[done]).all(),
                f"/{group}: reliability bins do not add up to ctr_count")
        for var in ds.data_vars:
            require("long_name" in ds[var].attrs, f"/{group}/{var}: no long_name")
        ds.close()


def check_experiments(path, f, names):
    """Checks each /experiments/<name> group: labeled dims, the control's comparisons empty, the
    segments partitioning the units' activity, and the mSPRT p-value never rising over looks."""
    for name in f["experiments"]:
        group = f"experiments/{name}"
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
        require(not any(str(d).startswith("phony") for d in ds.dims), f"/{group}: phony dims")
        full = ("cell", "replication", "time", "arm", "segment")
        require(ds["revenue_per_unit"].dims == full, f"/{group}/revenue_per_unit: wrong dims")
        require(list(ds["cell"].values) == names, f"/{group}/cell: not the cells")
        require(ds["arm"].dtype.kind in "OU" and ds["segment"].values[0] == "all",
                f"/{group}: arm and segment coordinates are not names starting with all")
        for var in ds.data_vars:
            require("long_name" in ds[var].attrs, f"/{group}/{var}: no long_name")
        control = ds["revenue_per_unit_effect"].isel(arm=0).values
        require(np.isnan(control).all(), f"/{group}: the control compared with itself")
        units = ds["transactions"].values
        if ds.sizes["segment"] > 1:
            whole, parts = units[..., 0], np.nansum(units[..., 1:], axis=-1)
            done = ~np.isnan(whole)
            require(np.allclose(whole[done], parts[done]),
                    f"/{group}: segment transactions do not add up to all")
        msprt = ds["revenue_per_unit_msprt_p_value"].values
        steps = np.diff(msprt, axis=2)
        require(not (steps[~np.isnan(steps)] > 1e-12).any(), f"/{group}: mSPRT p-value rose")
        ds.close()


def check_ope(path, f, names):
    """Checks each /ope/<target> group and the logs it came from."""
    for target in f["ope"]:
        group = f"ope/{target}"
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
        require(ds["estimate"].dims == ("cell", "replication", "reward", "estimator"),
                f"/{group}/estimate: wrong dims")
        require(list(ds["estimator"].values) == ["dm", "ips", "snips", "dr"],
                f"/{group}/estimator: wrong coordinate")
        require((ds["se"].values[~np.isnan(ds["se"].values)] >= 0).all(),
                f"/{group}/se: negative")
        for var in ds.data_vars:
            require("long_name" in ds[var].attrs, f"/{group}/{var}: no long_name")
        ds.close()
    p = f["impressions/slot_propensity"][()]
    require(((p > 0) & (p <= 1)).all(), "/impressions/slot_propensity: outside (0, 1]")
    c = f["candidates"]
    columns = [k for k in c if k.startswith("slot_probability_")]
    require(columns, "/candidates: no slot_probability_ columns")
    frame = pd.DataFrame({k: c[k][()] for k in ["cell", "replication", "transaction"] + columns})
    sums = frame.groupby(["cell", "replication", "transaction"])[columns].sum(min_count=1)
    values = sums.values[~np.isnan(sums.values)]
    require(np.allclose(values, 1.0), "/candidates: a slot's probabilities do not sum to 1")


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--runner"):
        print("usage: check_output.py FILE.h5 [--runner]", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with h5py.File(path, "r") as f:
            complete = check_root(f)
            names = check_cells(f)
            completed = check_series(path, f, names, complete)
            summary = check_summary(path, f, names, completed)
            check_table(path, f, "timing")
            if "models" in f or "--runner" in argv:
                check_models(path, f, names, completed)
            if "experiments" in f:
                check_experiments(path, f, names)
            if "ope" in f:
                check_ope(path, f, names)
            for extra in ("advertisers", "impressions", "alerts", "candidates"):
                if extra in f:
                    check_table(path, f, extra)
            require(isinstance(f["timing"].attrs.get("note"), str), "/timing: no note attribute")
            for group in ("cells", "provenance"):
                ds = xr.open_dataset(path, engine="h5netcdf", group=group)
                require(not any(str(d).startswith("phony") for d in ds.dims),
                        f"/{group}: phony dims")
                ds.close()
    except CheckError as e:
        print(f"check_output: {path}: {e}", file=sys.stderr)
        return 1
    except (OSError, KeyError, ValueError) as e:
        print(f"check_output: {path}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    rows = len(summary)
    state = "complete" if complete else "incomplete"
    print(f"check_output: {path}: ok ({state}, {len(names)} cells, {rows} summary rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
