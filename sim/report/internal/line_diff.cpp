#include "sim/report/internal/line_diff.h"

#include <algorithm>
#include <cstdint>

namespace pullsim::report::internal {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    std::size_t newline = text.find('\n');
    lines.push_back(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

}  // namespace

LineDiff DiffLines(std::string_view expected, std::string_view actual, std::size_t max_cells) {
  std::vector<std::string_view> a = SplitLines(expected);
  std::vector<std::string_view> b = SplitLines(actual);
  LineDiff diff;
  for (std::string_view line : a) diff.expected.push_back({std::string(line), true, true});
  for (std::string_view line : b) diff.actual.push_back({std::string(line), true, false});
  if (expected == actual) {
    for (DiffLine& line : diff.expected) line.changed = false;
    for (DiffLine& line : diff.actual) line.changed = false;
    return diff;
  }
  std::size_t n = a.size();
  std::size_t m = b.size();
  if (n * m > max_cells) return diff;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[at(i, j)] =
          a[i] == b[j] ? lcs[at(i + 1, j + 1)] + 1 : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      diff.expected[i++].changed = false;
      diff.actual[j++].changed = false;
    } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
      ++i;
    } else {
      ++j;
    }
  }
  return diff;
}

}  // namespace pullsim::report::internal
