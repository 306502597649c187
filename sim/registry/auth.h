#pragma once
// Authentication and authorisation as real registries do it: anonymous, HTTP Basic, and the
// Docker bearer-token flow (401 with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`,
// a token endpoint granting the allowed subset of the asked scope, tokens expiring on the
// registry's Clock). 401 vs 403:
//  - basic: no or wrong credentials → 401 + Basic challenge; valid user lacking the right →
//    403 DENIED (as registries with per-repository rules over Basic answer: Harbor, GHCR, zot);
//  - token: no token, unknown or expired token (error="invalid_token"), or a token without the
//    needed scope (error="insufficient_scope") → 401 + Bearer challenge, as CNCF distribution
//    and Docker Hub answer; the token endpoint answers 401 to wrong credentials.
// Checked credentials are cached so a keep-alive client costs one hash lookup per request, without
// copying its header: a Basic credential's outcome keyed by the exact encoded value, a token by
// its value until it expires on the registry's clock. Users and rules are fixed for the life of
// an Authenticator (revoking or rotating builds a new registry), so neither cache goes stale.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/registry_transport.h"
#include "sim/registry/access.h"

namespace pullsim::registry {

enum class AuthMode { kNone, kBasic, kToken };

[[nodiscard]] std::string_view AuthModeName(AuthMode mode);

struct AuthOptions {
  AuthMode mode = AuthMode::kNone;
  std::string realm = "pullsim";    // the Basic realm
  std::string service = "pullsim";  // the token service name
  // Absolute URL of the token endpoint announced in challenges; empty: "<base URL>/token" of
  // the front the request came through.
  std::string token_realm;
  Duration token_ttl = std::chrono::minutes(5);
  std::string token_secret = "pullsim";  // HMAC key that makes token values unguessable
  std::vector<User> users;
  // Default: everything for anyone without auth; everything for any valid user with auth.
  std::optional<AccessPolicy> policy;
};

// One access a request needs or a token grants: "repository:team/app:pull,push",
// "registry:catalog:*".
struct Scope {
  std::string type;  // "repository", "registry"
  std::string name;
  std::vector<std::string> actions;

  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const Scope&, const Scope&) = default;
};

// Parses "type:name:action[,action...]"; the name may itself contain ':' (the last ':' ends it).
[[nodiscard]] Result<Scope> ParseScope(std::string_view text);

struct AuthDecision {
  bool allowed = false;
  std::string user;              // empty: anonymous
  oci::RegistryResponse denial;  // the 401/403 to send when !allowed
};

class Authenticator {
 public:
  Authenticator(const Clock& clock, AuthOptions options);

  // Whether the request carrying `headers` may have every scope in `needed` (empty: any
  // authenticated request, as /v2/ needs). `base_url` ("http://127.0.0.1:5000") forms the default
  // token realm.
  [[nodiscard]] AuthDecision Authorize(const oci::HttpHeaders& headers,
                                       const std::vector<Scope>& needed, std::string_view base_url);

  // The token endpoint: GET ?service=&scope=... with optional Basic credentials, or POST with a
  // form (grant_type=password, username, password, service, scope). Answers
  // {"token","access_token","expires_in","issued_at"}; 401 for wrong credentials; 404 when the
  // registry does not use tokens.
  [[nodiscard]] oci::RegistryResponse IssueToken(std::string_view method,
                                                 const oci::QueryParameters& query,
                                                 const oci::HttpHeaders& headers,
                                                 std::string_view body);

  // The identity a request presents, without checking any scope ("" anonymous or invalid).
  [[nodiscard]] std::string IdentityOf(const oci::HttpHeaders& headers);

  [[nodiscard]] AuthMode mode() const { return options_.mode; }
  [[nodiscard]] const AuthOptions& options() const { return options_; }
  [[nodiscard]] std::uint64_t credential_checks() const;  // uncached password checks done

 private:
  struct Credentials {
    bool present = false;  // an Authorization header of the scheme was sent
    bool valid = false;
    std::string user;
  };
  struct Token {
    std::string user;
    std::vector<Scope> granted;
    Timestamp expires;
  };
  // Lets the maps be searched with the header's string_view, so a hit allocates nothing.
  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <typename Value>
  using StringMap = std::unordered_map<std::string, Value, TransparentHash, std::equal_to<>>;

  Credentials CheckBasic(const oci::HttpHeaders& headers);
  Credentials CheckUserPassword(std::string_view user, std::string_view password);
  bool Grants(const std::string& user, const Scope& scope) const;
  Scope Granted(const std::string& user, const Scope& asked) const;
  oci::RegistryResponse Challenge(const std::vector<Scope>& needed, std::string_view base_url,
                                  std::string_view error) const;
  oci::RegistryResponse Denied(const std::vector<Scope>& needed) const;

  const Clock& clock_;
  AuthOptions options_;
  AccessPolicy policy_;

  mutable std::shared_mutex mu_;    // readers: every request; writers: new credentials, tokens
  StringMap<Credentials> checked_;  // encoded Basic credential → outcome
  StringMap<Token> tokens_;         // token value → what it grants, until it expires
  std::uint64_t serial_ = 0;
  std::uint64_t credential_checks_ = 0;
};

}  // namespace pullsim::registry
