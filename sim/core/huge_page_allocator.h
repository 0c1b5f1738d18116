// HugePageAllocator: a vector allocator that asks the kernel for 2 MiB pages for large arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>

#include "sim/core/default_init_allocator.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace marketsim {

// The size of a transparent huge page on x86-64.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Advises the kernel to back [data, data + bytes) with 2 MiB pages where whole ones fit, for a
// large buffer that was allocated elsewhere (a std::string, a std::vector's reserve()) and is
// about to be written for the first time: it is then faulted in 2 MiB at a time. Smaller buffers
// and systems without transparent huge pages are left alone; results never depend on it.
inline void advise_huge_pages([[maybe_unused]] void* data, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t kPage = 4096;
  if (bytes < kHugePageBytes) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) / kPage * kPage;
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) / kPage * kPage;
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice only
#endif
}

// A DefaultInitAllocator (resize() leaves trivial elements unset) for arrays read at random
// positions, such as the population's per-user records. On Linux a block of at least 2 MiB is
// mapped on its own, aligned to 2 MiB and advised MADV_HUGEPAGE. Where the kernel has transparent
// huge pages on ("madvise" or "always"), it is faulted in 2 MiB at a time (a 32 MB population:
// 16 faults instead of 8192) and a random read misses the TLB far less often. Freeing it unmaps
// it, so it leaves no hole in malloc's heaps (memory the next replication would fault in again
// costs 16 faults, not thousands). Smaller blocks, other systems and kernels without transparent
// huge pages get ordinary memory. Results never depend on which.
template <typename T>
class HugePageAllocator : public DefaultInitAllocator<T> {
 public:
  static constexpr std::size_t kHugePage = kHugePageBytes;

  template <typename U>
  struct rebind {
    using other = HugePageAllocator<U>;
  };

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > (std::numeric_limits<std::size_t>::max() - 2 * kHugePage) / sizeof(T))
      throw std::bad_array_new_length();
    if (!huge(n)) return DefaultInitAllocator<T>::allocate(n);
#ifdef __linux__
    // Map a huge page more than needed, then unmap what lies outside the aligned block.
    const std::size_t bytes = rounded(n);
    void* mapped = mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) throw std::bad_alloc();
    const auto base = reinterpret_cast<std::uintptr_t>(mapped);
    const std::uintptr_t start = (base + kHugePage - 1) / kHugePage * kHugePage;
    if (start > base) munmap(mapped, start - base);
    munmap(reinterpret_cast<void*>(start + bytes), base + kHugePage - start);
    void* block = reinterpret_cast<void*>(start);
#ifdef MADV_HUGEPAGE
    madvise(block, bytes, MADV_HUGEPAGE);  // advice only: refused by kernels without it
#endif
    return static_cast<T*>(block);
#else
    return DefaultInitAllocator<T>::allocate(n);
#endif
  }

  void deallocate(T* p, std::size_t n) noexcept {
#ifdef __linux__
    if (huge(n)) {
      munmap(p, rounded(n));
      return;
    }
#endif
    DefaultInitAllocator<T>::deallocate(p, n);
  }

 private:
  static bool huge(std::size_t n) { return n * sizeof(T) >= kHugePage; }
  static std::size_t rounded(std::size_t n) {
    return (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage;
  }
};

}  // namespace marketsim
