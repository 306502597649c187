#pragma once
// The fake OCI registry: the Distribution API (distribution-spec v1.1) over a ContentStore, with
// authentication and per-repository access (auth.h), a pull rate limit (rate_limit.h), injected
// faults (faults.h) and a request log (request_log.h). Serve() is the one entry point both fronts
// call: InProcessTransport with plain calls, HttpFront from cpp-httplib's threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/digest.h"
#include "sim/oci/registry_transport.h"
#include "sim/registry/auth.h"
#include "sim/registry/content_store.h"
#include "sim/registry/faults.h"
#include "sim/registry/rate_limit.h"
#include "sim/registry/request_log.h"
#include "sim/registry/route.h"

namespace pullsim::registry {

struct RegistryOptions {
  AuthOptions auth;
  std::vector<RateLimitRule> rate_limits;
  std::vector<Fault> faults;
  bool delete_enabled = true;
  std::size_t max_manifest_bytes = 4 << 20;  // distribution's limit
  std::size_t request_log_capacity = 1'000'000;
  // Spends simulated time: fault latency and bandwidth caps. The HTTP front sleeps; scenarios
  // advance their VirtualClock. Unset: the time is only recorded, nobody waits.
  std::function<void(Duration)> wait;
};

// A request as a front received it.
struct ServerRequest {
  std::string method;  // as sent ("GET", "PURGE"...)
  std::string target;  // path and query as sent, percent-encoded
  oci::HttpHeaders headers;
  oci::SharedBytes body;
  std::string client;    // "127.0.0.1:40312", "in-process"
  std::string base_url;  // "http://127.0.0.1:5000": the token realm and absolute URLs use it
};

// The answer plus what the front must do on the wire.
struct ServedResponse {
  oci::RegistryResponse response;  // for HEAD: headers of the GET (Content-Length), no body
  std::optional<std::uint64_t> drop_after;  // close the connection after this many body bytes
  std::uint64_t bandwidth = 0;              // cap the body at this many bytes per second
};

class Registry {
 public:
  explicit Registry(const Clock& clock, RegistryOptions options = {});

  [[nodiscard]] ServedResponse Serve(const ServerRequest& request);

  // Loading content without HTTP (REGISTRY.yaml images, tests). kInvalidArgument for a manifest
  // the API would refuse (MANIFEST_INVALID / MANIFEST_BLOB_UNKNOWN), naming the reason.
  [[nodiscard]] oci::Digest PutBlob(std::string_view repository, oci::SharedBytes bytes);
  [[nodiscard]] Result<oci::Digest> PutManifest(std::string_view repository, oci::SharedBytes bytes,
                                                std::string_view media_type,
                                                std::string_view tag = {});

  [[nodiscard]] ContentStore& store() { return store_; }
  [[nodiscard]] RequestLog& log() { return log_; }
  [[nodiscard]] Authenticator& authenticator() { return auth_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] const RegistryOptions& options() const { return options_; }
  // Spends `d` through options().wait (no-op when unset or zero).
  void Wait(Duration d) const;

 private:
  struct Context;  // one request being served

  oci::RegistryResponse Dispatch(Context& context);
  oci::RegistryResponse Ping(Context& context);
  oci::RegistryResponse Token(Context& context);
  oci::RegistryResponse GetManifest(Context& context);
  oci::RegistryResponse PutManifestRequest(Context& context);
  oci::RegistryResponse DeleteManifest(Context& context);
  oci::RegistryResponse GetBlob(Context& context);
  oci::RegistryResponse DeleteBlob(Context& context);
  oci::RegistryResponse StartUpload(Context& context);
  oci::RegistryResponse UploadStatus(Context& context);
  oci::RegistryResponse PatchUpload(Context& context);
  oci::RegistryResponse FinishUpload(Context& context);
  oci::RegistryResponse CancelUpload(Context& context);
  oci::RegistryResponse Tags(Context& context);
  oci::RegistryResponse Referrers(Context& context);
  oci::RegistryResponse Catalog(Context& context);
  // Checks `needed` for the request; fills the context's identity; the denial when refused.
  std::optional<oci::RegistryResponse> Authorize(Context& context, std::vector<Scope> needed);
  // Validates and stores a pushed manifest (PUT and PutManifest share it).
  std::variant<StoredManifest, oci::RegistryResponse> AcceptManifest(std::string_view repository,
                                                                     oci::SharedBytes bytes,
                                                                     std::string_view content_type,
                                                                     std::string_view reference);

  const Clock& clock_;
  RegistryOptions options_;
  ContentStore store_;
  Authenticator auth_;
  RateLimiter rate_limiter_;
  FaultInjector faults_;
  RequestLog log_;
};

}  // namespace pullsim::registry
