#pragma once
// Runs scenarios (fixtures/README.md "How a scenario runs"): builds the world, applies `objects`,
// executes the steps in order — letting the nodes act until quiescent after each — and checks
// expectations, `within` and `never` included, on the scenario's VirtualClock. A failed check is
// reported with its file:line, what was expected and what was found; a file that does not load is
// INVALID with the loader's diagnostics. Deterministic: the same file gives the same result.
// Nothing here reads the wall clock: the caller fills ScenarioResult::wall_time if it wants it.

#include <cstddef>
#include <filesystem>
#include <memory>

#include "sim/scenario/loader.h"
#include "sim/scenario/results.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/simulation.h"

namespace pullsim::scenario {

struct RunOptions {
  LoadOptions load;                   // how files are loaded (rule catalogue, limits)
  std::size_t max_requests = 10'000;  // request-log entries kept in each result; the rest counted
};

// Runs a loaded scenario. PASS when every step succeeds; FAIL with each failed expectation, or
// with `error` when the world cannot be built or a step cannot be carried out; XFAIL / XPASS for
// a scenario marked `xfail`.
[[nodiscard]] ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options = {});

// RunScenario, keeping the world as the steps left it, for tools that inspect it (explain).
// `world` is null when it could not be built (`result` says why).
struct KeptRun {
  ScenarioResult result;
  std::unique_ptr<Simulation> world;
};
[[nodiscard]] KeptRun RunScenarioKeepingWorld(const Scenario& scenario,
                                              const RunOptions& options = {});

// Loads `file` and runs it; INVALID (with diagnostics) when it does not load.
[[nodiscard]] ScenarioResult RunScenarioFile(const std::filesystem::path& file,
                                             const RunOptions& options = {});

// "PASS fixtures/x.yaml", then for a failure each failed expectation as
// "file:line: subject: check: expected ..., got ..." (multi-line values indented), for a terminal.
[[nodiscard]] std::string DescribeResult(const ScenarioResult& result);

}  // namespace pullsim::scenario
