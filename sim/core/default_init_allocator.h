// DefaultInitAllocator: a std::vector allocator whose resize() leaves trivial elements unset.
#pragma once

#include <memory>
#include <new>
#include <utility>

namespace marketsim {

// std::allocator (so over-aligned types stay aligned) except that an element constructed without
// arguments is default-initialized: a resize() of trivial elements writes nothing. For buffers
// whose every element is written right after sizing, so no page is touched twice.
template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };

  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}

  template <typename U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

}  // namespace marketsim
