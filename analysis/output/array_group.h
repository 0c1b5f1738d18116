// Private writer of an ArrayGroup: dimension scales and the variables attached to them.
#pragma once

#include <string>

#include "analysis/output/hdf5_node.h"
#include "analysis/output/results_file.h"

namespace marketsim::h5 {

// Throws RunError (naming `file` and `path`) unless every dimension and variable name is valid
// and distinct, every variable's dims exist and its data has the product of their sizes.
void validate_arrays(const ArrayGroup& arrays, const std::string& file, const std::string& path);

// Writes the dimensions of `arrays` as dimension scales in `group`, then each variable attached
// to its dimensions (chunked and deflated when large).
void write_arrays(const Node& group, const ArrayGroup& arrays);

}  // namespace marketsim::h5
