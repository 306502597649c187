// BM_ParseReference: image references read per second (REF-02), on the three shapes users write.
// bench/reference_vs_go.sh runs it beside docker/distribution's ParseNormalizedNamed (bench/goref).
#include <cstdint>
#include <string_view>

#include <benchmark/benchmark.h>

#include "sim/reference/reference.h"

namespace {

// The same three inputs as bench/goref/main.go.
constexpr std::string_view kFamiliar = "nginx";
constexpr std::string_view kFullyQualified = "registry.example.com:5000/team/app:v1.42.0";
constexpr std::string_view kDigest =
    "docker.io/library/busybox@sha256:"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

void BM_ParseReference(benchmark::State& state, std::string_view input) {
  if (!pullsim::reference::ParseNormalizedNamed(input)) {
    state.SkipWithError("input does not parse");
    return;
  }
  for (auto _ : state) {
    auto ref = pullsim::reference::ParseNormalizedNamed(input);
    benchmark::DoNotOptimize(ref);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
}

BENCHMARK_CAPTURE(BM_ParseReference, familiar, kFamiliar)->Unit(benchmark::kNanosecond);
BENCHMARK_CAPTURE(BM_ParseReference, fully_qualified, kFullyQualified)
    ->Unit(benchmark::kNanosecond);
BENCHMARK_CAPTURE(BM_ParseReference, digest, kDigest)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
