#pragma once
// Hand-built and generated run results for the report's tests and benchmark (compiled into
// them, not into the library).

#include <cstddef>
#include <string>

#include "sim/scenario/results.h"

namespace pullsim::report::testing {

// Index of each hand-built scenario in HandBuiltResults().scenarios.
inline constexpr std::size_t kPassing = 0;  // multi-tenant, two pods, back-off then running
inline constexpr std::size_t kFailing = 1;  // a failed event expectation with a multi-line diff
inline constexpr std::size_t kInvalid = 2;  // two loader diagnostics
inline constexpr std::size_t kXfail = 3;
inline constexpr std::size_t kXpass = 4;
inline constexpr std::size_t kHostile = 5;  // hostile name, description, area and rule id

// What a hostile string would do if it ran: set the document title to this.
inline constexpr std::string_view kPwned = "pwned";

// A run of six scenarios, one per status plus a hostile one, and three tests from a GoogleTest
// JSON report (one failing), naming rules of conformance/rules.yaml.
[[nodiscard]] scenario::RunResults HandBuiltResults();

// `count` generated scenarios of realistic size (2 pods, a dozen events, 20 requests), every
// tenth failing, every fiftieth invalid, spread over four use cases and 30 rules.
[[nodiscard]] scenario::RunResults SyntheticResults(std::size_t count);

// A long hostile text: markup, quotes, `</script>`, non-ASCII, invalid UTF-8, control and
// XML-forbidden characters, repeated to `length` bytes or more.
[[nodiscard]] std::string HostileText(std::size_t length);

}  // namespace pullsim::report::testing
