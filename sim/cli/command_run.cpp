// pullsim run PATH... [--json FILE] [--report FILE.html] [--junit FILE.xml] [--tests FILE|DIR]:
// runs scenarios, reads the GoogleTest reports of the tests that name rules, prints a line per
// scenario and a summary, and writes the results (issue 7, issue 8).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/core/rule_catalogue.h"
#include "sim/report/gtest_json.h"
#include "sim/report/html_report.h"
#include "sim/report/json_results.h"
#include "sim/report/junit_report.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/results.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario_files.h"

namespace pullsim::cli {
namespace {

// Issue 7: 0 all passed, 1 any failed (or passed unexpectedly), 2 any invalid or a usage error.
constexpr int kExitInvalid = 2;

constexpr std::string_view kRunUsage =
    "usage: pullsim run [--json FILE] [--report FILE.html] [--junit FILE.xml] [--rules FILE]\n"
    "                   [--tests FILE|DIR]... [--quiet] PATH...\n";

void PrintRunHelp(std::ostream& out) {
  out << kRunUsage
      << "\n"
         "Runs each scenario (fixtures/README.md) on its own virtual clock and checks its\n"
         "expectations. PATH is a scenario file or a folder, searched for *.yaml files (skipping\n"
         "fixtures/vectors/ and folders named data/).\n"
         "\n"
         "Prints one line per scenario - PASS, FAIL, XFAIL (expected to fail, and did), XPASS\n"
         "(expected to fail, but passed: a failure) or INVALID (the file has mistakes) - with the\n"
         "file:line, expected and actual value of each failed expectation, then a summary.\n"
         "\n"
         "options:\n"
         "  --json FILE     results as JSON (schema pullsim.results/v1, reports/README.md)\n"
         "  --report FILE   the conformance report as one self-contained HTML page\n"
         "  --junit FILE    JUnit XML for CI (one testcase per scenario)\n"
         "  --rules FILE    the rule catalogue (default: the nearest conformance/rules.yaml\n"
         "                  above the first PATH or the current folder)\n"
         "  --tests FILE|DIR\n"
         "                  a GoogleTest report (--gtest_output=json:FILE) of tests that name\n"
         "                  rules with CoversRule(), or a folder of them (*.json); repeatable.\n"
         "                  Their tests count for their rules beside the scenarios: a failed\n"
         "                  test makes its rules FAIL and the run fail, a skipped one counts\n"
         "                  for nothing\n"
         "  --quiet         print only failures and the summary\n"
         "  -h, --help      show this help\n"
         "\n"
         "exit status: 0 every scenario passed (or failed as expected) and no test read failed,\n"
         "1 any scenario failed or passed unexpectedly or any test read failed, 2 any scenario\n"
         "invalid, a test report unreadable, or a usage error.\n";
}

int Usage(std::string_view message) {
  std::cerr << "pullsim run: " << message << "\n" << kRunUsage;
  return kExitUsage;
}

// Writes one output file, creating its folder; false (with a message) when it cannot.
template <typename Write>
bool WriteOutput(const std::filesystem::path& path, std::string_view what, Write write) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) write(out);
  out.flush();
  if (!out) {
    std::cerr << "pullsim run: cannot write the " << what << " to " << path.generic_string()
              << "\n";
    return false;
  }
  return true;
}

// The GoogleTest reports a --tests argument names: a file as given, or a folder's *.json files in
// name order, so that the report lists tests alike on every machine.
Result<std::vector<std::filesystem::path>> TestReportFiles(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return std::vector{path};
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == ".json" && it->is_regular_file(error)) {
      files.push_back(it->path());
    }
  }
  if (error) {
    return Fail(ErrorCode::kNotFound, "cannot read the folder: " + error.message(),
                path.generic_string());
  }
  if (files.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no *.json GoogleTest reports in this folder (expected files written by "
                "--gtest_output=json:FILE)",
                path.generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// GoogleTest records __FILE__, an absolute path in CMake builds; inside the current folder it is
// shown relative to it, as scenario files are.
std::string ShownPath(const std::string& file, const std::filesystem::path& base) {
  const std::filesystem::path path(file);
  if (!path.is_absolute()) return file;
  const std::filesystem::path relative = path.lexically_relative(base);
  if (relative.empty() || *relative.begin() == "..") return file;
  return relative.generic_string();
}

// The tests of every report `sources` name, in order; the error names the file that is not a
// GoogleTest JSON report.
Result<std::vector<scenario::TestResult>> ReadTests(
    const std::vector<std::filesystem::path>& sources) {
  std::vector<scenario::TestResult> tests;
  const std::filesystem::path base = std::filesystem::current_path();
  for (const std::filesystem::path& source : sources) {
    Result<std::vector<std::filesystem::path>> files = TestReportFiles(source);
    if (!files) return std::unexpected(files.error());
    for (const std::filesystem::path& file : *files) {
      Result<std::vector<scenario::TestResult>> read = report::ReadGtestJson(file);
      if (!read) return std::unexpected(read.error());
      for (scenario::TestResult& test : *read) {
        test.file = ShownPath(test.file, base);
        tests.push_back(std::move(test));
      }
    }
  }
  return tests;
}

// "FAIL test Suite.Name (file:line)" and the first lines of its failure, indented.
void PrintFailedTest(const scenario::TestResult& test, std::ostream& out) {
  constexpr std::size_t kFailureLines = 4;
  out << "FAIL test " << test.name;
  if (!test.file.empty()) {
    out << " (" << test.file;
    if (test.line > 0) out << ":" << test.line;
    out << ")";
  }
  out << "\n";
  std::string_view failure = test.failure;
  for (std::size_t shown = 0; !failure.empty() && shown < kFailureLines; ++shown) {
    const std::size_t newline = failure.find('\n');
    out << "  " << failure.substr(0, newline) << "\n";
    failure = newline == std::string_view::npos ? std::string_view() : failure.substr(newline + 1);
  }
  if (!failure.empty()) out << "  ...\n";
}

}  // namespace

int RunRun(Args args) {
  std::vector<std::filesystem::path> paths;
  std::optional<std::filesystem::path> json_path;
  std::optional<std::filesystem::path> report_path;
  std::optional<std::filesystem::path> junit_path;
  std::optional<std::filesystem::path> rules_path;
  std::vector<std::filesystem::path> test_reports;
  bool quiet = false;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!options_done && (arg == "-h" || arg == "--help")) {
      PrintRunHelp(std::cout);
      return kExitOk;
    }
    if (!options_done && arg == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && arg == "--quiet") {
      quiet = true;
      continue;
    }
    std::optional<std::filesystem::path>* target = nullptr;
    std::optional<std::filesystem::path> test_report;
    std::string_view name;
    for (auto [option, slot] : {std::pair{std::string_view("--json"), &json_path},
                                std::pair{std::string_view("--report"), &report_path},
                                std::pair{std::string_view("--junit"), &junit_path},
                                std::pair{std::string_view("--rules"), &rules_path},
                                std::pair{std::string_view("--tests"), &test_report}}) {
      if (!options_done &&
          (arg == option ||
           (arg.starts_with(option) && arg.size() > option.size() && arg[option.size()] == '='))) {
        target = slot;
        name = option;
      }
    }
    if (target != nullptr) {
      std::string value;
      if (arg == name) {
        if (i + 1 == args.size()) return Usage(std::string(name) + " needs a file");
        value = std::string(args[++i]);
      } else {
        value = std::string(arg.substr(name.size() + 1));
      }
      if (value.empty()) return Usage(std::string(name) + " needs a file");
      *target = std::filesystem::path(value);
      if (test_report) test_reports.push_back(*std::move(test_report));
      continue;
    }
    if (!options_done && arg.starts_with("-") && arg != "-") {
      return Usage("unknown option \"" + std::string(arg) + "\"; see 'pullsim run --help'");
    }
    paths.emplace_back(std::string(arg));
  }
  if (paths.empty()) return Usage("give at least one scenario file or folder");

  if (!rules_path) rules_path = scenario::FindRuleCatalogue(paths.front());
  if (!rules_path) rules_path = scenario::FindRuleCatalogue(std::filesystem::current_path());
  RuleCatalogue catalogue;
  bool have_catalogue = false;
  if (rules_path) {
    Result<RuleCatalogue> loaded = RuleCatalogue::Load(*rules_path);
    if (!loaded) {
      std::cerr << loaded.error().ToString() << "\n";
      return kExitInvalid;
    }
    catalogue = *std::move(loaded);
    have_catalogue = true;
  } else {
    std::cerr << "pullsim run: note: no conformance/rules.yaml found; rule ids are checked for "
                 "their form only (use --rules FILE)\n";
  }

  Result<std::vector<scenario::TestResult>> tests = ReadTests(test_reports);
  if (!tests) {
    std::cerr << "pullsim run: " << tests.error().ToString() << "\n";
    return kExitInvalid;
  }

  scenario::RunOptions options;
  options.load.catalogue = have_catalogue ? &catalogue : nullptr;
  scenario::ScenarioFiles found = scenario::CollectScenarioFiles(paths);
  for (const std::string& missing : found.missing) {
    std::cout << "INVALID " << missing << "\n  " << missing << ": no such file or folder\n";
  }
  if (found.files.empty() && found.missing.empty()) {
    std::cerr << "pullsim run: no *.yaml scenario files found\n";
    return kExitInvalid;
  }

  scenario::RunResults results;
  results.pullsim_version = PULLSIM_VERSION;
  results.started = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  const auto run_start = std::chrono::steady_clock::now();
  const std::size_t total = found.files.size();
  std::size_t index = 0;
  for (const std::filesystem::path& file : found.files) {
    const auto start = std::chrono::steady_clock::now();
    scenario::ScenarioResult result = scenario::RunScenarioFile(file, options);
    result.wall_time =
        std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
    ++index;
    const bool bad = result.status == scenario::ScenarioStatus::kFail ||
                     result.status == scenario::ScenarioStatus::kXpass ||
                     result.status == scenario::ScenarioStatus::kInvalid;
    if (!quiet || bad) {
      const std::string counter = "[" + std::to_string(index) + "/" + std::to_string(total) + "] ";
      std::cout << counter << scenario::DescribeResult(result) << "\n";
    }
    results.scenarios.push_back(std::move(result));
  }
  results.duration =
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - run_start);
  results.tests = *std::move(tests);
  std::size_t tests_failed = 0;
  std::size_t tests_skipped = 0;
  constexpr std::size_t kFailedTestsShown = 20;  // the report lists every one
  for (const scenario::TestResult& test : results.tests) {
    if (test.status == scenario::TestStatus::kSkipped) ++tests_skipped;
    if (test.status != scenario::TestStatus::kFail) continue;
    if (tests_failed++ == 0) std::cout << "\n";
    if (tests_failed <= kFailedTestsShown) PrintFailedTest(test, std::cout);
  }
  if (tests_failed > kFailedTestsShown) {
    std::cout << "... and " << tests_failed - kFailedTestsShown << " more failed tests\n";
  }

  const scenario::StatusCounts counts = scenario::CountStatuses(results.scenarios);
  const std::size_t invalid = counts.invalid + found.missing.size();
  const std::size_t scenarios = counts.total() + found.missing.size();
  std::cout << "\n"
            << scenarios << (scenarios == 1 ? " scenario: " : " scenarios: ") << counts.pass
            << " passed, " << counts.fail << " failed, " << invalid << " invalid";
  if (counts.xfail > 0) std::cout << ", " << counts.xfail << " failed as expected (xfail)";
  if (counts.xpass > 0) std::cout << ", " << counts.xpass << " passed unexpectedly (xpass)";
  std::cout << "\n";
  if (!test_reports.empty()) {
    const std::size_t count = results.tests.size();
    std::cout << count << (count == 1 ? " test" : " tests")
              << " naming rules: " << count - tests_failed - tests_skipped << " passed, "
              << tests_failed << " failed, " << tests_skipped << " skipped\n";
  }
  if (have_catalogue) {
    const scenario::RuleCounts rules =
        scenario::CountRules(scenario::SummarizeRules(results, catalogue));
    std::cout << "rules: " << rules.covered << " of " << catalogue.rules().size()
              << (test_reports.empty() ? " covered by these scenarios, "
                                       : " covered by these scenarios and tests, ")
              << rules.uncovered << " not covered, " << rules.not_simulated << " not simulated\n";
  }

  bool written = true;
  if (json_path) {
    written = WriteOutput(
                  *json_path, "JSON results",
                  [&](std::ostream& out) { report::WriteJsonResults(results, catalogue, out); }) &&
              written;
  }
  if (report_path) {
    written =
        WriteOutput(*report_path, "HTML report",
                    [&](std::ostream& out) { report::WriteHtmlReport(results, catalogue, out); }) &&
        written;
  }
  if (junit_path) {
    written = WriteOutput(*junit_path, "JUnit XML",
                          [&](std::ostream& out) { report::WriteJunitReport(results, out); }) &&
              written;
  }
  if (invalid > 0) return kExitInvalid;
  if (counts.fail > 0 || counts.xpass > 0 || tests_failed > 0 || !written) return kExitFailed;
  return kExitOk;
}

}  // namespace pullsim::cli
