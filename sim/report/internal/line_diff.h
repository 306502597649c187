#pragma once
// A line diff of a failed expectation's expected and actual text, so the report can mark the
// lines that differ (longest common subsequence of lines).

#include <string>
#include <string_view>
#include <vector>

namespace pullsim::report::internal {

struct DiffLine {
  std::string text;
  bool changed = false;  // not part of the common subsequence
  bool removed = false;  // on the expected side (else the actual side)
};

struct LineDiff {
  std::vector<DiffLine> expected;
  std::vector<DiffLine> actual;
};

// Splits both texts into lines and marks those outside their longest common subsequence. Past
// `max_cells` (lines x lines) every line of two different texts is marked, to bound the work.
[[nodiscard]] LineDiff DiffLines(std::string_view expected, std::string_view actual,
                                 std::size_t max_cells = 4'000'000);

}  // namespace pullsim::report::internal
