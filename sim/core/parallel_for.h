// parallel_for_index: tbb::parallel_for over indices, serial under ThreadSanitizer.
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

namespace marketsim {

// Runs body(i) for every i in [begin, end), in any order, on the threads of the current oneTBB
// arena: for data-parallel loops whose iterations write disjoint data. Under -fsanitize=thread it
// runs them in order on the calling thread: Debian's oneTBB is not instrumented, so the hand-off
// of the loop to its tasks and back, and oneTBB's own partition and wait objects (std::atomic
// members constructed by plain stores in recycled pool and stack memory), would be reported as
// races that no suppression can name without hiding marketsim's own. The loops' results do not
// depend on the thread count (tests compare 1 and 2 threads in the normal build).
template <typename Body>
void parallel_for_index(std::size_t begin, std::size_t end, const Body& body) {
#if defined(MARKETSIM_TSAN)
  for (std::size_t i = begin; i < end; ++i) body(i);
#else
  tbb::parallel_for(begin, end, body);
#endif
}

}  // namespace marketsim
