#pragma once
// Run results as JSON, schema "pullsim.results/v1" (reports/results-schema.json, documented in
// reports/README.md): what `pullsim run --json FILE` writes and what tools read back.

#include <filesystem>
#include <ostream>
#include <string_view>

#include "sim/core/result.h"
#include "sim/core/rule_catalogue.h"
#include "sim/scenario/results.h"

namespace pullsim::report {

inline constexpr std::string_view kResultsSchema = "pullsim.results/v1";

// Writes `results` as one JSON document (2-space indented, UTF-8; invalid UTF-8 in any string
// becomes U+FFFD), with the status of every rule of `catalogue` under "rules". Check `out`
// afterwards for write errors. The same results give the same bytes.
void WriteJsonResults(const scenario::RunResults& results, const RuleCatalogue& catalogue,
                      std::ostream& out);

// Reads a document WriteJsonResults wrote. Members it does not know are ignored (v1 may grow);
// "rules" and "summary" are derived and not read back. kInvalidArgument names `file_name` and
// the JSON path: `results.json: $.scenarios[2].status: expected one of PASS, FAIL, ...`; a
// document of another schema version is refused.
[[nodiscard]] Result<scenario::RunResults> ParseJsonResults(std::string_view text,
                                                            std::string_view file_name);
// Reads and parses a file; kNotFound when it cannot be opened.
[[nodiscard]] Result<scenario::RunResults> ReadJsonResults(const std::filesystem::path& path);

}  // namespace pullsim::report
