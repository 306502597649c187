#pragma once
// An ImageRuntime backed by registries (the contract is image_runtime.h's). PullImage reads the
// image as containerd's CRI does (REF-09), picks the transport of its registry host, pulls
// through a RegistryClient with exactly the credential it was given (CRED-13: never an
// anonymous retry of its own), stores what it fetched in the node's ImageStore (layers shared by
// digest; imageRef = the config digest), and reports a simulated duration. Every call is kept as
// a RuntimePull (exchanges, digests, platform, bytes) for explain and reports.
//
// Time: duration = round trips x round_trip_latency + bytes received / bytes_per_second, plus
// whatever the transport spent on `wire_clock`: a scenario that gives its registries a `wait`
// advancing that clock (fault latency, bandwidth caps) sees the registry's delays in the pull.
// The node's own clock is never advanced here; the image manager schedules completion.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/node/image_runtime.h"
#include "sim/node/image_store.h"
#include "sim/node/registry_client.h"
#include "sim/oci/platform.h"
#include "sim/oci/platform_matcher.h"

namespace pullsim::node {

// Registry host → transport, as the caller wires them: "registry.test", "127.0.0.1:5000", and
// "docker.io" for Docker Hub (also found as "registry-1.docker.io" or "index.docker.io"). The
// transports must outlive the runtime.
using RegistryTransports = std::map<std::string, oci::RegistryTransport*, std::less<>>;

struct RegistryRuntimeOptions {
  double bytes_per_second = 100.0 * 1024 * 1024;               // transfer of every response body
  Duration round_trip_latency = std::chrono::milliseconds{5};  // per request
  const Clock* wire_clock = nullptr;  // advanced by the transports' waits, if any
  // Keep layer bytes in the store (shared with the transport's buffers, never copied when the
  // transport hands out whole buffers); off keeps only digests and sizes.
  bool keep_layer_content = true;
  // 5xx answers and dropped connections are reported as "RegistryUnavailable: ..." so the
  // kubelet names them RegistryUnavailable (KUB-06); off, they stay ErrImagePull as containerd
  // itself reports them.
  bool registry_unavailable_prefix = true;
  oci::PlatformOptions platform_options;
  RegistryClientOptions client;
};

// One PullImage call, as explain and reports show it.
struct RuntimePull {
  std::string image;             // the CRI image string
  std::string reference;         // normalised: "registry.test/team/app:1.0"
  std::string host;              // the registry the transport reached
  std::string credential;        // PullCredential::Describe(), or "anonymous"
  ObjectReference requested_by;  // ImageSpec::requested_by: the pod and container
  Timestamp started{};           // the node's clock when the call was made
  bool ok = false;
  std::string error;  // the runtime's text when !ok
  std::vector<RegistryExchange> exchanges;
  std::string root_digest;           // what the tag or digest resolved to
  std::string index_digest;          // the index / manifest list, when there was one
  std::string manifest_digest;       // the manifest pulled
  std::string platform;              // the index entry chosen ("linux/arm64/v8"); "" without index
  std::string image_ref;             // the config digest
  std::uint64_t bytes_received = 0;  // every response body (documents, blobs, tokens)
  std::uint64_t blob_bytes = 0;      // config and layers fetched
  int layers_fetched = 0;
  int layers_present = 0;  // already on the node: not fetched
  Duration duration{};
};

class RegistryRuntime final : public ImageRuntime {
 public:
  // `store` and `clock` (which stamps token expiry) must outlive the runtime. `node_platform`
  // is normalised and expanded as containerd's platforms.Only does (ARCH-04).
  RegistryRuntime(ImageStore& store, const oci::Platform& node_platform,
                  RegistryTransports transports, const Clock& clock,
                  RegistryRuntimeOptions options = {});
  ~RegistryRuntime() override;

  [[nodiscard]] Result<std::string> GetImageRef(const ImageSpec& spec) override;
  // Errors: kInvalidArgument for an unparsable image; otherwise RegistryClient::Pull's codes,
  // the text prefixed as containerd's CRI sends it (`rpc error: code = NotFound desc = ...` for
  // NotFound and FailedPrecondition, bare for Unknown).
  [[nodiscard]] PullAttempt PullImage(const ImageSpec& spec,
                                      const PullCredential* credential) override;
  [[nodiscard]] Result<std::vector<RuntimeImage>> ListImages() override;

  [[nodiscard]] const std::vector<RuntimePull>& pulls() const { return pulls_; }
  void ClearPulls() { pulls_.clear(); }
  [[nodiscard]] std::uint64_t blob_bytes() const { return blob_bytes_; }
  [[nodiscard]] std::uint64_t bytes_received() const { return bytes_received_; }
  [[nodiscard]] const oci::PlatformMatcher& matcher() const { return matcher_; }
  // The client of a registry host, nullptr when no transport serves it.
  [[nodiscard]] RegistryClient* ClientFor(std::string_view domain);

 private:
  ImageStore& store_;
  oci::PlatformMatcher matcher_;
  RegistryTransports transports_;
  const Clock& clock_;
  RegistryRuntimeOptions options_;
  std::map<std::string, std::unique_ptr<RegistryClient>, std::less<>> clients_;
  std::vector<RuntimePull> pulls_;
  std::uint64_t blob_bytes_ = 0;
  std::uint64_t bytes_received_ = 0;
};

// The host a domain's requests go to: Docker Hub's "docker.io" is served by
// "registry-1.docker.io", as containerd resolves it; other domains are their own host.
[[nodiscard]] std::string RegistryHostOf(std::string_view domain);

}  // namespace pullsim::node
