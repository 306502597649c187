#include "sim/registry/request_log.h"

#include <nlohmann/json.hpp>

namespace pullsim::registry {

std::string_view EndpointName(oci::RegistryEndpoint endpoint) {
  switch (endpoint) {
    case oci::RegistryEndpoint::kPing:
      return "ping";
    case oci::RegistryEndpoint::kManifest:
      return "manifest";
    case oci::RegistryEndpoint::kBlob:
      return "blob";
    case oci::RegistryEndpoint::kUploadStart:
      return "upload_start";
    case oci::RegistryEndpoint::kUploadSession:
      return "upload";
    case oci::RegistryEndpoint::kTags:
      return "tags";
    case oci::RegistryEndpoint::kReferrers:
      return "referrers";
    case oci::RegistryEndpoint::kCatalog:
      return "catalog";
    case oci::RegistryEndpoint::kToken:
      return "token";
  }
  return "unknown";
}

void RequestLog::Record(RequestLogEntry entry) {
  std::lock_guard lock(mu_);
  ++total_;
  if (!enabled_) return;
  if (capacity_ == 0 || entries_.size() < capacity_) {
    entries_.push_back(std::move(entry));
    return;
  }
  entries_[next_] = std::move(entry);
  next_ = (next_ + 1) % capacity_;
}

void RequestLog::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  next_ = 0;
}

void RequestLog::set_enabled(bool enabled) {
  std::lock_guard lock(mu_);
  enabled_ = enabled;
}

std::vector<RequestLogEntry> RequestLog::Entries() const {
  std::lock_guard lock(mu_);
  std::vector<RequestLogEntry> out;
  out.reserve(entries_.size());
  // Oldest first: the ring starts at next_ once it has wrapped.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    out.push_back(entries_[(next_ + i) % entries_.size()]);
  }
  return out;
}

std::size_t RequestLog::Count(const std::function<bool(const RequestLogEntry&)>& match) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const RequestLogEntry& entry : entries_) {
    if (match(entry)) ++n;
  }
  return n;
}

std::uint64_t RequestLog::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::string RequestLog::ToJson(const RequestLogEntry& entry) {
  nlohmann::json json = {
      {"time", FormatTimestamp(entry.time)},
      {"client", entry.client},
      {"identity", entry.identity},
      {"method", entry.method},
      {"path", entry.path},
      {"endpoint", entry.endpoint ? std::string(EndpointName(*entry.endpoint)) : "none"},
      {"repository", entry.repository},
      {"reference", entry.reference},
      {"status", entry.status},
      {"request_bytes", entry.request_bytes},
      {"response_bytes", entry.response_bytes},
      {"error", entry.error_code},
      {"fault", entry.fault},
  };
  // Invalid UTF-8 in a hostile path must not throw: replace it.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RequestLog::WriteJsonLines(std::ostream& out) const {
  for (const RequestLogEntry& entry : Entries()) out << ToJson(entry) << '\n';
}

}  // namespace pullsim::registry
