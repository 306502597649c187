#include "sim/registry/faults.h"

#include <algorithm>

#include "sim/registry/errors.h"

namespace pullsim::registry {

FaultInjector::FaultInjector(std::vector<Fault> faults)
    : faults_(std::move(faults)), matched_(faults_.size(), 0) {
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    if (faults_[i].name.empty()) faults_[i].name = "fault-" + std::to_string(i);
  }
}

namespace {

bool Matches(const FaultMatch& match, const FaultRequest& request) {
  if (match.repositories &&
      (request.repository.empty() || !match.repositories->Matches(request.repository))) {
    return false;
  }
  if (!match.endpoints.empty() &&
      (!request.endpoint || std::find(match.endpoints.begin(), match.endpoints.end(),
                                      *request.endpoint) == match.endpoints.end())) {
    return false;
  }
  if (!match.methods.empty() && std::find(match.methods.begin(), match.methods.end(),
                                          request.method) == match.methods.end()) {
    return false;
  }
  if (!match.reference.empty() && !GlobMatches(match.reference, request.reference)) return false;
  if (!match.path.empty() && !GlobMatches(match.path, request.path)) return false;
  if (!match.client.empty() && match.client != request.client) return false;
  return true;
}

}  // namespace

FaultEffect FaultInjector::Apply(const FaultRequest& request) {
  FaultEffect effect;
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const Fault& fault = faults_[i];
    if (!Matches(fault.match, request)) continue;
    const std::uint64_t seen = matched_[i]++;
    if (seen < fault.after) continue;
    if (fault.times != 0 && seen - fault.after >= fault.times) continue;
    if (!effect.names.empty()) effect.names += ",";
    effect.names += fault.name;
    effect.latency += fault.latency;
    if (fault.bandwidth != 0 && (effect.bandwidth == 0 || fault.bandwidth < effect.bandwidth)) {
      effect.bandwidth = fault.bandwidth;
    }
    if (!effect.error && !effect.drop_after) {
      if (fault.drop) {
        effect.drop_after = fault.drop_after_bytes;
      } else if (fault.status != 0) {
        oci::RegistryResponse response;
        response.status = fault.status;
        response.errors.push_back(
            {fault.code.empty() ? std::string(fault.status >= 500 ? "UNAVAILABLE" : "UNKNOWN")
                                : fault.code,
             fault.message.empty() ? "injected fault " + fault.name : fault.message,
             {}});
        response.body = oci::SharedBytes(oci::FormatErrorBody(response.errors));
        response.headers.Set("Content-Type", "application/json; charset=utf-8");
        if (fault.status == 429) response.headers.Set("Retry-After", "60");
        effect.error = std::move(response);
      }
    }
  }
  return effect;
}

}  // namespace pullsim::registry
