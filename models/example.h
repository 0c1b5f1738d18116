// Example: one logged impression as training data, with the labels known so far.
#pragma once

#include <cstdint>

#include "models/request_features.h"

namespace marketsim {

// What a model predicts. Every task is a probability of one impression (a shown offer):
//   kClick       P(click)
//   kConversion  P(conversion within the attribution window | click)
//   kReturn      P(the user transacts again within the user-value horizon | click)
enum class Task : std::uint8_t { kClick = 0, kConversion = 1, kReturn = 2 };

inline constexpr int kTaskCount = 3;

// The bit of `task` in a task mask.
constexpr std::uint8_t task_bit(Task task) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(task));
}

// "click", "conversion" or "return".
const char* task_name(Task task);

// One impression with the labels that have matured. Labels arrive at different times (a click
// soon, a conversion only after its delay or the attribution window), so one impression may reach
// a model as several examples, each carrying the labels that matured together: `known` says which.
// The conversion and return labels are defined on the whole impression: converted = clicked and
// converted within the window, returned = clicked and came back within the horizon; a model of a
// conditional task (conversion given click) learns them on clicked examples only. `clicked` is the
// click outcome, valid whenever any label is known (it is known first).
struct Example {
  std::uint64_t transaction = 0;  // the impression's transaction (keys downsampling coins)
  RequestFeatures request;        // as logged (the truth of fields that serving may have missed)
  std::uint32_t offer = 0;
  std::uint8_t slot = 0;
  std::uint8_t labels = 0;  // bit task_bit(t): label of task t
  std::uint8_t known = 0;   // bit task_bit(t): the label of task t is present
  bool clicked = false;
  float weight = 1.0f;  // sample weight (1, or 1 / w for negatives kept by downsampling)

  bool has(Task task) const { return (known & task_bit(task)) != 0; }
  bool label(Task task) const { return (labels & task_bit(task)) != 0; }
  void set(Task task, bool value) {
    known |= task_bit(task);
    if (value) labels |= task_bit(task);
  }
};

}  // namespace marketsim
