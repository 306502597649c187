#pragma once
// Injected faults (REGISTRY.yaml `faults`): latency, error responses, dropped connections and a
// bandwidth cap, chosen per repository or per request pattern, optionally only for some of the
// matching requests (`after`, `times`). Latency and bandwidth run on the registry's wait
// function: real sleeps behind the HTTP front, virtual time in scenarios.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/registry_transport.h"
#include "sim/registry/names.h"

namespace pullsim::registry {

struct FaultMatch {
  std::optional<RepositoryGlob> repositories;    // nullopt: any (and requests without one)
  std::vector<oci::RegistryEndpoint> endpoints;  // empty: any
  std::vector<std::string> methods;              // "GET", "HEAD"...; empty: any
  std::string reference;                         // glob over the tag/digest/session; empty: any
  std::string path;    // glob over the request path ("/v2/**/blobs/*"); empty: any
  std::string client;  // identity ("anonymous", a user name); empty: any
};

struct Fault {
  std::string name;  // for the request log; defaults to "fault-<index>"
  FaultMatch match;
  Duration latency{};
  // An error response instead of the real one: status with a spec error body {code, message}.
  int status = 0;
  std::string code;
  std::string message;
  // Close the connection after this many body bytes (0: before the status line).
  bool drop = false;
  std::uint64_t drop_after_bytes = 0;
  std::uint64_t bandwidth = 0;  // bytes per second; 0: no cap
  std::uint32_t after = 0;      // let the first `after` matching requests through untouched
  std::uint32_t times = 0;      // then apply to at most `times` requests (0: every one)
};

// What the matching faults do to one request.
struct FaultEffect {
  Duration latency{};
  std::optional<oci::RegistryResponse> error;
  std::optional<std::uint64_t> drop_after;
  std::uint64_t bandwidth = 0;
  std::string names;  // comma-joined names of the faults that applied
};

struct FaultRequest {
  std::string_view method;
  std::optional<oci::RegistryEndpoint> endpoint;
  std::string_view repository;
  std::string_view reference;
  std::string_view path;
  std::string_view client;
};

class FaultInjector {
 public:
  explicit FaultInjector(std::vector<Fault> faults);

  // Every fault whose match holds contributes: latencies add up, the lowest bandwidth wins,
  // the first error or drop wins.
  [[nodiscard]] FaultEffect Apply(const FaultRequest& request);
  [[nodiscard]] bool empty() const { return faults_.empty(); }

 private:
  std::vector<Fault> faults_;
  std::mutex mu_;
  std::vector<std::uint64_t> matched_;  // per fault: matching requests seen
};

}  // namespace pullsim::registry
