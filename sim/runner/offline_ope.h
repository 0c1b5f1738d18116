// Off-policy evaluation of an explorer from an existing results file (`marketsim ope`).
#pragma once

#include <string>
#include <vector>

namespace marketsim {

// Evaluates a target policy on the logged requests of the results file at `h5_path`: the
// logging policy's scores of each logged request's candidates (/candidates), re-ranked by the
// explorer that `overrides` configures ("recommender.explorer.type=softmax",
// "recommender.explorer.softmax.temperature=0.05"; only recommender.explorer.* keys), against the
// logged slots (/impressions). Returns a table per cell: for each reward (clicks, conversion
// value per request) the direct method, IPS, self-normalized IPS and doubly robust estimates,
// averaged over replications with their standard error over replications, next to the target's
// and the logging policy's true values. Throws UsageError for keys other than explorer keys or
// an explorer that needs the model (thompson, ucb1), RunError for a file without the logs.
std::string offline_ope_report(const std::string& h5_path,
                               const std::vector<std::string>& overrides);

}  // namespace marketsim
