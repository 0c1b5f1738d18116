// Plain-text summary of a marketsim results file: per-cell means with 95% confidence intervals.
#pragma once

#include <string>

namespace marketsim {

// Reads /cells and /summary of the marketsim file at `h5_path` and returns a table with one row per
// cell (in cell code order): completed replications and, for transactions, impressions, clicks,
// ctr (clicks / impressions per replication), conversions, spend and revenue, the mean over
// replications ± the 95% Student-t half-width (no ± with one replication). With at least two
// cells and two replications, a second block gives each cell's paired difference from the baseline
// cell in revenue and clicks (pairs matched by replication index), mean ± 95% half-width. When the
// file has them, return_visits and regret_unconstrained (comparable across cells) join both tables,
// and two more blocks follow in the same form: the market (partner revenue, advertisers' conversion
// value and ROAS) and the models' whole-run quality (click model AUC, normalized entropy,
// calibration and ECE against the truth; conversion model AUC and calibration against the truth).
// Undefined values (NaN) are skipped. Paired differences are taken against the cell named
// `baseline` ("" = the first cell); an unknown name is a UsageError listing the cells. Throws
// RunError with a one-line message when the file is missing or not a marketsim file.
std::string summary_report(const std::string& h5_path, const std::string& baseline = "");

}  // namespace marketsim
