#include "sim/node/registry_client.h"

#include <array>
#include <chrono>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/node/kubelet_constants.h"
#include "sim/oci/digest.h"
#include "sim/oci/index.h"
#include "sim/oci/media_type.h"

namespace pullsim::node {
namespace {

using oci::HttpMethod;
using oci::RegistryEndpoint;

constexpr std::string_view kPullAccessDenied =
    "pull access denied, repository does not exist or may require authorization: ";
// containerd's ErrInvalidAuthorization.
constexpr std::string_view kAuthorizationFailed = "authorization failed";
// Docker's token spec: a token without expires_in lives 60 seconds.
constexpr std::chrono::seconds kDefaultTokenLifetime{60};

std::string Base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) {
      n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    }
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Go's url.Error spells the method with one capital: `Get "https://...": EOF`.
std::string GoMethod(HttpMethod method) {
  std::string name(oci::HttpMethodName(method));
  for (std::size_t i = 1; i < name.size(); ++i) {
    name[i] = static_cast<char>(name[i] - 'A' + 'a');
  }
  return name;
}

bool IsLoopback(std::string_view host) {
  const std::string_view name =
      host.starts_with('[') ? host.substr(0, host.find(']') + 1) : host.substr(0, host.find(':'));
  return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

std::string Param(const oci::AuthChallenge& challenge, const std::string& name) {
  auto it = challenge.params.find(name);
  return it == challenge.params.end() ? std::string() : it->second;
}

bool IsScheme(const oci::AuthChallenge& challenge, std::string_view scheme) {
  return oci::EqualsIgnoreCase(challenge.scheme, scheme);
}

// The Bearer or Basic challenge of a 401 (Bearer preferred, as containerd takes the first it
// supports and registries that offer both list Bearer first).
std::optional<oci::AuthChallenge> SupportedChallenge(const oci::RegistryResponse& response) {
  std::optional<oci::AuthChallenge> basic;
  for (std::string_view value : response.headers.GetAll("WWW-Authenticate")) {
    Result<std::vector<oci::AuthChallenge>> parsed = oci::ParseAuthChallenges(value);
    if (!parsed) continue;
    for (oci::AuthChallenge& challenge : *parsed) {
      if (IsScheme(challenge, "Bearer")) return std::move(challenge);
      if (IsScheme(challenge, "Basic") && !basic) basic = std::move(challenge);
    }
  }
  return basic;
}

std::string ChallengeText(const oci::RegistryResponse& response) {
  auto value = response.headers.Get("WWW-Authenticate");
  return value ? std::string(*value) : std::string();
}

bool HasSecret(const PullCredential* credential) {
  return credential != nullptr &&
         (!credential->password.empty() || !credential->identity_token.empty());
}

// What identifies a credential in the token cache: a token fetched with one secret must not be
// handed to a pull made with another.
std::string CredentialKey(const PullCredential* credential) {
  if (credential == nullptr) return "anonymous";
  return credential->username + '\n' + credential->password + '\n' + credential->identity_token;
}

ErrorCode CodeForStatus(int status) {
  if (status == 401) return ErrorCode::kUnauthenticated;
  if (status == 403) return ErrorCode::kPermissionDenied;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 429) return ErrorCode::kResourceExhausted;
  if (status >= 500) return ErrorCode::kUnavailable;
  return ErrorCode::kInvalidArgument;
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
Result<void> VerifyCommit(const oci::Descriptor& expected, std::string_view bytes,
                          std::string_view ref_kind) {
  const std::string ref = std::string(ref_kind) + "-" + expected.digest.str();
  const std::string prefix = "failed commit on ref " + GoQuote(ref) + ": ";
  if (expected.size >= 0 && static_cast<std::uint64_t>(expected.size) != bytes.size()) {
    return Fail(ErrorCode::kFailedPrecondition,
                prefix + "unexpected commit size " + std::to_string(bytes.size()) + ", expected " +
                    std::to_string(expected.size) + ": failed precondition");
  }
  const oci::Digest actual = oci::Digest::Of(expected.digest.algorithm(), bytes);
  if (actual != expected.digest) {
    return Fail(ErrorCode::kFailedPrecondition,
                prefix + "unexpected commit digest " + actual.str() + ", expected " +
                    expected.digest.str() + ": failed precondition");
  }
  return {};
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

Result<std::string> RegistryClient::FetchToken(PullSession& session,
                                               const oci::AuthChallenge& challenge,
                                               bool use_cache) {
  const std::string realm = Param(challenge, "realm");
  const std::string service = Param(challenge, "service");
  const std::string scope = "repository:" + session.repository + ":pull";
  const PullCredential* credential = session.credential;
  const std::string key = realm + '\n' + service + '\n' + scope + '\n' + CredentialKey(credential);
  const Timestamp now = clock_.Now();
  if (use_cache) {
    if (auto cached = tokens_.find(key); cached != tokens_.end() && now < cached->second.expires) {
      ++tokens_reused_;
      session.token_from_cache = true;
      return cached->second.value;
    }
  }
  session.token_from_cache = false;
  ++tokens_fetched_;
  if (realm.empty()) {
    return Fail(ErrorCode::kUnauthenticated, "no realm specified for token auth challenge");
  }

  const bool with_secret = HasSecret(credential);
  const std::string what =
      with_secret ? "failed to fetch oauth token: " : "failed to fetch anonymous token: ";
  oci::QueryParameters params = {{"scope", scope}, {"service", service}};
  std::optional<oci::RegistryResponse> answer;
  if (with_secret) {
    // containerd offers the secret as an OAuth2 form first (POST), and falls back to GET with
    // Basic credentials when the endpoint answers 400, 401, 404 or (with a user) 405.
    oci::QueryParameters form = {
        {"scope", scope}, {"service", service}, {"client_id", "containerd-client"}};
    if (credential->username.empty()) {
      form.emplace_back("grant_type", "refresh_token");
      form.emplace_back("refresh_token", credential->identity_token);
    } else {
      form.emplace_back("grant_type", "password");
      form.emplace_back("username", credential->username);
      form.emplace_back("password", credential->password);
    }
    oci::RegistryRequest post;
    post.method = HttpMethod::kPost;
    post.endpoint = RegistryEndpoint::kToken;
    post.url = realm;
    post.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    post.body = oci::SharedBytes(oci::EncodeQuery(form));
    Result<oci::RegistryResponse> posted =
        Exchange(session, post, {}, "form " + credential->username, scope);
    if (!posted) return Fail(ErrorCode::kUnavailable, what + posted.error().message);
    const int status = posted->status;
    if (posted->ok()) {
      answer = *std::move(posted);
    } else if (!(status == 400 || status == 401 || status == 404 ||
                 (status == 405 && !credential->username.empty()))) {
      return Fail(CodeForStatus(status), what + "unexpected status from POST request to " +
                                             Url(post) + ": " + HttpStatusText(status));
    }
  }
  if (!answer) {
    oci::RegistryRequest get;
    get.method = HttpMethod::kGet;
    get.endpoint = RegistryEndpoint::kToken;
    get.url = realm;
    get.query = params;
    std::string authorization;
    std::string label;
    if (credential != nullptr && !credential->username.empty() && with_secret) {
      authorization = "Basic " + Base64(credential->username + ":" + credential->password);
      label = "basic " + credential->username;
    }
    Result<oci::RegistryResponse> got = Exchange(session, get, authorization, label, scope);
    if (!got) return Fail(ErrorCode::kUnavailable, what + got.error().message);
    if (!got->ok()) {
      return Fail(CodeForStatus(got->status), what + "unexpected status from GET request to " +
                                                  Url(get) + ": " + HttpStatusText(got->status));
    }
    answer = *std::move(got);
  }

  const nlohmann::json body = nlohmann::json::parse(answer->body.view(), nullptr, false);
  std::string token;
  std::chrono::seconds lifetime = kDefaultTokenLifetime;
  if (body.is_object()) {
    for (const char* field : {"access_token", "token"}) {
      if (auto it = body.find(field); it != body.end() && it->is_string() && token.empty()) {
        token = it->get<std::string>();
      }
    }
    if (auto it = body.find("expires_in"); it != body.end() && it->is_number_integer()) {
      if (const auto seconds = it->get<std::int64_t>(); seconds > 0) {
        lifetime = std::chrono::seconds(seconds);
      }
    }
  }
  if (token.empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                what + "token response from " + realm + " has no token or access_token");
  }
  tokens_[key] = CachedToken{token, now + lifetime};
  return token;
}

Result<void> RegistryClient::Authenticate(PullSession& session, const oci::AuthChallenge& challenge,
                                          bool use_cache) {
  session.challenge = challenge;
  if (IsScheme(challenge, "Basic")) {
    const PullCredential* credential = session.credential;
    if (credential == nullptr || credential->username.empty() || credential->password.empty()) {
      return Fail(ErrorCode::kUnauthenticated,
                  std::string(kAuthorizationFailed) + ": no basic auth credentials");
    }
    session.authorization = "Basic " + Base64(credential->username + ":" + credential->password);
    session.auth_label = "basic " + credential->username;
    session.token_from_cache = false;
    return {};
  }
  Result<std::string> token = FetchToken(session, challenge, use_cache);
  if (!token) return std::unexpected(token.error());
  session.authorization = "Bearer " + *token;
  session.auth_label = "bearer";
  return {};
}

Result<oci::RegistryResponse> RegistryClient::Send(PullSession& session,
                                                   const oci::RegistryRequest& request,
                                                   Stage stage) {
  Result<oci::RegistryResponse> response =
      Exchange(session, request, session.authorization, session.auth_label, {});
  if (!response) {
    return std::unexpected(StageError(session, stage, ErrorCode::kUnavailable,
                                      "failed to do request: " + response.error().message));
  }
  // Each turn either returns or authenticates afresh: Basic once; Bearer with a cached token,
  // then with a fresh one. So at most three turns.
  for (int turn = 0; response->status == 401 && turn < 3; ++turn) {
    std::optional<oci::AuthChallenge> challenge = SupportedChallenge(*response);
    if (!challenge) return response;  // the caller reports the 401 as an unexpected status
    const bool sent = !session.authorization.empty();
    const std::string error = Param(*challenge, "error");
    if (IsScheme(*challenge, "Basic") && sent) return response;
    if (IsScheme(*challenge, "Bearer") && sent && !session.token_from_cache) {
      // A token fetched for this very request was refused: containerd's invalidAuthorization.
      if (error.empty()) return response;
      return std::unexpected(
          StageError(session, stage, ErrorCode::kUnauthenticated,
                     "server message: " + error + ": " + std::string(kAuthorizationFailed)));
    }
    // First challenge, or a cached token the registry no longer takes: authenticate afresh.
    if (Result<void> authenticated = Authenticate(session, *challenge, /*use_cache=*/!sent);
        !authenticated) {
      const bool denied = authenticated.error().message.starts_with(kAuthorizationFailed);
      return std::unexpected(
          StageError(session, stage, authenticated.error().code,
                     denied ? authenticated.error().message
                            : "failed to authorize: " + authenticated.error().message));
    }
    response = Exchange(session, request, session.authorization, session.auth_label, {});
    if (!response) {
      return std::unexpected(StageError(session, stage, ErrorCode::kUnavailable,
                                        "failed to do request: " + response.error().message));
    }
  }
  return response;
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
    Result<oci::SharedBytes> bytes = Fetch(session, blob_request(layer), layer, "layer");
    if (!bytes) return std::unexpected(bytes.error());
    pulled.blob_bytes += bytes->size();
    out.bytes = *std::move(bytes);
    out.fetched = true;
    fetched.insert(layer.digest.str());
  }
  return pulled;
}

}  // namespace pullsim::node
