// libFuzzer target over the scenario loader and validator: the bytes are scenario text read
// through the path `marketsim validate` takes (parse, validate, build every component a run
// builds). Success and a UsageError whose message names the file are the only clean outcomes;
// any other exception, a crash, a sanitizer report, a timeout or a huge allocation is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world_spec.h"

namespace {

constexpr std::string_view kPath = "fuzz.toml";

[[noreturn]] void finding(const char* kind, const char* what) {
  std::fprintf(stderr, "scenario_fuzz: %s: %s\n", kind, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const marketsim::Scenario scenario =
        marketsim::parse_scenario(text, std::string(kPath), {}, marketsim::scenario_schema());
    marketsim::cell_worlds(scenario);
  } catch (const marketsim::UsageError& e) {
    // One line starting with the file name: "fuzz.toml:LINE:COL: KEY: ..." or "fuzz.toml: ...".
    const std::string_view message = e.what();
    if (!message.starts_with(kPath) || message.find('\n') != std::string_view::npos)
      finding("unclean UsageError", e.what());
  } catch (const std::exception& e) {
    finding("unexpected exception", e.what());
  }
  return 0;
}
