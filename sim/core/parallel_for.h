// parallel_for_index: tbb::parallel_for over indices, its hand-offs visible to ThreadSanitizer.
#pragma once

#include <tbb/parallel_for.h>

#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#define MARKETSIM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MARKETSIM_TSAN 1
#endif
#endif
#if defined(MARKETSIM_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace marketsim {

#if defined(MARKETSIM_TSAN)
// The address on which parallel_for_index's hand-offs are annotated.
inline char tsan_handoff = 0;
#endif

// Runs body(i) for every i in [begin, end), in any order, on the threads of the current oneTBB
// arena. oneTBB as Debian builds it is not instrumented for ThreadSanitizer, which therefore does
// not see the caller's data reach the tasks nor the tasks' results reach the caller; under
// -fsanitize=thread both hand-offs are annotated (release before the loop, acquire at each task's
// start; release at each task's end, acquire after the loop), so that only the tasks' own accesses
// are checked against each other. Otherwise it is tbb::parallel_for.
template <typename Body>
void parallel_for_index(std::size_t begin, std::size_t end, const Body& body) {
#if defined(MARKETSIM_TSAN)
  // Not const: a const closure's capture could be loaded before the acquire.
  auto task = [&body](std::size_t i) {
    __tsan_acquire(&tsan_handoff);
    body(i);
    __tsan_release(&tsan_handoff);
  };
  __tsan_release(&tsan_handoff);
  tbb::parallel_for(begin, end, task);
  __tsan_acquire(&tsan_handoff);
#else
  tbb::parallel_for(begin, end, body);
#endif
}

}  // namespace marketsim
