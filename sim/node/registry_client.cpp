#include "sim/node/registry_client.h"

#include <set>

#include <nlohmann/json.hpp>

#include "sim/node/internal/registry_http.h"
#include "sim/node/kubelet_constants.h"
#include "sim/oci/digest.h"
#include "sim/oci/index.h"
#include "sim/oci/media_type.h"

namespace pullsim::node {
namespace {

using oci::HttpMethod;
using oci::RegistryEndpoint;
using namespace internal;

bool IsLoopback(std::string_view host) {
  const std::string_view name =
      host.starts_with('[') ? host.substr(0, host.find(']') + 1) : host.substr(0, host.find(':'));
  return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

std::string MediaTypeOf(const oci::RegistryResponse& response) {
  auto value = response.headers.Get("Content-Type");
  if (!value) return {};
  std::string_view type = value->substr(0, value->find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return std::string(type);
}

// containerd's content-store ref of a descriptor (remotes.MakeRefKey).
std::string RefKind(std::string_view media_type) {
  if (oci::media_type::IsIndex(media_type)) return "index";
  if (oci::media_type::IsManifest(media_type)) return "manifest";
  if (oci::media_type::IsImageConfig(media_type)) return "config";
  if (oci::media_type::IsLayer(media_type)) return "layer";
  return "unknown";
}

// containerd's content writer Commit checks: size first, then digest (both ErrFailedPrecondition).
// `digest_of_content` gives the content's digest; it is asked only once the size matches.
template <typename DigestOfContent>
Result<void> VerifyCommit(const oci::Descriptor& expected, std::uint64_t size,
                          DigestOfContent&& digest_of_content, std::string_view ref_kind) {
  const std::string ref = std::string(ref_kind) + "-" + expected.digest.str();
  const std::string prefix = "failed commit on ref " + GoQuote(ref) + ": ";
  if (expected.size >= 0 && static_cast<std::uint64_t>(expected.size) != size) {
    return Fail(ErrorCode::kFailedPrecondition,
                prefix + "unexpected commit size " + std::to_string(size) + ", expected " +
                    std::to_string(expected.size) + ": failed precondition");
  }
  const oci::Digest actual = digest_of_content();
  if (actual != expected.digest) {
    return Fail(ErrorCode::kFailedPrecondition,
                prefix + "unexpected commit digest " + actual.str() + ", expected " +
                    expected.digest.str() + ": failed precondition");
  }
  return {};
}

Result<void> VerifyCommit(const oci::Descriptor& expected, std::string_view bytes,
                          std::string_view ref_kind) {
  return VerifyCommit(
      expected, bytes.size(), [&] { return oci::Digest::Of(expected.digest.algorithm(), bytes); },
      ref_kind);
}

oci::RegistryRequest ManifestRequest(std::string repository, std::string reference) {
  oci::RegistryRequest request;
  request.method = HttpMethod::kGet;
  request.endpoint = RegistryEndpoint::kManifest;
  request.repository = std::move(repository);
  request.reference = std::move(reference);
  request.headers.Set("Accept", std::string(kManifestAccept));
  return request;
}

}  // namespace

std::string HttpStatusText(int status) {
  static const std::map<int, std::string_view> kTexts = {
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {206, "Partial Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {307, "Temporary Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {413, "Request Entity Too Large"},
      {416, "Requested Range Not Satisfiable"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  auto it = kTexts.find(status);
  // Go prints an unknown status as the bare number followed by a space.
  return std::to_string(status) + " " + (it == kTexts.end() ? "" : std::string(it->second));
}

RegistryClient::RegistryClient(oci::RegistryTransport& transport, std::string host,
                               const Clock& clock, RegistryClientOptions options)
    : transport_(transport), host_(std::move(host)), clock_(clock), options_(std::move(options)) {
  if (options_.scheme.empty()) options_.scheme = IsLoopback(host_) ? "http" : "https";
}

std::string RegistryClient::BaseUrl() const { return options_.scheme + "://" + host_; }

std::string RegistryClient::Url(const oci::RegistryRequest& request) const {
  if (!request.url.empty() && request.url.find("://") != std::string::npos) {
    std::string url = request.url;
    if (!request.query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&");
    url += oci::EncodeQuery(request.query);
    return url;
  }
  return BaseUrl() + oci::RequestTarget(request);
}

Result<oci::RegistryResponse> RegistryClient::Exchange(PullSession& session,
                                                       const oci::RegistryRequest& request,
                                                       std::string_view authorization,
                                                       std::string auth_label, std::string scope) {
  RegistryExchange exchange;
  exchange.method = std::string(oci::HttpMethodName(request.method));
  exchange.url = Url(request);
  exchange.auth = std::move(auth_label);
  exchange.scope = std::move(scope);
  ++session.round_trips;
  Result<oci::RegistryResponse> response = [&] {
    if (authorization.empty()) return transport_.RoundTrip(request);
    oci::RegistryRequest authorized = request;
    authorized.headers.Set("Authorization", std::string(authorization));
    return transport_.RoundTrip(authorized);
  }();
  if (!response) {
    exchange.error = response.error().message;
    std::string text =
        GoMethod(request.method) + " " + GoQuote(exchange.url) + ": " + response.error().message;
    session.exchanges.push_back(std::move(exchange));
    return Fail(ErrorCode::kUnavailable, std::move(text));
  }
  exchange.status = response->status;
  exchange.bytes = response->body.size();
  if (response->status == 401) exchange.challenge = ChallengeText(*response);
  session.bytes_received += response->body.size();
  session.exchanges.push_back(std::move(exchange));
  return response;
}

Result<void> RegistryClient::Ping(PullSession& session) {
  oci::RegistryRequest request;
  request.method = HttpMethod::kGet;
  request.endpoint = RegistryEndpoint::kPing;
  Result<oci::RegistryResponse> response = Exchange(session, request, {}, {}, {});
  if (!response) {
    return std::unexpected(StageError(session, Stage::kResolve, ErrorCode::kUnavailable,
                                      "failed to do request: " + response.error().message));
  }
  if (response->status == 401) session.challenge = SupportedChallenge(*response);
  if (response->status >= 500) {
    return std::unexpected(StatusError(session, Stage::kResolve, request, *response));
  }
  return {};
}

Error RegistryClient::StageError(const PullSession& session, Stage stage, ErrorCode code,
                                 std::string_view detail) const {
  std::string text;
  if (stage == Stage::kResolve) {
    text = "failed to resolve reference " + GoQuote(session.reference) + ": ";
    // containerd's resolver words every refused authorization the same way.
    if (detail.starts_with("server message: ") || detail.starts_with(kAuthorizationFailed)) {
      text += kPullAccessDenied;
    }
  } else {
    text = "failed to copy: httpReadSeeker: failed open: ";
  }
  text += detail;
  return Error{code, std::move(text), {}};
}

Error RegistryClient::StatusError(const PullSession& session, Stage stage,
                                  const oci::RegistryRequest& request,
                                  const oci::RegistryResponse& response) const {
  const std::string url = Url(request);
  const ErrorCode code = CodeForStatus(response.status);
  if (stage == Stage::kResolve) {
    if (response.status == 404) {
      return Error{code,
                   "failed to resolve reference " + GoQuote(session.reference) + ": " +
                       session.reference + ": not found",
                   {}};
    }
    return StageError(session, stage, code,
                      "unexpected status from " + std::string(oci::HttpMethodName(request.method)) +
                          " request to " + url + ": " + HttpStatusText(response.status));
  }
  if (response.status == 404) {
    return StageError(session, stage, code, "content at " + url + " not found: not found");
  }
  return StageError(session, stage, code,
                    "unexpected status code " + url + ": " + HttpStatusText(response.status));
}

Result<oci::SharedBytes> RegistryClient::Fetch(PullSession& session,
                                               const oci::RegistryRequest& request,
                                               const oci::Descriptor& descriptor,
                                               std::string_view ref_kind) {
  Result<oci::RegistryResponse> response = Send(session, request, Stage::kFetch);
  if (!response) return std::unexpected(response.error());
  if (!response->ok())
    return std::unexpected(StatusError(session, Stage::kFetch, request, *response));
  if (Result<void> verified = VerifyCommit(descriptor, response->body.view(), ref_kind);
      !verified) {
    return std::unexpected(verified.error());
  }
  return std::move(response->body);
}

Result<std::uint64_t> RegistryClient::FetchStreamed(PullSession& session,
                                                    oci::RegistryRequest request,
                                                    const oci::Descriptor& descriptor,
                                                    std::string_view ref_kind) {
  // Hashed as it arrives, as containerd's content writer does; nothing is kept.
  oci::Digester digester(descriptor.digest.algorithm());
  request.body_sink = [&digester](std::string_view piece) {
    digester.Update(piece);
    return true;
  };
  Result<oci::RegistryResponse> response = Send(session, request, Stage::kFetch);
  if (!response) return std::unexpected(response.error());
  if (!response->ok())
    return std::unexpected(StatusError(session, Stage::kFetch, request, *response));
  if (response->streamed_bytes == 0) {
    // The transport held the bytes already (in process): verify them where they are.
    if (Result<void> verified = VerifyCommit(descriptor, response->body.view(), ref_kind);
        !verified) {
      return std::unexpected(verified.error());
    }
    return response->body.size();
  }
  session.bytes_received += response->streamed_bytes;
  if (!session.exchanges.empty()) session.exchanges.back().bytes = response->streamed_bytes;
  if (Result<void> verified = VerifyCommit(
          descriptor, response->streamed_bytes, [&] { return digester.Finish(); }, ref_kind);
      !verified) {
    return std::unexpected(verified.error());
  }
  return response->streamed_bytes;
}

Result<PulledContent> RegistryClient::Pull(PullSession& session, std::string_view reference,
                                           const oci::PlatformMatcher& matcher,
                                           const std::function<bool(std::string_view)>& has_blob) {
  // The ping only teaches the client the registry's scheme; a failed ping is not a failed pull
  // (containerd does not ping at all): the manifest request reports what is wrong.
  (void)Ping(session);
  if (session.challenge && session.authorization.empty()) {
    const bool bearer = IsScheme(*session.challenge, "Bearer");
    if (bearer || session.credential != nullptr) {
      if (Result<void> authenticated = Authenticate(session, *session.challenge, true);
          !authenticated && bearer) {
        return std::unexpected(StageError(session, Stage::kResolve, authenticated.error().code,
                                          "failed to authorize: " + authenticated.error().message));
      }
    }
  }

  // Resolve: the tag or digest to a document.
  const oci::RegistryRequest root_request =
      ManifestRequest(session.repository, std::string(reference));
  Result<oci::RegistryResponse> root = Send(session, root_request, Stage::kResolve);
  if (!root) return std::unexpected(root.error());
  if (!root->ok())
    return std::unexpected(StatusError(session, Stage::kResolve, root_request, *root));

  PulledContent pulled;
  const std::string_view root_bytes = root->body.view();
  std::string media_type = MediaTypeOf(*root);
  if (media_type.empty()) {
    // A registry that sends no Content-Type: the document's own mediaType says what it is.
    const nlohmann::json doc = nlohmann::json::parse(root_bytes, nullptr, false);
    if (doc.is_object() && doc.contains("mediaType") && doc["mediaType"].is_string()) {
      media_type = doc["mediaType"].get<std::string>();
    }
  }
  pulled.root.media_type = media_type;
  pulled.root.size = static_cast<std::int64_t>(root_bytes.size());
  // The digest the registry vouches for (the reference itself, or Docker-Content-Digest) must
  // be the digest of the bytes; without either, the bytes define it.
  std::optional<oci::Digest> vouched;
  if (Result<oci::Digest> by_digest = oci::Digest::Parse(reference); by_digest) {
    vouched = *by_digest;
  } else if (auto header = root->headers.Get("Docker-Content-Digest")) {
    if (Result<oci::Digest> parsed = oci::Digest::Parse(*header); parsed) vouched = *parsed;
  }
  pulled.root.digest = vouched ? *vouched : oci::Digest::Sha256Of(root_bytes);
  if (Result<void> verified = VerifyCommit(pulled.root, root_bytes, RefKind(media_type));
      !verified) {
    return std::unexpected(verified.error());
  }

  std::string manifest_type = media_type;
  oci::SharedBytes manifest_bytes = root->body;
  if (oci::media_type::IsIndex(media_type)) {
    Result<oci::Index> index = oci::ParseIndex(root_bytes, media_type);
    if (!index) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "failed to unmarshal index " + pulled.root.digest.str() + ": " + index.error().message);
    }
    pulled.index = pulled.root;
    // ARCH-04/05/06: the node's platform picks one entry, or the pull fails.
    Result<std::size_t> chosen = oci::SelectManifest(index->manifests, matcher);
    if (!chosen) return Fail(ErrorCode::kNotFound, std::string(oci::kNoMatchForPlatform));
    const oci::Descriptor& entry = index->manifests[*chosen];
    pulled.platform = entry.platform;
    if (!oci::media_type::IsManifest(entry.media_type)) {
      return Fail(ErrorCode::kInvalidArgument, "index " + pulled.root.digest.str() + " chose " +
                                                   entry.digest.str() + " of media type " +
                                                   GoQuote(entry.media_type) +
                                                   ", which is not an image manifest");
    }
    Result<oci::SharedBytes> child =
        Fetch(session, ManifestRequest(session.repository, entry.digest.str()), entry, "manifest");
    if (!child) return std::unexpected(child.error());
    manifest_bytes = *std::move(child);
    manifest_type = entry.media_type;
    pulled.manifest_descriptor = entry;
  } else if (oci::media_type::IsManifest(media_type)) {
    pulled.manifest_descriptor = pulled.root;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "media type " + GoQuote(media_type) + " of " +
                                                 pulled.root.digest.str() +
                                                 " is neither an image manifest nor an index");
  }
  Result<oci::Manifest> manifest = oci::ParseManifest(manifest_bytes.view(), manifest_type);
  if (!manifest) {
    return Fail(ErrorCode::kInvalidArgument, "failed to unmarshal manifest " +
                                                 pulled.manifest_descriptor.digest.str() + ": " +
                                                 manifest.error().message);
  }
  pulled.manifest = *std::move(manifest);

  // The config and only the layers the node lacks, each once.
  auto blob_request = [&](const oci::Descriptor& descriptor) {
    oci::RegistryRequest request;
    request.method = HttpMethod::kGet;
    request.endpoint = RegistryEndpoint::kBlob;
    request.repository = session.repository;
    request.reference = descriptor.digest.str();
    return request;
  };
  const oci::Descriptor& config = pulled.manifest.config;
  if (!has_blob(config.digest.str())) {
    Result<oci::SharedBytes> bytes = Fetch(session, blob_request(config), config, "config");
    if (!bytes) return std::unexpected(bytes.error());
    pulled.blob_bytes += bytes->size();
    pulled.config = *std::move(bytes);
    pulled.config_fetched = true;
  }
  std::set<std::string, std::less<>> fetched;
  for (const oci::Descriptor& layer : pulled.manifest.layers) {
    PulledContent::Layer& out = pulled.layers.emplace_back();
    out.descriptor = layer;
    if (has_blob(layer.digest.str()) || fetched.contains(layer.digest.str())) continue;
    if (options_.keep_layer_bytes) {
      Result<oci::SharedBytes> bytes = Fetch(session, blob_request(layer), layer, "layer");
      if (!bytes) return std::unexpected(bytes.error());
      out.size = bytes->size();
      out.bytes = *std::move(bytes);
    } else {
      Result<std::uint64_t> size = FetchStreamed(session, blob_request(layer), layer, "layer");
      if (!size) return std::unexpected(size.error());
      out.size = *size;
    }
    pulled.blob_bytes += out.size;
    out.fetched = true;
    fetched.insert(layer.digest.str());
  }
  return pulled;
}

}  // namespace pullsim::node
