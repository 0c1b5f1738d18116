// HugePageAllocator: large blocks aligned to 2 MiB and advised for huge pages, small ones ordinary,
// contents kept through growth; advise_huge_pages for a large buffer allocated elsewhere.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/huge_page_allocator.h"

using marketsim::HugePageAllocator;

namespace {

constexpr std::size_t kHugePage = HugePageAllocator<int>::kHugePage;

// The VmFlags line of the mapping that holds `address` in /proc/self/smaps ("" if none is found).
std::string vm_flags_of(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto a = reinterpret_cast<std::uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t low = 0, high = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> low >> dash >> high && dash == '-' && line.find(':') > 8) {
      inside = low <= a && a < high;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

// Whether this kernel offers transparent huge pages at all.
bool kernel_has_huge_pages() {
  std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(enabled, modes) && modes.find("[never]") == std::string::npos;
}

}  // namespace

TEST_CASE("a large array is aligned to a huge page and keeps its contents as it grows",
          "[core][huge_page_allocator]") {
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> users;
  users.resize(kHugePage / sizeof(std::uint32_t) + 17);  // just over one huge page
  std::iota(users.begin(), users.end(), 0u);
  CHECK(reinterpret_cast<std::uintptr_t>(users.data()) % kHugePage == 0);
  users.resize(3 * users.size());  // reallocates: the first part is copied over
  CHECK(reinterpret_cast<std::uintptr_t>(users.data()) % kHugePage == 0);
  for (std::size_t i = 0; i < kHugePage / sizeof(std::uint32_t) + 17; ++i)
    REQUIRE(users[i] == static_cast<std::uint32_t>(i));
  users.back() = 7;  // the last element of a block that is not a whole number of huge pages
  CHECK(users.back() == 7);
#ifdef __linux__
  if (kernel_has_huge_pages()) {
    CHECK_THAT(vm_flags_of(users.data()), Catch::Matchers::Contains(" hg"));
    CHECK_THAT(vm_flags_of(&users.back()), Catch::Matchers::Contains(" hg"));
  }
#endif
}

TEST_CASE("a small array gets ordinary memory", "[core][huge_page_allocator]") {
  std::vector<double, HugePageAllocator<double>> small(1000, 2.5);
  CHECK(small[999] == 2.5);
#ifdef __linux__
  if (kernel_has_huge_pages())
    CHECK_THAT(vm_flags_of(small.data()), !Catch::Matchers::Contains(" hg"));
#endif
}

TEST_CASE("a size whose bytes would overflow is refused", "[core][huge_page_allocator]") {
  HugePageAllocator<std::uint64_t> allocator;
  CHECK_THROWS_AS(allocator.allocate(std::numeric_limits<std::size_t>::max() / 4),
                  std::bad_array_new_length);
}

TEST_CASE("a large buffer allocated elsewhere can be advised for huge pages",
          "[core][huge_page_allocator]") {
  std::vector<char> buffer;
  buffer.reserve(3 * kHugePage);  // whole huge pages fit inside wherever malloc puts it
  marketsim::advise_huge_pages(buffer.data(), buffer.capacity());
  buffer.assign(buffer.capacity(), 'x');
  CHECK(buffer[kHugePage] == 'x');
#ifdef __linux__
  if (kernel_has_huge_pages())
    CHECK_THAT(vm_flags_of(buffer.data() + kHugePage), Catch::Matchers::Contains(" hg"));
#endif
}
