#pragma once
// Where a part of a scenario was written, so a failed expectation or a load error can print
// `file:line:col` (STYLE.md §6) and editors can jump to it.

#include <string>
#include <utility>

namespace pullsim::scenario {

// A position in a scenario or manifest file; line and column count from 1 (0 = unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  // "fixtures/x.yaml:14:7"; "fixtures/x.yaml" when the line is unknown.
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// A value together with where it was written.
template <typename T>
struct Located {
  T value{};
  SourceLocation location;
  friend bool operator==(const Located&, const Located&) = default;
};

}  // namespace pullsim::scenario
