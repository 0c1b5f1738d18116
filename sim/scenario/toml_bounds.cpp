// check_toml_bounds: refuses TOML whose dotted keys are deep enough to exhaust toml++'s stack.
#include <string>

#include "sim/core/error.h"
#include "sim/scenario/scenario_internal.h"

namespace marketsim::scenario_internal {

void check_toml_bounds(std::string_view text, const std::string& path) {
  int line = 1, column = 0;
  int parts = 0;         // dots since the last key boundary
  char quote = 0;        // the open string's quote character, or 0
  bool escaped = false;  // the previous character was a backslash in a basic string
  bool comment = false;
  for (const char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      parts = 0;
      comment = false;
      if (quote == 0) continue;
    }
    if (comment) continue;
    if (quote != 0) {
      if (escaped) {
        escaped = false;
      } else if (quote == '"' && c == '\\') {
        escaped = true;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    switch (c) {
      case '"':
      case '\'':
        quote = c;
        break;
      case '#':
        comment = true;
        break;
      case '.':
        if (++parts > kMaxKeyParts)
          throw UsageError(SourceLocation{path, line, column}.describe() +
                           ": a key with more than " + std::to_string(kMaxKeyParts) +
                           " dotted parts");
        break;
      case '=':
      case ',':
      case '{':
      case '}':
      case '[':
      case ']':
        parts = 0;
        break;
      default:
        break;
    }
  }
}

}  // namespace marketsim::scenario_internal
