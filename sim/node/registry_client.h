#pragma once
// The node's registry client: the Distribution API spoken through one oci::RegistryTransport to
// one registry host, the way containerd's resolver and fetcher speak it. A pull pings /v2/,
// answers a 401 with Basic credentials or the Bearer token flow (tokens cached until they expire
// on the node's clock), GETs the manifest by tag or digest with containerd's Accept list, narrows
// an index to the node's platform (ARCH-04..06), then GETs the config and only the layers the
// node lacks, checking every size and digest against its descriptor. Failures carry containerd's
// texts (spec KUB-06) so the runtime can hand them to the kubelet as a CRI runtime would.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/pull_credentials.h"
#include "sim/oci/descriptor.h"
#include "sim/oci/manifest.h"
#include "sim/oci/platform_matcher.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::node {

// containerd's resolver Accept header: both manifest kinds and both index kinds, then anything.
inline constexpr std::string_view kManifestAccept =
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, */*";

// One request and what came back, for explain and reports.
struct RegistryExchange {
  std::string method;     // "GET", "POST"
  std::string url;        // "https://registry.test/v2/team/app/manifests/1.0"
  int status = 0;         // 0: no response (see `error`)
  std::string auth;       // what the request carried: "", "basic <user>", "bearer"
  std::string challenge;  // the WWW-Authenticate of a 401
  std::string scope;      // the scope a token request asked for
  std::uint64_t bytes = 0;
  std::string error;  // the transport's failure
};

// One pull through a client: the credential it offers (nullptr = anonymous) and what it did.
struct PullSession {
  // Normalised reference as containerd prints it in errors: "registry.test/team/app:1.0".
  std::string reference;
  std::string repository;  // path on the registry: "team/app"
  const PullCredential* credential = nullptr;
  std::vector<RegistryExchange> exchanges;
  std::uint64_t bytes_received = 0;  // every response body: manifests, blobs, tokens
  int round_trips = 0;

  // Authentication state, kept by the client.
  std::optional<oci::AuthChallenge> challenge;  // from the ping or a 401
  std::string authorization;                    // the Authorization value in use
  std::string auth_label;                       // "basic <user>", "bearer"
  bool token_from_cache = false;
};

// What a pull brought onto the node: the documents, and the blobs (only what was missing).
struct PulledContent {
  oci::Descriptor root;                   // what the tag or digest named: index or manifest
  std::optional<oci::Descriptor> index;   // set when the root was an index / manifest list
  std::optional<oci::Platform> platform;  // the chosen entry's platform
  oci::Descriptor manifest_descriptor;
  oci::Manifest manifest;
  oci::SharedBytes config;  // empty when the node already had it (config_fetched false)
  bool config_fetched = false;
  struct Layer {
    oci::Descriptor descriptor;
    oci::SharedBytes bytes;  // empty when the node already had it, or was not to keep it
    std::uint64_t size = 0;  // bytes fetched and verified
    bool fetched = false;
  };
  std::vector<Layer> layers;
  std::uint64_t blob_bytes = 0;  // config and layer bytes fetched
};

struct RegistryClientOptions {
  // URL scheme printed in messages and token realms: empty means http for loopback hosts
  // (localhost, 127.0.0.1, [::1]) and https elsewhere, as containerd defaults.
  std::string scheme;
  // Off: layers are hashed as they arrive and not kept (PulledContent::Layer::bytes stays
  // empty), so an HTTP pull never holds a whole layer in memory.
  bool keep_layer_bytes = true;
};

class RegistryClient {
 public:
  // `host` is the registry's authority ("registry.test", "127.0.0.1:5000", "docker.io"). The
  // transport and clock must outlive the client. Tokens are cached per client.
  RegistryClient(oci::RegistryTransport& transport, std::string host, const Clock& clock,
                 RegistryClientOptions options = {});

  // Pulls `reference` (a tag or "sha256:..." of session.repository) for a node whose platforms
  // `matcher` accepts, fetching the config and the layers `has_blob` says are missing.
  // Errors carry containerd's text after `failed to pull and unpack image "<ref>": `:
  //   kNotFound          "failed to resolve reference ...: <ref>: not found", a missing blob,
  //                      "no match for platform in manifest: not found" (ARCH-06)
  //   kUnauthenticated   "...pull access denied, repository does not exist or may require
  //                      authorization: ...", or a token that could not be fetched
  //   kPermissionDenied  403; kResourceExhausted 429
  //   kUnavailable       5xx or no answer (dropped connection, unknown host)
  //   kFailedPrecondition a size or digest that does not match its descriptor (nothing kept)
  //   kInvalidArgument   a manifest or index that does not parse, or of an unknown media type
  [[nodiscard]] Result<PulledContent> Pull(PullSession& session, std::string_view reference,
                                           const oci::PlatformMatcher& matcher,
                                           const std::function<bool(std::string_view)>& has_blob);

  // GET /v2/: learns how the registry wants clients to authenticate (session.challenge).
  // kUnavailable when no answer came or the registry answered 5xx.
  [[nodiscard]] Result<void> Ping(PullSession& session);

  [[nodiscard]] const std::string& host() const { return host_; }
  // "https://registry.test"
  [[nodiscard]] std::string BaseUrl() const;
  // Token requests answered from the cache / sent to a token realm, over the client's life.
  [[nodiscard]] std::uint64_t tokens_reused() const { return tokens_reused_; }
  [[nodiscard]] std::uint64_t tokens_fetched() const { return tokens_fetched_; }

 private:
  struct CachedToken {
    std::string value;
    Timestamp expires{};
  };
  // Where a failure happened, which decides containerd's wording: resolving the tag (the
  // resolver's "failed to resolve reference") or fetching content by digest (the fetcher).
  enum class Stage { kResolve, kFetch };

  // One round trip, recorded in the session; `authorization` is sent as is ("" = none).
  // kUnavailable `Get "<url>": <transport error>` when no answer came.
  Result<oci::RegistryResponse> Exchange(PullSession& session, const oci::RegistryRequest& request,
                                         std::string_view authorization, std::string auth_label,
                                         std::string scope);
  // A registry request with the session's authentication, answering one 401 challenge. Transport
  // and authentication failures come back as errors worded for `stage`; any other answer,
  // successful or not, as the response.
  Result<oci::RegistryResponse> Send(PullSession& session, const oci::RegistryRequest& request,
                                     Stage stage);
  // Sets session.authorization for `challenge`: Basic with the credential, or a Bearer token.
  Result<void> Authenticate(PullSession& session, const oci::AuthChallenge& challenge,
                            bool use_cache);
  Result<std::string> FetchToken(PullSession& session, const oci::AuthChallenge& challenge,
                                 bool use_cache);
  // GETs a manifest or blob named by `descriptor` and checks its size and digest.
  Result<oci::SharedBytes> Fetch(PullSession& session, const oci::RegistryRequest& request,
                                 const oci::Descriptor& descriptor, std::string_view ref_kind);
  // The same checks over a body streamed through a Digester; returns its size, keeps nothing.
  Result<std::uint64_t> FetchStreamed(PullSession& session, oci::RegistryRequest request,
                                      const oci::Descriptor& descriptor, std::string_view ref_kind);
  Error StageError(const PullSession& session, Stage stage, ErrorCode code,
                   std::string_view detail) const;
  Error StatusError(const PullSession& session, Stage stage, const oci::RegistryRequest& request,
                    const oci::RegistryResponse& response) const;
  std::string Url(const oci::RegistryRequest& request) const;

  oci::RegistryTransport& transport_;
  std::string host_;
  const Clock& clock_;
  RegistryClientOptions options_;
  std::map<std::string, CachedToken, std::less<>> tokens_;  // realm, service, scope, identity
  std::uint64_t tokens_reused_ = 0;
  std::uint64_t tokens_fetched_ = 0;
};

// Go's net/http status line text: "401 Unauthorized", "503 Service Unavailable".
[[nodiscard]] std::string HttpStatusText(int status);

}  // namespace pullsim::node
