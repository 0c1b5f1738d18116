"""Reading marketsim results files as labeled xarray datasets over all cells.

Use from anywhere with Debian's /usr/bin/python3 (h5py, xarray and h5netcdf from Debian):

    import sys; sys.path.insert(0, "analysis/python")   # the repository's folder
    from marketsim_results import open_series, cell_names
    ds = open_series("out.h5")                          # dims (cell, replication, time)
    ds["regret"].sel(cell="thompson").mean("replication")

Only what is stored is read; nothing is recomputed.
"""

import h5py
import xarray as xr


def cell_names(path):
    """The cell names of the file at `path`, in cell code order."""
    with h5py.File(path, "r") as f:
        return [n.decode() if isinstance(n, bytes) else str(n) for n in f["cells/name"][()]]


def open_series(path):
    """Every cell's /series group as one dataset with a `cell` dimension (the cell names).

    Cells whose windows differ are aligned on the union of their window ends (NaN where a cell has
    no such window); replications a cell did not finish are NaN, as in the file (see `completed`).
    The /cells parameter columns come along as coordinates on `cell`.
    """
    names = cell_names(path)
    groups = [xr.open_dataset(path, engine="h5netcdf", group=f"series/{name}").load()
              for name in names]
    ds = xr.concat(groups, dim="cell", join="outer", coords="minimal", compat="override")
    ds = ds.assign_coords(cell=names)
    cells = xr.open_dataset(path, engine="h5netcdf", group="cells").load()
    for key in cells.data_vars:
        if key not in ("name", "replications"):
            ds = ds.assign_coords({key: ("cell", cells[key].values)})
    return ds
