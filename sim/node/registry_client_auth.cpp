// The registry client's authentication: answering 401 challenges with Basic credentials or the
// Bearer token flow (the OAuth2 password form first, then GET with Basic, as containerd does),
// tokens cached per realm, service, scope and credential until they expire on the node's clock.
#include <chrono>

#include <nlohmann/json.hpp>

#include "sim/node/internal/registry_http.h"
#include "sim/node/registry_client.h"

namespace pullsim::node {
namespace {

using oci::HttpMethod;
using oci::RegistryEndpoint;
using namespace internal;

// Docker's token spec: a token without expires_in lives 60 seconds.
constexpr std::chrono::seconds kDefaultTokenLifetime{60};

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

}  // namespace

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

}  // namespace pullsim::node
