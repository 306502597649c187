#pragma once
// The registries of a running scenario (fixtures/README.md `registries` and the push,
// deleteImage, revoke and rotatePassword steps): one registry::Registry per host on the
// scenario's clock. Each node reaches each registry through a transport of its own, which names
// the node in the request log and keeps working when revoke or rotatePassword rebuilds a
// registry with new users or access rules.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/registry_runtime.h"
#include "sim/registry/registry.h"
#include "sim/registry/request_log.h"
#include "sim/scenario/step.h"
#include "sim/scenario/world.h"

namespace pullsim::scenario {

class RegistryFleet {
 public:
  // Builds every registry and loads its images. `clock` stamps requests, tokens and rate limits;
  // the delays a registry spends (fault latency) advance `wire_clock`, which the nodes read to
  // time their pulls. Both clocks must outlive the fleet. With `http`, each registry is served on
  // 127.0.0.1 (any free port) and nodes reach it over real HTTP; otherwise by function calls.
  // Errors name the image's file:line:col, or the address that could not be bound.
  [[nodiscard]] static Result<std::unique_ptr<RegistryFleet>> Create(
      const std::vector<Registry>& registries, const Clock& clock, VirtualClock& wire_clock,
      bool http = false);
  ~RegistryFleet();
  RegistryFleet(const RegistryFleet&) = delete;
  RegistryFleet& operator=(const RegistryFleet&) = delete;

  // One transport per registry host for the node `node_name` (the client in the request log
  // in process). They live as long as the fleet.
  [[nodiscard]] Result<node::RegistryTransports> TransportsFor(const std::string& node_name);

  // The registry of `host` ("docker.io" also answers to "index.docker.io" and
  // "registry-1.docker.io"); nullptr when the scenario has none.
  [[nodiscard]] registry::Registry* Find(std::string_view host);
  [[nodiscard]] const registry::Registry* Find(std::string_view host) const;
  // The content of `host`'s registry, to read; nullptr when the scenario has no such registry.
  [[nodiscard]] const registry::ContentStore* ContentOf(std::string_view host) const;
  // Hosts in the order the scenario lists them.
  [[nodiscard]] std::vector<std::string> hosts() const;

  // The steps that change registries. Errors say what is missing (kNotFound) or refused.
  [[nodiscard]] Result<void> Push(const PushStep& step);
  [[nodiscard]] Result<void> DeleteImage(const DeleteImageStep& step);
  // The registry is rebuilt with the user taken out of the matching access rules; its content and
  // request log carry over, issued tokens and rate-limit windows do not.
  [[nodiscard]] Result<void> Revoke(const RevokeStep& step);
  [[nodiscard]] Result<void> RotatePassword(const RotatePasswordStep& step);

  // Every request of every registry, by time (registries in scenario order at equal times).
  struct LoggedRequest {
    std::string host;
    registry::RequestLogEntry entry;
  };
  [[nodiscard]] std::vector<LoggedRequest> Requests() const;
  // The request log of `host`'s registry; nullopt when the scenario has no such registry.
  [[nodiscard]] std::optional<std::vector<registry::RequestLogEntry>> RequestsOf(
      std::string_view host) const;
  // Requests recorded but no longer kept, past each log's capacity.
  [[nodiscard]] std::uint64_t RequestsOmitted() const;

 private:
  struct Slot;
  class NodeTransport;

  RegistryFleet(const Clock& clock, VirtualClock& wire_clock, bool http);
  // Serves the slot's registry over HTTP when the fleet is in HTTP mode.
  [[nodiscard]] Result<void> Serve(Slot& slot);
  [[nodiscard]] Slot* FindSlot(std::string_view host);
  [[nodiscard]] const Slot* FindSlot(std::string_view host) const;
  // Replaces the slot's registry with one built from `options`, carrying content and log over.
  [[nodiscard]] Result<void> Rebuild(Slot& slot, registry::RegistryOptions options);

  const Clock& clock_;
  VirtualClock& wire_clock_;
  bool http_ = false;
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace pullsim::scenario
