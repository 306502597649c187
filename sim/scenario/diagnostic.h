#pragma once
// Load errors: each problem found in a scenario file, with its position and field path. Loading
// reports every problem of a file (up to a cap), not just the first (lit's UNRESOLVED, apart from
// a failed expectation).

#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/scenario/source_location.h"

namespace pullsim::scenario {

struct Diagnostic {
  ErrorCode code = ErrorCode::kInvalidArgument;
  SourceLocation location;
  std::string field;    // "nodes[0].kubelet.registryPullQPS"; empty for the file as a whole
  std::string message;  // "expected an integer, got \"five\""

  // "file:line:col: field: message", the form `pullsim validate` prints.
  [[nodiscard]] std::string ToString() const;
  // As a pullsim::Error, `where` = "file:line:col field".
  [[nodiscard]] Error ToError() const;
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Why a scenario could not be loaded: at least one diagnostic, in file order.
struct LoadError {
  std::vector<Diagnostic> diagnostics;
  std::size_t omitted = 0;  // further problems not reported once the cap was reached

  // The first diagnostic as an Error, its message noting how many more there are.
  [[nodiscard]] Error ToError() const;
};

template <typename T>
using LoadResult = std::expected<T, LoadError>;

}  // namespace pullsim::scenario
