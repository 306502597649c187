// Authentication and authorisation: anonymous, Basic, bearer tokens on the clock, glob rules,
// 401 vs 403, the credential cache; and the WWW-Authenticate parser of sim/oci.
#include "sim/registry/auth.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/registry/in_process_transport.h"
#include "sim/registry/internal/base64.h"
#include "sim/registry/registry.h"
#include "sim/registry/testing_helpers.h"

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

oci::HttpHeaders BasicAuth(std::string_view user, std::string_view password) {
  return {{"Authorization",
           "Basic " + internal::Base64Encode(std::string(user) + ":" + std::string(password))}};
}

oci::HttpHeaders BearerAuth(std::string_view token) {
  return {{"Authorization", "Bearer " + std::string(token)}};
}

AccessRule Rule(std::string_view pattern, std::vector<std::string> pull,
                std::vector<std::string> push) {
  AccessRule rule;
  rule.repositories = *RepositoryGlob::Parse(pattern);
  rule.pull = std::move(pull);
  rule.push = std::move(push);
  rule.del = rule.push;
  return rule;
}

// Two tenants, a public area anyone may pull, an admin.
AuthOptions TenantOptions(AuthMode mode) {
  AuthOptions options;
  options.mode = mode;
  options.realm = "pullsim-test";
  options.service = "registry.test";
  options.users = {{"alice", "alice-pw", ""}, {"bob", "bob-pw", ""}, {"admin", "admin-pw", ""}};
  options.policy = AccessPolicy({
      Rule("public/**", {"*"}, {"admin"}),
      Rule("tenant-a/**", {"alice", "admin"}, {"alice", "admin"}),
      Rule("tenant-b/**", {"bob", "admin"}, {"bob", "admin"}),
  });
  return options;
}

class AuthTest : public ::testing::Test {
 protected:
  void Start(AuthOptions auth) {
    RegistryOptions options;
    options.auth = std::move(auth);
    registry_ = std::make_unique<Registry>(clock_, std::move(options));
    transport_ = std::make_unique<InProcessTransport>(*registry_, "node-a", "registry.test");
    // Content loaded directly, as REGISTRY.yaml images are.
    for (const char* repo : {"public/base", "tenant-a/app", "tenant-b/app"}) {
      for (const Blob* blob : {&image_.config, &image_.layers[0]}) {
        (void)registry_->PutBlob(repo, oci::SharedBytes(blob->bytes));
      }
      ASSERT_TRUE(
          registry_->PutManifest(repo, oci::SharedBytes(image_.manifest.bytes), kOciManifest, "1"));
    }
  }

  oci::RegistryResponse Pull(std::string repo, const oci::HttpHeaders& headers = {}) {
    return Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo, "1"),
                headers);
  }

  oci::RegistryResponse Push(std::string repo, const oci::HttpHeaders& headers = {}) {
    return Send(*transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo),
                headers);
  }

  // GET <realm>?service=...&scope=... as a client does after a challenge.
  oci::RegistryResponse FetchToken(const std::vector<std::string>& scopes,
                                   const oci::HttpHeaders& headers = {}) {
    oci::RegistryRequest request;
    request.endpoint = RegistryEndpoint::kToken;
    request.url = "http://registry.test/token";
    request.query.emplace_back("service", "registry.test");
    for (const std::string& scope : scopes) request.query.emplace_back("scope", scope);
    return Send(*transport_, request, headers);
  }

  std::string TokenFor(const std::vector<std::string>& scopes,
                       const oci::HttpHeaders& headers = {}) {
    auto response = FetchToken(scopes, headers);
    EXPECT_EQ(response.status, 200);
    auto json = nlohmann::json::parse(response.body.view(), nullptr, false);
    if (json.is_discarded() || !json.contains("token")) return {};
    return json["token"].get<std::string>();
  }

  VirtualClock clock_;
  Image image_ = MakeImage("auth");
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<InProcessTransport> transport_;
};

TEST_F(AuthTest, BasicChallengesAnonymousAndWrongPasswords) {
  Start(TenantOptions(AuthMode::kBasic));
  auto anonymous = Pull("tenant-a/app");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.headers.Get("WWW-Authenticate"), "Basic realm=\"pullsim-test\"");
  EXPECT_EQ(FirstErrorCode(anonymous), "UNAUTHORIZED");
  auto wrong = Pull("tenant-a/app", BasicAuth("alice", "nope"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(wrong.headers.Has("WWW-Authenticate"));
  auto unknown_user = Pull("tenant-a/app", BasicAuth("mallory", "alice-pw"));
  EXPECT_EQ(unknown_user.status, 401);
  auto garbage = Pull("tenant-a/app", {{"Authorization", "Basic !!!"}});
  EXPECT_EQ(garbage.status, 401);
  EXPECT_EQ(Pull("tenant-a/app", BasicAuth("alice", "alice-pw")).status, 200);
}

TEST_F(AuthTest, BasicValidUserWithoutTheRightIsDenied403) {
  Start(TenantOptions(AuthMode::kBasic));
  auto denied = Pull("tenant-a/app", BasicAuth("bob", "bob-pw"));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(FirstErrorCode(denied), "DENIED");
  EXPECT_FALSE(denied.headers.Has("WWW-Authenticate"));
  EXPECT_EQ(Push("tenant-a/app", BasicAuth("bob", "bob-pw")).status, 403);
  EXPECT_EQ(Push("tenant-b/app", BasicAuth("bob", "bob-pw")).status, 202);
}

TEST_F(AuthTest, PublicRepositoriesPullAnonymouslyButPushNeedsTheRight) {
  Start(TenantOptions(AuthMode::kBasic));
  EXPECT_EQ(Pull("public/base").status, 200);
  EXPECT_EQ(Pull("public/base", BasicAuth("alice", "alice-pw")).status, 200);
  EXPECT_EQ(Push("public/base").status, 401);
  EXPECT_EQ(Push("public/base", BasicAuth("alice", "alice-pw")).status, 403);
  EXPECT_EQ(Push("public/base", BasicAuth("admin", "admin-pw")).status, 202);
}

TEST_F(AuthTest, TenantOwnsEverythingUnderItsGlob) {
  Start(TenantOptions(AuthMode::kBasic));
  const auto alice = BasicAuth("alice", "alice-pw");
  EXPECT_EQ(Push("tenant-a/team/deep/app", alice).status, 202);
  EXPECT_EQ(Push("tenant-ab/app", alice).status, 403);  // no rule matches: denied
  EXPECT_EQ(Push("tenant-b/x", alice).status, 403);
}

TEST_F(AuthTest, BasicPingNeedsAValidUser) {
  Start(TenantOptions(AuthMode::kBasic));
  auto ping = [&](const oci::HttpHeaders& headers) {
    return Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kPing), headers);
  };
  EXPECT_EQ(ping({}).status, 401);
  EXPECT_EQ(ping(BasicAuth("alice", "x")).status, 401);
  EXPECT_EQ(ping(BasicAuth("alice", "alice-pw")).status, 200);
}

TEST_F(AuthTest, CheckedCredentialsAreCached) {
  Start(TenantOptions(AuthMode::kBasic));
  const auto alice = BasicAuth("alice", "alice-pw");
  for (int i = 0; i < 50; ++i) ASSERT_EQ(Pull("tenant-a/app", alice).status, 200);
  EXPECT_EQ(registry_->authenticator().credential_checks(), 1u);
}

TEST_F(AuthTest, CachedRefusalsStayRefusedAndDoNotBlockTheRightPassword) {
  Start(TenantOptions(AuthMode::kBasic));
  const auto wrong = BasicAuth("alice", "nope");
  EXPECT_EQ(Pull("tenant-a/app", wrong).status, 401);
  EXPECT_EQ(Pull("tenant-a/app", wrong).status, 401);  // from the cache
  EXPECT_EQ(Pull("tenant-a/app", BasicAuth("alice", "alice-pw")).status, 200);
  EXPECT_EQ(registry_->authenticator().credential_checks(), 2u);
}

// Clients send "Authorization" and "Basic"/"Bearer"; RFC 9110 makes both case-insensitive, and
// the exact-spelling fast path must not lose the other spellings.
TEST_F(AuthTest, HeaderNameAndSchemeAreCaseInsensitive) {
  Start(TenantOptions(AuthMode::kBasic));
  const std::string credential = internal::Base64Encode("alice:alice-pw");
  EXPECT_EQ(Pull("tenant-a/app", {{"authorization", "basic " + credential}}).status, 200);
  EXPECT_EQ(Pull("tenant-a/app", {{"AUTHORIZATION", "BASIC " + credential}}).status, 200);
  EXPECT_EQ(Pull("tenant-a/app", {{"Authorizatio", "Basic " + credential}}).status, 401);
  EXPECT_EQ(Pull("tenant-a/app", {{"Authorization", "Basic" + credential}}).status, 401);

  Start(TenantOptions(AuthMode::kToken));
  const std::string token =
      TokenFor({"repository:tenant-a/app:pull"}, BasicAuth("alice", "alice-pw"));
  EXPECT_EQ(Pull("tenant-a/app", {{"authorization", "bearer " + token}}).status, 200);
  EXPECT_EQ(Pull("tenant-a/app", {{"Authorization", "BEARER " + token}}).status, 200);
}

// rotatePassword builds the registry again from the changed users (scenario RegistryFleet): a
// credential the old registry had checked and cached must not pass the new one.
TEST_F(AuthTest, RotatedPasswordRefusesTheOldOneThoughItWasCached) {
  AuthOptions options = TenantOptions(AuthMode::kBasic);
  Start(options);
  const auto old_password = BasicAuth("alice", "alice-pw");
  ASSERT_EQ(Pull("tenant-a/app", old_password).status, 200);
  options.users[0].password = "n3w-pw";
  Start(options);
  EXPECT_EQ(Pull("tenant-a/app", old_password).status, 401);
  EXPECT_EQ(Pull("tenant-a/app", BasicAuth("alice", "n3w-pw")).status, 200);

  options.mode = AuthMode::kToken;
  Start(options);
  EXPECT_EQ(FetchToken({"repository:tenant-a/app:pull"}, old_password).status, 401);
}

// revoke builds the registry again without the user's rights: its Basic credential gets 403, the
// tokens the old registry issued are unknown (401 invalid_token), and a new token lacks the scope.
TEST_F(AuthTest, RevokedUserIsRefusedAndItsTokensDie) {
  AuthOptions options = TenantOptions(AuthMode::kToken);
  Start(options);
  const auto alice = BasicAuth("alice", "alice-pw");
  const std::string token = TokenFor({"repository:tenant-a/app:pull"}, alice);
  ASSERT_EQ(Pull("tenant-a/app", BearerAuth(token)).status, 200);

  options.policy =
      AccessPolicy({Rule("public/**", {"*"}, {"admin"}), Rule("tenant-a/**", {"admin"}, {"admin"}),
                    Rule("tenant-b/**", {"bob", "admin"}, {"bob", "admin"})});
  Start(options);
  auto stale = Pull("tenant-a/app", BearerAuth(token));
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(stale.headers.Get("WWW-Authenticate")->find("error=\"invalid_token\""),
            std::string_view::npos);
  auto fresh = Pull("tenant-a/app", BearerAuth(TokenFor({"repository:tenant-a/app:pull"}, alice)));
  EXPECT_EQ(fresh.status, 401);
  EXPECT_NE(fresh.headers.Get("WWW-Authenticate")->find("error=\"insufficient_scope\""),
            std::string_view::npos);

  options.mode = AuthMode::kBasic;
  Start(options);
  EXPECT_EQ(Pull("tenant-a/app", alice).status, 403);
}

// Token values are looked up whole: a prefix, an extension or one changed character is no token.
TEST_F(AuthTest, OnlyTheExactTokenValuePasses) {
  Start(TenantOptions(AuthMode::kToken));
  const auto alice = BasicAuth("alice", "alice-pw");
  const std::string token = TokenFor({"repository:tenant-a/app:pull"}, alice);
  ASSERT_GT(token.size(), 20u);
  EXPECT_NE(TokenFor({"repository:tenant-a/app:pull"}, alice), token);
  std::string changed = token;
  changed.back() = changed.back() == '0' ? '1' : '0';
  for (const std::string& wrong :
       {token.substr(0, token.size() - 1), token + "0", changed, std::string("pst_")}) {
    SCOPED_TRACE(wrong);
    EXPECT_EQ(Pull("tenant-a/app", BearerAuth(wrong)).status, 401);
  }
  EXPECT_EQ(Pull("tenant-a/app", BearerAuth(token)).status, 200);
}

TEST_F(AuthTest, TokenFlowChallengesWithRealmServiceAndScope) {
  Start(TenantOptions(AuthMode::kToken));
  auto challenge = Pull("tenant-a/app");
  EXPECT_EQ(challenge.status, 401);
  auto header = challenge.headers.Get("WWW-Authenticate");
  ASSERT_TRUE(header.has_value());
  auto parsed = oci::ParseAuthChallenges(*header);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].scheme, "Bearer");
  EXPECT_EQ((*parsed)[0].params.at("realm"), "http://registry.test/token");
  EXPECT_EQ((*parsed)[0].params.at("service"), "registry.test");
  EXPECT_EQ((*parsed)[0].params.at("scope"), "repository:tenant-a/app:pull");

  const std::string token =
      TokenFor({"repository:tenant-a/app:pull"}, BasicAuth("alice", "alice-pw"));
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Pull("tenant-a/app", BearerAuth(token)).status, 200);
  // Even public repositories want a token in token mode (as Docker Hub does).
  EXPECT_EQ(Pull("public/base").status, 401);
  const std::string anonymous = TokenFor({"repository:public/base:pull"});
  EXPECT_EQ(Pull("public/base", BearerAuth(anonymous)).status, 200);
}

TEST_F(AuthTest, TokenGrantsOnlyTheAllowedSubset) {
  Start(TenantOptions(AuthMode::kToken));
  // bob asks for tenant-a: gets a token without that access; the registry says 401
  // insufficient_scope (CNCF distribution's answer), never 403.
  const std::string token =
      TokenFor({"repository:tenant-a/app:pull", "repository:tenant-b/app:pull,push"},
               BasicAuth("bob", "bob-pw"));
  auto refused = Pull("tenant-a/app", BearerAuth(token));
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.headers.Get("WWW-Authenticate")->find("error=\"insufficient_scope\""),
            std::string_view::npos);
  EXPECT_EQ(Pull("tenant-b/app", BearerAuth(token)).status, 200);
  EXPECT_EQ(Push("tenant-b/app", BearerAuth(token)).status, 202);
  auto pull_only = TokenFor({"repository:tenant-b/app:pull"}, BasicAuth("bob", "bob-pw"));
  auto push = Push("tenant-b/app", BearerAuth(pull_only));
  EXPECT_EQ(push.status, 401);
  EXPECT_NE(
      push.headers.Get("WWW-Authenticate")->find("scope=\"repository:tenant-b/app:pull,push\""),
      std::string_view::npos);
}

TEST_F(AuthTest, RequestLogNamesTheTokenEndpointsUser) {
  Start(TenantOptions(AuthMode::kToken));
  registry_->log().Clear();
  (void)TokenFor({"repository:tenant-a/app:pull"}, BasicAuth("alice", "alice-pw"));
  (void)TokenFor({"repository:public/base:pull"});
  auto entries = registry_->log().Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].identity, "alice");
  EXPECT_EQ(entries[1].identity, "anonymous");
}

TEST_F(AuthTest, TokenEndpointRefusesWrongCredentials) {
  Start(TenantOptions(AuthMode::kToken));
  auto response = FetchToken({"repository:tenant-a/app:pull"}, BasicAuth("alice", "wrong"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(FirstErrorCode(response), "UNAUTHORIZED");
}

TEST_F(AuthTest, TokensExpireOnTheClock) {
  AuthOptions options = TenantOptions(AuthMode::kToken);
  options.token_ttl = std::chrono::minutes(5);
  Start(std::move(options));
  auto response = FetchToken({"repository:tenant-a/app:pull"}, BasicAuth("alice", "alice-pw"));
  auto json = nlohmann::json::parse(response.body.view());
  EXPECT_EQ(json["expires_in"], 300);
  EXPECT_EQ(json["issued_at"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(json["token"], json["access_token"]);
  const std::string token = json["token"];
  clock_.Advance(std::chrono::minutes(4));
  EXPECT_EQ(Pull("tenant-a/app", BearerAuth(token)).status, 200);
  clock_.Advance(std::chrono::minutes(1));
  auto expired = Pull("tenant-a/app", BearerAuth(token));
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.headers.Get("WWW-Authenticate")->find("error=\"invalid_token\""),
            std::string_view::npos);
  EXPECT_EQ(Pull("tenant-a/app", BearerAuth("pst_forged")).status, 401);
}

TEST_F(AuthTest, TokenByOAuthPasswordGrant) {
  Start(TenantOptions(AuthMode::kToken));
  oci::RegistryRequest request;
  request.method = HttpMethod::kPost;
  request.endpoint = RegistryEndpoint::kToken;
  request.url = "http://registry.test/token";
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  request.body = oci::SharedBytes(
      std::string("grant_type=password&username=alice&password=alice-pw&service=registry.test"
                  "&scope=repository%3Atenant-a%2Fapp%3Apull&client_id=test"));
  auto response = Send(*transport_, request);
  ASSERT_EQ(response.status, 200);
  const std::string token = nlohmann::json::parse(response.body.view())["access_token"];
  EXPECT_EQ(Pull("tenant-a/app", BearerAuth(token)).status, 200);
  request.body = oci::SharedBytes(std::string("grant_type=refresh_token&refresh_token=x"));
  EXPECT_EQ(Send(*transport_, request).status, 400);
}

TEST_F(AuthTest, TokenEndpointIsAbsentWithoutTokenAuth) {
  Start(TenantOptions(AuthMode::kBasic));
  EXPECT_EQ(FetchToken({}).status, 404);
}

TEST_F(AuthTest, RequestLogNamesTheIdentity) {
  Start(TenantOptions(AuthMode::kBasic));
  registry_->log().Clear();
  (void)Pull("tenant-a/app", BasicAuth("alice", "alice-pw"));
  (void)Pull("public/base");
  auto entries = registry_->log().Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].identity, "alice");
  EXPECT_EQ(entries[1].identity, "anonymous");
}

TEST(Password, AcceptsBcryptHashesAsHtpasswdWritesThem) {
  // htpasswd -B style hash of "s3cret" (cost 5 keeps the test fast).
  const User user{"alice", "", "$2b$05$Nw0Q96F17cYSr1Oq8w02HOHXOde60w8attB.3QPBsv2EtPaQg3v6C"};
  EXPECT_TRUE(PasswordMatches(user, "s3cret"));
  EXPECT_FALSE(PasswordMatches(user, "s3cret "));
  EXPECT_FALSE(PasswordMatches(User{"bob", "", "not-a-hash"}, "x"));
}

TEST(Scope, ParsesTypeNameAndActions) {
  auto scope = ParseScope("repository:team/app:pull,push");
  ASSERT_TRUE(scope.has_value());
  EXPECT_EQ(scope->type, "repository");
  EXPECT_EQ(scope->name, "team/app");
  EXPECT_EQ(scope->actions, (std::vector<std::string>{"pull", "push"}));
  EXPECT_EQ(scope->ToString(), "repository:team/app:pull,push");
  EXPECT_FALSE(ParseScope("repository").has_value());
  EXPECT_FALSE(ParseScope("repository:app").has_value());
}

TEST(AuthChallenge, ParsesRegistryChallenges) {
  auto parsed = oci::ParseAuthChallenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull",error="insufficient_scope")");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].params.size(), 4u);
  EXPECT_EQ((*parsed)[0].params.at("error"), "insufficient_scope");

  auto two = oci::ParseAuthChallenges(R"(Basic realm="a b", Bearer realm="x",service=y)");
  ASSERT_TRUE(two.has_value()) << two.error().message;
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].scheme, "Basic");
  EXPECT_EQ((*two)[0].params.at("realm"), "a b");
  EXPECT_EQ((*two)[1].params.at("service"), "y");

  auto escaped = oci::ParseAuthChallenges(R"(Basic Realm="say \"hi\"")");
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ((*escaped)[0].params.at("realm"), "say \"hi\"");

  EXPECT_FALSE(oci::ParseAuthChallenges(R"(Bearer realm="unterminated)").has_value());
  EXPECT_FALSE(oci::ParseAuthChallenges(R"(Bearer realm="a" service="b")").has_value());
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "ab", "abc", "alice:s3cret", std::string("\0\xff", 2)}) {
    EXPECT_EQ(internal::Base64Decode(internal::Base64Encode(text)), text);
  }
  EXPECT_EQ(internal::Base64Encode("alice:pw"), "YWxpY2U6cHc=");
  EXPECT_FALSE(internal::Base64Decode("abc").has_value());
  EXPECT_FALSE(internal::Base64Decode("a=bc").has_value());
  EXPECT_FALSE(internal::Base64Decode("ab!c").has_value());
}

}  // namespace
}  // namespace pullsim::registry
