#include "sim/registry/auth.h"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sim/registry/errors.h"
#include "sim/registry/internal/base64.h"

namespace pullsim::registry {

std::string_view AuthModeName(AuthMode mode) {
  switch (mode) {
    case AuthMode::kNone:
      return "none";
    case AuthMode::kBasic:
      return "basic";
    case AuthMode::kToken:
      return "token";
  }
  return "none";
}

std::string Scope::ToString() const {
  std::string out = type + ":" + name + ":";
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += actions[i];
  }
  return out;
}

Result<Scope> ParseScope(std::string_view text) {
  const std::size_t first = text.find(':');
  const std::size_t last = text.rfind(':');
  if (first == std::string_view::npos || first == last) {
    return Fail(ErrorCode::kInvalidArgument,
                "scope \"" + std::string(text) +
                    "\": expected type:name:actions, e.g. repository:team/app:pull,push");
  }
  Scope scope;
  scope.type = std::string(text.substr(0, first));
  scope.name = std::string(text.substr(first + 1, last - first - 1));
  std::string_view actions = text.substr(last + 1);
  while (!actions.empty()) {
    const std::size_t comma = actions.find(',');
    std::string_view action = actions.substr(0, comma);
    if (!action.empty()) scope.actions.emplace_back(action);
    if (comma == std::string_view::npos) break;
    actions.remove_prefix(comma + 1);
  }
  if (scope.type.empty() || scope.name.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "scope \"" + std::string(text) + "\": empty type or name");
  }
  return scope;
}

namespace {

// The first Authorization field. Every authenticated request looks it up, so the spelling
// clients send is matched exactly before the name is compared ignoring case.
std::optional<std::string_view> AuthorizationValue(const oci::HttpHeaders& headers) {
  static constexpr std::string_view kName = "Authorization";
  for (const oci::HttpHeader& header : headers.entries()) {
    if (header.name.size() == kName.size() &&
        (header.name == kName || oci::EqualsIgnoreCase(header.name, kName))) {
      return std::string_view(header.value);
    }
  }
  return std::nullopt;
}

// "Basic xyz" / "bearer xyz": the scheme compared case-insensitively.
std::optional<std::string_view> Credential(const oci::HttpHeaders& headers,
                                           std::string_view scheme) {
  auto value = AuthorizationValue(headers);
  if (!value) return std::nullopt;
  std::string_view v = *value;
  if (v.size() <= scheme.size() || v[scheme.size()] != ' ' ||
      !(v.starts_with(scheme) || oci::EqualsIgnoreCase(v.substr(0, scheme.size()), scheme))) {
    return std::nullopt;
  }
  v.remove_prefix(scheme.size() + 1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return v;
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xF]);
  }
  return out;
}

std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// distribution's detail for UNAUTHORIZED/DENIED: the access records that were refused.
std::string AccessDetail(const std::vector<Scope>& needed) {
  nlohmann::json detail = nlohmann::json::array();
  for (const Scope& scope : needed) {
    for (const std::string& action : scope.actions) {
      detail.push_back(
          {{"Type", scope.type}, {"Class", ""}, {"Name", scope.name}, {"Action", action}});
    }
  }
  return detail.empty() ? std::string() : detail.dump();
}

constexpr std::size_t kMaxCachedCredentials = 4096;
constexpr std::size_t kTokenMacBytes = 16;

}  // namespace

Authenticator::Authenticator(const Clock& clock, AuthOptions options)
    : clock_(clock), options_(std::move(options)) {
  if (options_.policy) {
    policy_ = *options_.policy;
  } else {
    policy_ = AccessPolicy::AllowAll(options_.mode == AuthMode::kNone ? "*" : "authenticated");
  }
}

std::uint64_t Authenticator::credential_checks() const {
  std::shared_lock lock(mu_);
  return credential_checks_;
}

Authenticator::Credentials Authenticator::CheckUserPassword(std::string_view user,
                                                            std::string_view password) {
  Credentials out;
  out.present = true;
  {
    std::lock_guard lock(mu_);
    ++credential_checks_;
  }
  for (const User& candidate : options_.users) {
    if (candidate.name == user) {
      out.valid = PasswordMatches(candidate, password);
      if (out.valid) out.user = candidate.name;
      break;
    }
  }
  return out;
}

Authenticator::Credentials Authenticator::CheckBasic(const oci::HttpHeaders& headers) {
  Credentials out;
  auto encoded = Credential(headers, "Basic");
  if (!encoded) {
    out.present = headers.Has("Authorization");
    return out;
  }
  {
    std::shared_lock lock(mu_);
    if (auto it = checked_.find(*encoded); it != checked_.end()) return it->second;
  }
  auto decoded = internal::Base64Decode(*encoded);
  if (!decoded || decoded->find(':') == std::string::npos) {
    out.present = true;
  } else {
    const std::size_t colon = decoded->find(':');
    out = CheckUserPassword(std::string_view(*decoded).substr(0, colon),
                            std::string_view(*decoded).substr(colon + 1));
  }
  std::lock_guard lock(mu_);
  if (checked_.size() >= kMaxCachedCredentials) checked_.clear();
  checked_.emplace(std::string(*encoded), out);
  return out;
}

bool Authenticator::Grants(const std::string& user, const Scope& scope) const {
  if (scope.type == "registry") {
    // The catalog: any authenticated user, or anyone when the registry has no auth.
    return options_.mode == AuthMode::kNone || !user.empty();
  }
  if (scope.type != "repository") return false;
  for (const std::string& name : scope.actions) {
    auto action = ParseAction(name);
    if (!action || !policy_.Allows(user, scope.name, *action)) return false;
  }
  return true;
}

Scope Authenticator::Granted(const std::string& user, const Scope& asked) const {
  Scope granted{asked.type, asked.name, {}};
  for (const std::string& action : asked.actions) {
    Scope one{asked.type, asked.name, {action}};
    if (action == "*" && asked.type == "repository") {
      // "*" asks for everything the user may do.
      for (Action a : {Action::kPull, Action::kPush, Action::kDelete}) {
        if (policy_.Allows(user, asked.name, a)) granted.actions.emplace_back(ActionName(a));
      }
      continue;
    }
    if (Grants(user, one)) granted.actions.push_back(action);
  }
  return granted;
}

oci::RegistryResponse Authenticator::Challenge(const std::vector<Scope>& needed,
                                               std::string_view base_url,
                                               std::string_view error) const {
  oci::RegistryResponse response =
      ErrorResponse(SpecError::kUnauthorized, {}, AccessDetail(needed));
  if (options_.mode == AuthMode::kBasic) {
    response.headers.Set("WWW-Authenticate", "Basic realm=" + Quote(options_.realm));
    return response;
  }
  std::string realm = options_.token_realm;
  if (realm.empty()) realm = std::string(base_url) + "/token";
  std::string challenge = "Bearer realm=" + Quote(realm) + ",service=" + Quote(options_.service);
  if (!needed.empty()) {
    std::string scopes;
    for (const Scope& scope : needed) {
      if (!scopes.empty()) scopes.push_back(' ');
      scopes += scope.ToString();
    }
    challenge += ",scope=" + Quote(scopes);
  }
  if (!error.empty()) challenge += ",error=" + Quote(error);
  response.headers.Set("WWW-Authenticate", challenge);
  return response;
}

oci::RegistryResponse Authenticator::Denied(const std::vector<Scope>& needed) const {
  return ErrorResponse(SpecError::kDenied, {}, AccessDetail(needed));
}

std::string Authenticator::IdentityOf(const oci::HttpHeaders& headers) {
  if (options_.mode == AuthMode::kBasic) {
    Credentials credentials = CheckBasic(headers);
    return credentials.valid ? credentials.user : std::string();
  }
  if (options_.mode == AuthMode::kToken) {
    auto bearer = Credential(headers, "Bearer");
    if (!bearer) {
      // The token endpoint is reached with Basic credentials.
      Credentials credentials = CheckBasic(headers);
      return credentials.valid ? credentials.user : std::string();
    }
    std::shared_lock lock(mu_);
    auto it = tokens_.find(*bearer);
    if (it == tokens_.end() || clock_.Now() >= it->second.expires) return {};
    return it->second.user;
  }
  return {};
}

AuthDecision Authenticator::Authorize(const oci::HttpHeaders& headers,
                                      const std::vector<Scope>& needed, std::string_view base_url) {
  AuthDecision decision;
  switch (options_.mode) {
    case AuthMode::kNone: {
      decision.allowed = std::all_of(needed.begin(), needed.end(),
                                     [&](const Scope& scope) { return Grants("", scope); });
      if (!decision.allowed) decision.denial = Denied(needed);
      return decision;
    }
    case AuthMode::kBasic: {
      const Credentials credentials = CheckBasic(headers);
      if (credentials.present && !credentials.valid) {
        decision.denial = Challenge(needed, base_url, {});
        return decision;
      }
      decision.user = credentials.user;
      if (needed.empty()) {
        // /v2/ answers 200 only to an authenticated client (distribution htpasswd).
        decision.allowed = !decision.user.empty();
      } else {
        decision.allowed = std::all_of(needed.begin(), needed.end(), [&](const Scope& scope) {
          return Grants(decision.user, scope);
        });
      }
      if (!decision.allowed) {
        decision.denial = decision.user.empty() ? Challenge(needed, base_url, {}) : Denied(needed);
      }
      return decision;
    }
    case AuthMode::kToken: {
      auto bearer = Credential(headers, "Bearer");
      if (!bearer) {
        decision.denial = Challenge(needed, base_url, {});
        return decision;
      }
      {
        // Checked under the lock, without copying the token: this runs on every request.
        std::shared_lock lock(mu_);
        auto it = tokens_.find(*bearer);
        if (it == tokens_.end() || clock_.Now() >= it->second.expires) {
          decision.denial = Challenge(needed, base_url, "invalid_token");
          return decision;
        }
        const Token& token = it->second;
        decision.user = token.user;
        decision.allowed = std::all_of(needed.begin(), needed.end(), [&](const Scope& scope) {
          return std::all_of(scope.actions.begin(), scope.actions.end(), [&](const auto& action) {
            return std::any_of(token.granted.begin(), token.granted.end(), [&](const Scope& g) {
              return g.type == scope.type && g.name == scope.name &&
                     (std::find(g.actions.begin(), g.actions.end(), action) != g.actions.end() ||
                      std::find(g.actions.begin(), g.actions.end(), "*") != g.actions.end());
            });
          });
        });
      }
      if (!decision.allowed) decision.denial = Challenge(needed, base_url, "insufficient_scope");
      return decision;
    }
  }
  return decision;
}

oci::RegistryResponse Authenticator::IssueToken(std::string_view method,
                                                const oci::QueryParameters& query,
                                                const oci::HttpHeaders& headers,
                                                std::string_view body) {
  if (options_.mode != AuthMode::kToken) {
    oci::RegistryResponse response;
    response.status = 404;
    response.headers.Set("Content-Type", "text/plain; charset=utf-8");
    response.body = oci::SharedBytes(std::string("404 page not found\n"));
    return response;
  }
  oci::QueryParameters params = query;
  Credentials credentials;
  if (method == "POST") {
    // OAuth2 password grant (containerd, docker with identity tokens): a form body.
    std::ranges::move(oci::DecodeForm(body), std::back_inserter(params));
    std::string grant_type;
    std::string username;
    std::string password;
    for (const auto& [key, value] : params) {
      if (key == "grant_type") grant_type = value;
      if (key == "username") username = value;
      if (key == "password") password = value;
    }
    if (grant_type != "password") {
      oci::RegistryResponse response;
      response.status = 400;
      response.headers.Set("Content-Type", "application/json");
      response.body = oci::SharedBytes(std::string(
          R"({"error":"unsupported_grant_type","error_description":"only grant_type=password is supported"})"));
      return response;
    }
    credentials = CheckUserPassword(username, password);
  } else {
    credentials = CheckBasic(headers);
  }
  if (credentials.present && !credentials.valid) {
    oci::RegistryResponse response =
        ErrorResponse(SpecError::kUnauthorized, "invalid username or password");
    response.headers.Set("WWW-Authenticate", "Basic realm=" + Quote(options_.realm));
    return response;
  }
  Token token;
  token.user = credentials.user;
  for (const auto& [key, value] : params) {
    if (key != "scope") continue;
    // One parameter may carry several space-separated scopes.
    std::string_view rest = value;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      std::string_view one = rest.substr(0, space);
      if (!one.empty()) {
        if (auto scope = ParseScope(one); scope) {
          Scope granted = Granted(token.user, *scope);
          if (!granted.actions.empty()) token.granted.push_back(std::move(granted));
        }
      }
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  const Timestamp now = clock_.Now();
  token.expires = now + options_.token_ttl;
  std::string value;
  {
    std::lock_guard lock(mu_);
    const std::string message = std::to_string(++serial_) + "|" + token.user;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), options_.token_secret.data(), static_cast<int>(options_.token_secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_size);
    // 128 bits of the MAC keep the value unguessable; every request carries it, and each byte
    // of a header costs the HTTP front's parser (httplib reads headers a byte at a time) about
    // 150 instructions, so it is half the length of the full MAC in hex.
    value = "pst_" + Hex(mac, std::min<std::size_t>(mac_size, kTokenMacBytes));
    if (tokens_.size() >= 4 * kMaxCachedCredentials) {
      std::erase_if(tokens_, [&](const auto& entry) { return now >= entry.second.expires; });
    }
    tokens_[value] = token;
  }
  const auto ttl_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(options_.token_ttl).count();
  nlohmann::json answer = {{"token", value},
                           {"access_token", value},
                           {"expires_in", ttl_seconds},
                           {"issued_at", FormatTimestamp(now)}};
  oci::RegistryResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", "application/json");
  response.body = oci::SharedBytes(answer.dump());
  return response;
}

}  // namespace pullsim::registry
