// The fake registry's own costs: requests served per second in process (what a scenario pays per
// pull step) and over loopback HTTP through HttpFront + HttpTransport on one connection, for a
// manifest, a small blob and a large blob, with auth off, Basic and bearer tokens; and the
// Authenticator alone (BM_Authorize), what auth adds to each request before any HTTP.
// BM_Http reports wall-clock time per request (the client waits for the server) and, as its CPU
// time, the whole process's (client and server threads): on a busy machine the CPU column is the
// steadier one for comparing auth on and off. Run the modes side by side, interleaved, e.g.
//   registry_bench --benchmark_filter='BM_Http/.*/kind:0' --benchmark_repetitions=8
//                  --benchmark_enable_random_interleaving=true
// bench/registry_vs_peers.sh sets the HTTP front beside nginx and docker-registry under wrk.
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/core/clock.h"
#include "sim/oci/digest.h"
#include "sim/registry/http_front.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/in_process_transport.h"
#include "sim/registry/registry.h"

namespace {

using namespace pullsim;
using namespace pullsim::registry;
using oci::HttpMethod;
using oci::RegistryEndpoint;

constexpr std::size_t kSmallBlob = 4 * 1024;
constexpr std::size_t kLargeBlob = 64 * 1024 * 1024;

// One repository with a manifest, a small and a large layer; alice may pull it.
struct Fixture {
  explicit Fixture(AuthMode mode) {
    RegistryOptions options;
    options.auth.mode = mode;
    options.auth.users = {{"alice", "alice-pw", ""}};
    options.auth.token_ttl = std::chrono::hours(24);
    options.request_log_capacity = 100'000;
    registry = std::make_unique<Registry>(clock, options);
    const std::string config =
        R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
    small = registry->PutBlob("bench/app", oci::SharedBytes(std::string(kSmallBlob, 's')));
    large = registry->PutBlob("bench/app", oci::SharedBytes(std::string(kLargeBlob, 'l')));
    const oci::Digest config_digest = registry->PutBlob("bench/app", oci::SharedBytes(config));
    const std::string manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
        config_digest.str() + R"(","size":)" + std::to_string(config.size()) +
        R"(},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":")" +
        small.str() +
        R"(","size":4096},{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":")" +
        large.str() + R"(","size":67108864}]})";
    (void)registry->PutManifest("bench/app", oci::SharedBytes(manifest),
                                "application/vnd.oci.image.manifest.v1+json", "1.0");
    if (mode == AuthMode::kBasic) authorization = "Basic YWxpY2U6YWxpY2UtcHc=";  // alice:alice-pw
    if (mode == AuthMode::kToken) {
      InProcessTransport transport(*registry);
      oci::RegistryRequest token;
      token.endpoint = RegistryEndpoint::kToken;
      token.url = "http://registry.test/token";
      token.query = {{"service", "pullsim"}, {"scope", "repository:bench/app:pull"}};
      token.headers.Set("Authorization", "Basic YWxpY2U6YWxpY2UtcHc=");
      auto answer = transport.RoundTrip(token);
      const std::string body(answer->body.view());
      const std::size_t start = body.find("\"token\":\"") + 9;
      authorization = "Bearer " + body.substr(start, body.find('"', start) - start);
    }
  }

  oci::RegistryRequest Request(RegistryEndpoint endpoint, const std::string& reference) const {
    oci::RegistryRequest request;
    request.endpoint = endpoint;
    request.repository = "bench/app";
    request.reference = reference;
    request.headers.Set("Accept", "application/vnd.oci.image.manifest.v1+json");
    if (!authorization.empty()) request.headers.Set("Authorization", authorization);
    return request;
  }

  SystemClock clock;
  std::unique_ptr<Registry> registry;
  oci::Digest small;
  oci::Digest large;
  std::string authorization;
};

enum Kind { kManifest, kSmall, kLarge };

void Run(benchmark::State& state, oci::RegistryTransport& transport, const Fixture& fixture) {
  const auto kind = static_cast<Kind>(state.range(0));
  const oci::RegistryRequest request =
      kind == kManifest ? fixture.Request(RegistryEndpoint::kManifest, "1.0")
      : kind == kSmall  ? fixture.Request(RegistryEndpoint::kBlob, fixture.small.str())
                        : fixture.Request(RegistryEndpoint::kBlob, fixture.large.str());
  std::int64_t bytes = 0;
  for (auto _ : state) {
    auto response = transport.RoundTrip(request);
    if (!response || response->status != 200) {
      state.SkipWithError("request failed");
      break;
    }
    bytes += static_cast<std::int64_t>(response->body.size());
    benchmark::DoNotOptimize(response->body.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}

// One fixture per mode for the in-process benchmarks, built on first use and kept.
Fixture& SharedFixture(AuthMode mode) {
  static Fixture* fixtures[3] = {};
  Fixture*& fixture = fixtures[static_cast<int>(mode)];
  if (fixture == nullptr) fixture = new Fixture(mode);
  return *fixture;
}

void BM_InProcess(benchmark::State& state, AuthMode mode) {
  Fixture& fixture = SharedFixture(mode);
  InProcessTransport transport(*fixture.registry);
  Run(state, transport, fixture);
}

void BM_Http(benchmark::State& state, AuthMode mode) {
  Fixture fixture(mode);
  auto front = HttpFront::Start(*fixture.registry);
  auto transport = HttpTransport::Create((*front)->base_url());
  Run(state, **transport, fixture);
}

// Authenticator::Authorize for a manifest pull with the headers an HTTP client sends, the
// credential already checked once (as on a keep-alive connection).
void BM_Authorize(benchmark::State& state, AuthMode mode) {
  Fixture& fixture = SharedFixture(mode);
  oci::HttpHeaders headers = {{"Host", "127.0.0.1:5000"},
                              {"Accept", "application/vnd.oci.image.manifest.v1+json"},
                              {"User-Agent", "containerd/v1.7.24"}};
  if (!fixture.authorization.empty()) headers.Add("Authorization", fixture.authorization);
  const std::vector<Scope> needed = {Scope{"repository", "bench/app", {"pull"}}};
  Authenticator& auth = fixture.registry->authenticator();
  for (auto _ : state) {
    AuthDecision decision = auth.Authorize(headers, needed, "http://127.0.0.1:5000");
    if (!decision.allowed) {
      state.SkipWithError("not allowed");
      break;
    }
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}

void Kinds(benchmark::internal::Benchmark* b) {
  b->ArgName("kind")->Arg(kManifest)->Arg(kSmall)->Arg(kLarge);
}

BENCHMARK_CAPTURE(BM_InProcess, none, AuthMode::kNone)->Apply(Kinds);
BENCHMARK_CAPTURE(BM_InProcess, basic, AuthMode::kBasic)->Apply(Kinds);
BENCHMARK_CAPTURE(BM_InProcess, token, AuthMode::kToken)->Apply(Kinds);
BENCHMARK_CAPTURE(BM_Http, none, AuthMode::kNone)
    ->Apply(Kinds)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_Http, basic, AuthMode::kBasic)
    ->Apply(Kinds)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_Http, token, AuthMode::kToken)
    ->Apply(Kinds)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_Authorize, none, AuthMode::kNone);
BENCHMARK_CAPTURE(BM_Authorize, basic, AuthMode::kBasic);
BENCHMARK_CAPTURE(BM_Authorize, token, AuthMode::kToken);

}  // namespace

BENCHMARK_MAIN();
