// Writing the reports of a large run: BM_HtmlReport, BM_JunitReport and BM_JsonResults write
// 100 and 10,000 generated scenarios (two pods, a dozen events, 20 registry requests each) into a
// byte-counting sink; items/s are scenarios per second. BM_JsonResultsNlohmannPeer serializes
// the same document with nlohmann::json's dump() from a DOM built beforehand (the DOM is not
// timed), so its ratio to BM_JsonResults is our streaming writer's gain over the usual way.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <ostream>
#include <sstream>
#include <streambuf>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "sim/report/html_report.h"
#include "sim/report/json_results.h"
#include "sim/report/junit_report.h"
#include "sim/report/sample_results.h"

namespace {

// Counts what is written and keeps none of it.
class CountingBuffer : public std::streambuf {
 public:
  std::uint64_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize count) override {
    bytes += static_cast<std::uint64_t>(count);
    return count;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++bytes;
    return traits_type::not_eof(c);
  }
};

const pullsim::RuleCatalogue& Catalogue() {
  static const pullsim::RuleCatalogue catalogue = [] {
    auto loaded =
        pullsim::RuleCatalogue::Load(std::string(PULLSIM_SOURCE_DIR) + "/conformance/rules.yaml");
    if (!loaded) {
      std::cerr << loaded.error().ToString() << "\n";
      std::abort();
    }
    return *std::move(loaded);
  }();
  return catalogue;
}

const pullsim::scenario::RunResults& Results(std::int64_t count) {
  static std::map<std::int64_t, pullsim::scenario::RunResults> cache;
  auto it = cache.find(count);
  if (it == cache.end()) {
    it = cache
             .emplace(count,
                      pullsim::report::testing::SyntheticResults(static_cast<std::size_t>(count)))
             .first;
  }
  return it->second;
}

template <typename Write>
void Run(benchmark::State& state, Write write) {
  const pullsim::scenario::RunResults& results = Results(state.range(0));
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    CountingBuffer buffer;
    std::ostream out(&buffer);
    write(results, out);
    bytes = buffer.bytes;
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_HtmlReport(benchmark::State& state) {
  Run(state, [](const auto& results, std::ostream& out) {
    pullsim::report::WriteHtmlReport(results, Catalogue(), out);
  });
}
BENCHMARK(BM_HtmlReport)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_JunitReport(benchmark::State& state) {
  Run(state, [](const auto& results, std::ostream& out) {
    pullsim::report::WriteJunitReport(results, out);
  });
}
BENCHMARK(BM_JunitReport)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_JsonResults(benchmark::State& state) {
  Run(state, [](const auto& results, std::ostream& out) {
    pullsim::report::WriteJsonResults(results, Catalogue(), out);
  });
}
BENCHMARK(BM_JsonResults)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_JsonResultsNlohmannPeer(benchmark::State& state) {
  std::ostringstream text;
  pullsim::report::WriteJsonResults(Results(state.range(0)), Catalogue(), text);
  const nlohmann::ordered_json document = nlohmann::ordered_json::parse(text.str());
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    CountingBuffer buffer;
    std::ostream out(&buffer);
    out << document.dump(2);
    bytes = buffer.bytes;
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_JsonResultsNlohmannPeer)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
