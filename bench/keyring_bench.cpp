// BM_KeyringLookup: credential lookups per second as the keyring grows (10, 1,000, 100,000 keys),
// CRED-07/08/09. BM_KeyringLookupUpstreamWalk answers the same lookups the way upstream's
// BasicDockerKeyring.Lookup does (walk the whole reverse-sorted index, parse and URLsMatch every
// key), so the two run side by side and their ratio is the index's gain. Both give the same
// credentials in the same order; the benchmark checks that before timing.
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/credentials/keyring.h"

namespace {

using pullsim::credentials::Credential;
using pullsim::credentials::CredentialSource;
using pullsim::credentials::Keyring;

// A node or pod keyring of `size` keys: registry hosts, some with repository paths, a few host
// globs and the Docker Hub key.
Keyring MakeKeyring(std::int64_t size) {
  Keyring keyring;
  const CredentialSource source = CredentialSource::Node("/var/lib/kubelet/config.json");
  const std::int64_t globs = size / 1000 + 1;
  (void)keyring.Add("https://index.docker.io/v1/", Credential{"hub", "pw", "", source});
  for (std::int64_t i = 0; keyring.size() < static_cast<std::size_t>(size); ++i) {
    std::string key;
    if (i < globs) {
      key = "*.mirror-" + std::to_string(i) + ".example.net";
    } else if (i % 4 == 0) {
      key = "registry-" + std::to_string(i / 2) + ".example.com/team-" + std::to_string(i % 7);
    } else {
      key = "registry-" + std::to_string(i) + ".example.com";
    }
    (void)keyring.Add(key, Credential{"user-" + std::to_string(i), "pw", "", source});
  }
  return keyring;
}

// Repositories a node pulls: an exact host, a host with a path key, a glob, a miss and Docker
// Hub (reached through the fallback).
std::vector<std::string> Repositories(std::int64_t size) {
  const std::int64_t mid = size / 2 + 1;
  const std::int64_t with_path = (size / 2 / 28) * 28;  // a key "registry-N.example.com/team-0"
  return {"registry-" + std::to_string(mid) + ".example.com/team/app",
          "registry-" + std::to_string(with_path / 2) + ".example.com/team-0/app",
          "eu.mirror-0.example.net/library/app", "quay.io/coreos/etcd", "docker.io/library/nginx"};
}

// Upstream's algorithm: every index key, in order, parsed and matched; then the fallback.
std::vector<std::string> UpstreamWalk(const Keyring& keyring, const std::vector<std::string>& index,
                                      std::string_view repository) {
  std::vector<std::string> usernames;
  for (const std::string& key : index) {
    auto matched = pullsim::credentials::UrlsMatch(key, repository);
    if (!matched || !*matched) continue;
    for (const Credential& c : *keyring.CredentialsFor(key)) usernames.push_back(c.username);
  }
  if (usernames.empty() && pullsim::credentials::IsDefaultRegistryMatch(repository)) {
    if (const auto* hub = keyring.CredentialsFor(pullsim::credentials::kDefaultRegistryKey)) {
      for (const Credential& c : *hub) usernames.push_back(c.username);
    }
  }
  return usernames;
}

std::vector<std::string> IndexedLookup(const Keyring& keyring, std::string_view repository) {
  std::vector<std::string> usernames;
  for (const auto& found : keyring.Lookup(repository)) {
    usernames.push_back(found.credential.username);
  }
  return usernames;
}

void BM_KeyringLookup(benchmark::State& state) {
  const Keyring keyring = MakeKeyring(state.range(0));
  const std::vector<std::string> repositories = Repositories(state.range(0));
  const std::vector<std::string> index = keyring.Index();
  for (const std::string& repository : repositories) {
    if (IndexedLookup(keyring, repository) != UpstreamWalk(keyring, index, repository)) {
      state.SkipWithError(("indexed lookup differs from upstream for " + repository).c_str());
      return;
    }
  }
  std::size_t next = 0;
  for (auto _ : state) {
    auto found = keyring.Lookup(repositories[next]);
    benchmark::DoNotOptimize(found);
    next = next + 1 == repositories.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["keys"] = static_cast<double>(keyring.size());
}

void BM_KeyringLookupUpstreamWalk(benchmark::State& state) {
  const Keyring keyring = MakeKeyring(state.range(0));
  const std::vector<std::string> repositories = Repositories(state.range(0));
  const std::vector<std::string> index = keyring.Index();
  std::size_t next = 0;
  for (auto _ : state) {
    auto found = UpstreamWalk(keyring, index, repositories[next]);
    benchmark::DoNotOptimize(found);
    next = next + 1 == repositories.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["keys"] = static_cast<double>(keyring.size());
}

// Building the keyring: keys added per second (normalised, parsed and indexed once each).
void BM_KeyringAdd(benchmark::State& state) {
  for (auto _ : state) {
    Keyring keyring = MakeKeyring(state.range(0));
    benchmark::DoNotOptimize(keyring);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_KeyringLookup)->ArgName("entries")->Arg(10)->Arg(1000)->Arg(100000);
BENCHMARK(BM_KeyringLookupUpstreamWalk)->ArgName("entries")->Arg(10)->Arg(1000)->Arg(100000);
BENCHMARK(BM_KeyringAdd)
    ->ArgName("entries")
    ->Arg(10)
    ->Arg(1000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
