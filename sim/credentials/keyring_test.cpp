// The keyring: key normalisation (CRED-06), matching (CRED-07), order (CRED-08), Docker Hub
// fallback (CRED-09) and unions (CRED-11).
#include "sim/credentials/keyring.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;

Credential Cred(std::string username, CredentialSource source = CredentialSource::Node("")) {
  return Credential{std::move(username), "pw", "", std::move(source)};
}

std::vector<std::string> Usernames(const std::vector<KeyedCredential>& found) {
  std::vector<std::string> names;
  for (const KeyedCredential& c : found) names.push_back(c.credential.username);
  return names;
}

// A port of upstream's lookup: walk every index key, URLsMatch each, then the fallback. The
// indexed keyring must agree with it on every input.
std::vector<std::string> ReferenceLookup(const Keyring& keyring, std::string_view repository) {
  std::vector<std::string> names;
  for (const std::string& key : keyring.Index()) {
    auto matched = UrlsMatch(key, repository);
    if (!matched || !*matched) continue;
    for (const Credential& c : *keyring.CredentialsFor(key)) names.push_back(c.username);
  }
  if (names.empty() && IsDefaultRegistryMatch(repository)) {
    if (const auto* hub = keyring.CredentialsFor(kDefaultRegistryKey)) {
      for (const Credential& c : *hub) names.push_back(c.username);
    }
  }
  return names;
}

TEST(Keyring, CRED_06_NormalisesKeysLikeUpstream) {
  CoversRule("CRED-06");
  struct Case {
    const char* raw;
    const char* key;
  };
  const Case cases[] = {
      {"https://index.docker.io/v1/", "index.docker.io"},
      {"http://quay.io", "quay.io"},
      {"https://quay.io/v2/coreos", "quay.io/coreos"},
      {"https://quay.io/v1", "quay.io/v1"},
      {"registry.example/v2/team/app", "registry.example/team/app"},
      {"https://reg.example/path/", "reg.example/path/"},
      {"user:pw@reg.example/x?q=1#f", "reg.example/x"},
      {"HTTPS://quay.io", "HTTPS://quay.io"},  // scheme check is case-sensitive
      {"reg.example/%7Eteam", "reg.example/~team"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.raw);
    auto key = NormalizeRegistryKey(c.raw);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(*key, c.key);
  }
  auto bad = NormalizeRegistryKey("*.example.com:*");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "parse \"https://*.example.com:*\": invalid port \":*\" after host");
}

TEST(Keyring, CRED_06_UnparsableKeysAreDroppedAndReported) {
  CoversRule("CRED-06");
  Keyring keyring;
  DockerConfig config;
  config.Set("[a-c]b.example", {"u", "p", ""});
  config.Set("good.example", {"g", "p", ""});
  std::vector<std::string> dropped = keyring.Add(config, CredentialSource::Node("/x"));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0],
            "entry \"[a-c]b.example\" in docker config invalid (parse "
            "\"https://[a-c]b.example\": invalid port \"b.example\" after host), ignoring");
  EXPECT_EQ(keyring.Index(), std::vector<std::string>{"good.example"});
}

TEST(Keyring, CRED_07_MatchesPerLabelGlobsPortsAndPathPrefixes) {
  CoversRule("CRED-07");
  struct Case {
    const char* key;
    const char* repository;
    bool match;
  };
  const Case cases[] = {
      {"*.kubernetes.io", "prefix.kubernetes.io", true},
      {"*.*.kubernetes.io", "prefix.kubernetes.io", false},
      {"prefix.*.io:1111/foo", "prefix.kubernetes.io:1111/foo/bar", true},
      {"registry.example:5000", "registry.example/app", false},
      {"registry.example:443", "registry.example/app", false},
      {"my-registry.example/images", "my-registry.example/imagesfoo/x", true},
      {"gcr.io", "us.gcr.io/proj/img", false},
      {"*", "localhost/app", true},
      {"[::1]:5000", "[::1]:5000/foo", true},
      {"Registry.Example", "registry.example/app", false},
      {"x[a-c]b.example", "xbb.example/app", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.key) + " ~ " + c.repository);
    auto matched = UrlsMatch(c.key, c.repository);
    ASSERT_TRUE(matched.has_value()) << matched.error().message;
    EXPECT_EQ(*matched, c.match);
  }
  EXPECT_FALSE(UrlsMatch("a[.example", "ab.example/x").has_value());  // malformed glob
}

TEST(Keyring, CRED_08_ReverseByteOrderAndEveryMatchingKey) {
  CoversRule("CRED-08");
  Keyring keyring;
  for (const char* key : {"a.example/x", "a.example/x/y", "a.example", "*.example"}) {
    ASSERT_TRUE(keyring.Add(key, Cred(key)).has_value());
  }
  EXPECT_EQ(keyring.Index(),
            (std::vector<std::string>{"a.example/x/y", "a.example/x", "a.example", "*.example"}));
  EXPECT_EQ(Usernames(keyring.Lookup("a.example/x/y/z")),
            (std::vector<std::string>{"a.example/x/y", "a.example/x", "a.example", "*.example"}));
  EXPECT_EQ(Usernames(keyring.Lookup("b.example/x")), std::vector<std::string>{"*.example"});
  std::vector<KeyedCredential> found = keyring.Lookup("a.example/q");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].key, "a.example");
  EXPECT_EQ(found[1].key, "*.example");
}

TEST(Keyring, CRED_08_OneKeyKeepsInsertionOrderAcrossSources) {
  CoversRule("CRED-08");
  Keyring keyring;
  ASSERT_TRUE(keyring.Add("quay.io", Cred("a", CredentialSource::Secret("ns", "s1"))));
  ASSERT_TRUE(keyring.Add("https://quay.io/v2/", Cred("b", CredentialSource::Secret("ns", "s2"))));
  std::vector<KeyedCredential> found = keyring.Lookup("quay.io/x");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].credential.source.ToString(), "secret ns/s1");
  EXPECT_EQ(found[1].credential.source.ToString(), "secret ns/s2");
}

TEST(Keyring, CRED_09_DockerHubFallbackOnlyWhenNothingMatched) {
  CoversRule("CRED-09");
  Keyring keyring;
  ASSERT_TRUE(keyring.Add("https://index.docker.io/v1/", Cred("legacyhub")));
  EXPECT_EQ(Usernames(keyring.Lookup("docker.io/library/nginx")),
            std::vector<std::string>{"legacyhub"});
  EXPECT_EQ(Usernames(keyring.Lookup("localhost/foo")), std::vector<std::string>{"legacyhub"});
  EXPECT_TRUE(keyring.Lookup("localhost:5000/foo").empty());
  ASSERT_TRUE(keyring.Add("docker.io", Cred("hub")));
  EXPECT_EQ(Usernames(keyring.Lookup("docker.io/library/nginx")), std::vector<std::string>{"hub"});
  EXPECT_TRUE(IsDefaultRegistryMatch("nginx"));
  EXPECT_TRUE(IsDefaultRegistryMatch("myhost/foo"));
  EXPECT_FALSE(IsDefaultRegistryMatch("/foo"));
  EXPECT_FALSE(IsDefaultRegistryMatch("registry.example/foo"));
}

TEST(Keyring, CRED_11_UnionConcatenatesMembersEachWithItsFallback) {
  CoversRule("CRED-11");
  Keyring pod;
  ASSERT_TRUE(pod.Add("quay.io", Cred("a", CredentialSource::Secret("default", "a"))));
  Keyring node;
  ASSERT_TRUE(node.Add("https://index.docker.io/v1/", Cred("hub", CredentialSource::Node("/c"))));
  Keyring plugins;
  ASSERT_TRUE(plugins.Add("*.io", Cred("p", CredentialSource::Plugin("ecr"))));
  EXPECT_EQ(Usernames(LookupUnion({&pod, &node, &plugins}, "quay.io/team/app")),
            (std::vector<std::string>{"a", "p"}));
  EXPECT_EQ(Usernames(LookupUnion({&pod, &node, nullptr}, "docker.io/library/nginx")),
            std::vector<std::string>{"hub"});
}

TEST(Keyring, CopiesKeepWorkingIndexes) {
  Keyring original;
  ASSERT_TRUE(original.Add("quay.io", Cred("q")));
  ASSERT_TRUE(original.Add("*.example", Cred("g")));
  Keyring copy = original;
  original = Keyring();
  EXPECT_EQ(Usernames(copy.Lookup("quay.io/x")), std::vector<std::string>{"q"});
  EXPECT_EQ(Usernames(copy.Lookup("a.example/x")), std::vector<std::string>{"g"});
  Keyring assigned;
  assigned = copy;
  EXPECT_EQ(Usernames(assigned.Lookup("quay.io/x")), std::vector<std::string>{"q"});
}

// The index is an optimisation: on random keyrings its answers equal upstream's full walk.
TEST(Keyring, CRED_08_IndexedLookupEqualsUpstreamWalk) {
  CoversRule("CRED-08");
  std::mt19937 random(20260101);
  const std::vector<std::string> hosts = {"a.example",
                                          "b.example",
                                          "*.example",
                                          "a.*",
                                          "*.*",
                                          "*",
                                          "localhost",
                                          "a.b.example",
                                          "[a-b].example",
                                          "?.example",
                                          "example",
                                          "a.example:5000",
                                          "*.example:5000",
                                          "docker.io",
                                          "index.docker.io",
                                          "https://index.docker.io/v1/",
                                          "[::1]:5000"};
  const std::vector<std::string> paths = {"", "/", "/team", "/team/app", "/te", "/v2/team"};
  const std::vector<std::string> repositories = {"a.example/team/app",
                                                 "b.example/team",
                                                 "a.example:5000/team/x",
                                                 "localhost/app",
                                                 "docker.io/library/nginx",
                                                 "a.b.example/team",
                                                 "example/x",
                                                 "c.example/teamx",
                                                 "[::1]:5000/team/app",
                                                 "index.docker.io/x",
                                                 "a.example",
                                                 "myhost/foo"};
  for (int round = 0; round < 200; ++round) {
    Keyring keyring;
    int entries = 1 + static_cast<int>(random() % 12);
    for (int i = 0; i < entries; ++i) {
      std::string key = hosts[random() % hosts.size()] + paths[random() % paths.size()];
      (void)keyring.Add(key, Cred(key + "#" + std::to_string(i)));
    }
    for (const std::string& repository : repositories) {
      SCOPED_TRACE("round " + std::to_string(round) + " " + repository);
      EXPECT_EQ(Usernames(keyring.Lookup(repository)), ReferenceLookup(keyring, repository));
    }
  }
}

}  // namespace
}  // namespace pullsim::credentials
