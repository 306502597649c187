#pragma once
// The registry's request log: one entry per request (time on the registry's Clock, client
// address and identity, method, path, status, bytes), readable by tests, scenario expectations
// ("registry_requests: {manifest_get: 1}") and reports.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::registry {

struct RequestLogEntry {
  Timestamp time;
  std::string client;    // "127.0.0.1:40312", or the in-process client's name
  std::string identity;  // user name, "anonymous"
  std::string method;    // as received
  std::string path;      // target as received, query included
  std::optional<oci::RegistryEndpoint> endpoint;  // nullopt: no route matched
  std::string repository;
  std::string reference;
  int status = 0;
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;  // body bytes sent (HEAD: 0)
  std::string error_code;            // first spec error code of the response, if any
  std::string fault;                 // the injected fault that shaped the answer, if any
};

// "manifest", "blob", "upload", "tags", ... for an endpoint.
[[nodiscard]] std::string_view EndpointName(oci::RegistryEndpoint endpoint);

class RequestLog {
 public:
  // Keeps at most `capacity` most recent entries (0: unlimited); older ones are counted only.
  explicit RequestLog(std::size_t capacity = 1'000'000) : capacity_(capacity) {}

  void Record(RequestLogEntry entry);
  void Clear();
  void set_enabled(bool enabled);

  [[nodiscard]] std::vector<RequestLogEntry> Entries() const;
  [[nodiscard]] std::size_t Count(const std::function<bool(const RequestLogEntry&)>& match) const;
  [[nodiscard]] std::uint64_t total() const;  // every request recorded, kept or not

  // One JSON object per line: {"time","client","identity","method","path","endpoint",
  // "repository","reference","status","request_bytes","response_bytes","error","fault"}.
  void WriteJsonLines(std::ostream& out) const;
  [[nodiscard]] static std::string ToJson(const RequestLogEntry& entry);

 private:
  mutable std::mutex mu_;
  std::size_t capacity_;
  bool enabled_ = true;
  std::vector<RequestLogEntry> entries_;  // ring when full
  std::size_t next_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace pullsim::registry
