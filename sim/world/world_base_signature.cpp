#include "sim/world/world_base_signature.h"

#include <array>
#include <charconv>
#include <string_view>

namespace marketsim {
namespace {

// Keys under users. that set a world's own state, not the shared traits.
constexpr std::array<std::string_view, 5> kUserStateKeys{
    "users.return_rate_per_day", "users.satisfaction_effect", "users.initial_satisfaction",
    "users.satisfaction_rate_shown", "users.satisfaction_rate_clicked"};

bool defines_base(const std::string& key) {
  if (key == "run.seed") return true;
  for (std::string_view state : kUserStateKeys)
    if (key == state) return false;
  for (std::string_view section : {"users.", "partners.", "advertisers."})
    if (key.starts_with(section)) return true;
  return false;
}

// The value, exactly (doubles in shortest round-trip form, so distinct values never collide).
std::string exact(const ParamValue& value) {
  const auto number = [](double x) {
    std::array<char, 32> buffer{};
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x).ptr;
    return std::string(buffer.data(), end);
  };
  if (const auto* x = std::get_if<double>(&value)) return number(*x);
  if (const auto* list = std::get_if<std::vector<double>>(&value)) {
    std::string out = "[";
    for (double x : *list) out += number(x) + ",";
    return out + "]";
  }
  return format_value(value);
}

}  // namespace

std::string world_base_signature(const ParamValues& values) {
  std::string signature;
  for (const auto& [key, entry] : values.entries())
    if (defines_base(key)) signature += key + "=" + exact(entry.value) + "\n";
  return signature;
}

}  // namespace marketsim
