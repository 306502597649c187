#pragma once
// GoogleTest's --gtest_output=json files as rule evidence: tests that call CoversRule() carry a
// "rules" property (STYLE.md §5), so rules checked only by unit or conformance tests count as
// covered in the reports.

#include <filesystem>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/scenario/results.h"

namespace pullsim::report {

// The tests of a GoogleTest JSON report that name rules ("rules": "KUB-02,CRED-13"), in file
// order: name "Suite.Test", file, line, rule ids, status (a failure list makes it FAIL; a
// skipped, disabled or unrun test is SKIPPED) and failure text. kInvalidArgument names
// `file_name` and the JSON path when the text is not such a report.
[[nodiscard]] Result<std::vector<scenario::TestResult>> ParseGtestJson(std::string_view text,
                                                                       std::string_view file_name);
// Reads and parses a file; kNotFound when it cannot be opened.
[[nodiscard]] Result<std::vector<scenario::TestResult>> ReadGtestJson(
    const std::filesystem::path& path);

}  // namespace pullsim::report
