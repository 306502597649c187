// Scenarios per second (issue 7).
//
// BM_RunFixtures: every scenario under fixtures/, loaded once, run each iteration (the world
// built, every step, expectations with within/never, results filled); items = scenarios.
// BM_LoadAndRunFixtures: the same with the strict loader in the loop, as `pullsim run` does it.
// BM_LargeScenario: one generated scenario of 1,000 nodes (a third each linux/amd64, linux/arm64,
// linux/arm/v7) and 10,000 pods of one multi-arch image from a token-auth registry, applied in
// one step and run until every pod is running; items = scenarios, "pods" per second as a counter.
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/core/rule_catalogue.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario_files.h"

namespace {

using namespace pullsim;

constexpr int kNodes = 1'000;
constexpr int kPods = 10'000;

const RuleCatalogue& Catalogue() {
  static const RuleCatalogue catalogue = [] {
    Result<RuleCatalogue> loaded =
        RuleCatalogue::Load(std::filesystem::path(PULLSIM_SOURCE_DIR) / "conformance/rules.yaml");
    return loaded ? *std::move(loaded) : RuleCatalogue{};
  }();
  return catalogue;
}

std::vector<std::filesystem::path> FixtureFiles() {
  return scenario::CollectScenarioFiles({std::filesystem::path(PULLSIM_SOURCE_DIR) / "fixtures"})
      .files;
}

void BM_RunFixtures(benchmark::State& state) {
  scenario::RunOptions options;
  options.load.catalogue = &Catalogue();
  std::vector<scenario::Scenario> scenarios;
  for (const std::filesystem::path& file : FixtureFiles()) {
    auto loaded = scenario::LoadScenarioFile(file, options.load);
    if (!loaded) {
      state.SkipWithError(("invalid fixture " + file.string()).c_str());
      return;
    }
    scenarios.push_back(*std::move(loaded));
  }
  std::size_t failed = 0;
  for (auto _ : state) {
    for (const scenario::Scenario& loaded : scenarios) {
      scenario::ScenarioResult result = scenario::RunScenario(loaded, options);
      failed += result.status != scenario::ScenarioStatus::kPass &&
                result.status != scenario::ScenarioStatus::kXfail;
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(scenarios.size()));
  state.counters["scenarios"] = static_cast<double>(scenarios.size());
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_RunFixtures)->Unit(benchmark::kMillisecond);

void BM_LoadAndRunFixtures(benchmark::State& state) {
  scenario::RunOptions options;
  options.load.catalogue = &Catalogue();
  const std::vector<std::filesystem::path> files = FixtureFiles();
  for (auto _ : state) {
    for (const std::filesystem::path& file : files) {
      benchmark::DoNotOptimize(scenario::RunScenarioFile(file, options));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.size()));
}
BENCHMARK(BM_LoadAndRunFixtures)->Unit(benchmark::kMillisecond);

// 1,000 nodes and 10,000 pods of one image, written as a scenario file would be.
std::string LargeScenario() {
  static constexpr const char* kPlatforms[] = {"linux/amd64", "linux/arm64", "linux/arm/v7"};
  std::string text =
      "name: large\n"
      "description: 1,000 nodes, 10,000 pods of one multi-arch image.\n"
      "rules: [KUB-02, ARCH-05]\n"
      "registries:\n"
      "  - host: registry.test\n"
      "    auth: token\n"
      "    users: [{name: ci, password: s3cret}]\n"
      "    access: [{repositories: \"**\", pull: [ci]}]\n"
      "    images:\n"
      "      - {repository: team/app, tag: \"1.0\", layers: [100KiB, 100KiB],\n"
      "         platforms: [linux/amd64, linux/arm64, linux/arm/v7]}\n"
      "nodes:\n";
  for (int n = 0; n < kNodes; ++n) {
    text += "  - {name: node-" + std::to_string(n) + ", platform: " + kPlatforms[n % 3] + "}\n";
  }
  text +=
      "objects:\n"
      "  - apiVersion: v1\n"
      "    kind: Secret\n"
      "    metadata: {name: regcred}\n"
      "    type: kubernetes.io/dockerconfigjson\n"
      "    stringData:\n"
      "      .dockerconfigjson: '{\"auths\": {\"registry.test\": {\"auth\": \"Y2k6czNjcmV0\"}}}'\n"
      "steps:\n"
      "  - apply:\n";
  for (int p = 0; p < kPods; ++p) {
    text += "      - {apiVersion: v1, kind: Pod, metadata: {name: pod-" + std::to_string(p) +
            "}, spec: {nodeName: node-" + std::to_string(p % kNodes) +
            ", imagePullSecrets: [{name: regcred}], containers: [{name: app, image: "
            "registry.test/team/app:1.0}]}}\n";
  }
  text += "  - expect: {pod: pod-0, state: Running, within: 10m}\n";
  text += "  - expect: {pod: pod-" + std::to_string(kPods - 1) + ", state: Running, within: 10m}\n";
  text += "  - expect: {node: node-0, cached: [registry.test/team/app:1.0]}\n";
  return text;
}

void BM_LargeScenario(benchmark::State& state) {
  scenario::RunOptions options;
  options.load.catalogue = &Catalogue();
  options.max_requests = 1'000;
  const std::string text = LargeScenario();
  auto loaded = scenario::LoadScenarioText(text, "large.yaml", ".", options.load);
  if (!loaded) {
    state.SkipWithError(loaded.error().ToError().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    scenario::ScenarioResult result = scenario::RunScenario(*loaded, options);
    if (result.status != scenario::ScenarioStatus::kPass) {
      state.SkipWithError(scenario::DescribeResult(result).c_str());
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pods"] = benchmark::Counter(static_cast<double>(state.iterations()) * kPods,
                                              benchmark::Counter::kIsRate);
  state.counters["nodes"] = kNodes;
  state.counters["yaml_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_LargeScenario)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
