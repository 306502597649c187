#include "sim/reference/reference.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::reference {
namespace {

constexpr std::string_view kSha256 =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct NormalizedCase {
  std::string_view input;
  std::string_view domain;
  std::string_view path;
  std::string_view tag;
  std::string_view familiar;
};

// REF-02: docker.io, library/ and the legacy index.docker.io.
TEST(ParseNormalizedNamed, REF_02_NormalisesDockerHubNames) {
  testing::CoversRules({"REF-02", "REF-08"});
  constexpr NormalizedCase kCases[] = {
      {"ubuntu", "docker.io", "library/ubuntu", "", "ubuntu"},
      {"docker.io/ubuntu", "docker.io", "library/ubuntu", "", "ubuntu"},
      {"index.docker.io/library/ubuntu:18.04", "docker.io", "library/ubuntu", "18.04",
       "ubuntu:18.04"},
      {"foo/bar", "docker.io", "foo/bar", "", "foo/bar"},
      {"library/foo/bar", "docker.io", "library/foo/bar", "", "library/foo/bar"},
      {"localhost/foo", "localhost", "foo", "", "localhost/foo"},
      {"localhost", "docker.io", "library/localhost", "", "localhost"},
      {"localhost:5000/foo", "localhost:5000", "foo", "", "localhost:5000/foo"},
      {"Uppercase/lowercase:tag", "Uppercase", "lowercase", "tag", "Uppercase/lowercase:tag"},
      {"nginx:5000", "docker.io", "library/nginx", "5000", "nginx:5000"},
      {"[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", "", "[fc00::1]:5000/docker"},
      {"registry.test:5000/team/app:v1", "registry.test:5000", "team/app", "v1",
       "registry.test:5000/team/app:v1"},
  };
  for (const NormalizedCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Reference> ref = ParseNormalizedNamed(c.input);
    ASSERT_TRUE(ref.has_value()) << ref.error().message;
    EXPECT_EQ(ref->domain, c.domain);
    EXPECT_EQ(ref->path, c.path);
    EXPECT_EQ(ref->tag, c.tag);
    EXPECT_EQ(ref->digest, "");
    EXPECT_EQ(ref->FamiliarString(), c.familiar);
  }
}

TEST(ParseNormalizedNamed, REF_02_KeepsTagAndDigest) {
  testing::CoversRules({"REF-01", "REF-02"});
  const std::string input = "quay.io/coreos/etcd:v3.5.0@" + std::string(kSha256);
  const Result<Reference> ref = ParseNormalizedNamed(input);
  ASSERT_TRUE(ref.has_value()) << ref.error().message;
  EXPECT_EQ(ref->Name(), "quay.io/coreos/etcd");
  EXPECT_EQ(ref->tag, "v3.5.0");
  EXPECT_EQ(ref->digest, kSha256);
  EXPECT_EQ(ref->String(), input);
}

struct ErrorCase {
  std::string_view input;
  std::string_view message;
};

// REF-03: upstream's texts, in upstream's order of precedence.
TEST(ParseNormalizedNamed, REF_03_ReportsUpstreamErrors) {
  testing::CoversRules({"REF-01", "REF-03", "REF-04", "REF-05", "REF-06"});
  const std::string long_path = "example.com/" + std::string(256, 'a');
  const std::string max_path = "example.com/" + std::string(255, 'a');
  const ErrorCase kCases[] = {
      {"", "invalid reference format"},
      {":justtag", "invalid reference format"},
      {"http://url", "invalid reference format"},
      {"nginx:tag:tag", "invalid reference format"},
      {"nginx:-bad", "invalid reference format"},
      {" nginx", "invalid reference format"},
      {"docker///docker", "invalid reference format"},
      {"docker/", "invalid reference format"},
      {"[2001:db8::1]:5000", "invalid reference format"},
      {"[fe80::1%eth0]:5000/repo", "invalid reference format"},
      {"nginx@sha256:abc", "invalid reference format"},
      {"Uppercase:tag",
       "invalid reference format: repository name (library/Uppercase) must be lowercase"},
      {"docker.io/docker/Docker",
       "invalid reference format: repository name (docker/Docker) must be lowercase"},
      {"1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
       "invalid repository name "
       "(1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), "
       "cannot specify 64-byte hexadecimal strings"},
      {long_path, "repository name must not be more than 255 characters"},
      {"repo@sha256:ffffffffffffffffffffffffffffffffff", "invalid checksum digest length"},
      {"nginx@sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
       "invalid checksum digest format"},
      {"nginx@md5:ffffffffffffffffffffffffffffffff", "unsupported digest algorithm"},
      // The lower-case check reads up to the first ':', so the algorithm must sit behind a tag.
      {"nginx:v1@MD5:ffffffffffffffffffffffffffffffff", "invalid checksum digest format"},
      {"nginx@MD5:ffffffffffffffffffffffffffffffff",
       "invalid reference format: repository name (library/nginx@MD5) must be lowercase"},
  };
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.input);
    const Result<Reference> ref = ParseNormalizedNamed(c.input);
    ASSERT_FALSE(ref.has_value()) << ref->String();
    EXPECT_EQ(ref.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ref.error().message, c.message);
  }
  EXPECT_TRUE(ParseNormalizedNamed(max_path).has_value());
}

// REF-04 (v0.6.0): only the path counts; a long domain does not.
TEST(ParseNormalizedNamed, REF_04_LimitCountsPathOnly) {
  testing::CoversRule("REF-04");
  const std::string domain = std::string(60, 'd') + "." + std::string(60, 'e') + ".test";
  const std::string path(255, 'a');
  EXPECT_TRUE(ParseNormalizedNamed(domain + "/" + path).has_value());
  const Result<Reference> too_long = ParseNormalizedNamed(domain + "/" + path + "a");
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().message, "repository name must not be more than 255 characters");
  EXPECT_TRUE(ParseNormalizedNamed("nginx:" + std::string(128, 't')).has_value());
  EXPECT_FALSE(ParseNormalizedNamed("nginx:" + std::string(129, 't')).has_value());
}

// REF-05: sha384 and sha512 are available as well as sha256.
TEST(ParseNormalizedNamed, REF_05_AcceptsSha384AndSha512) {
  testing::CoversRule("REF-05");
  EXPECT_TRUE(ParseNormalizedNamed("a@sha384:" + std::string(96, 'f')).has_value());
  EXPECT_TRUE(ParseNormalizedNamed("a@sha512:" + std::string(128, 'f')).has_value());
  const Result<Reference> wrong = ParseNormalizedNamed("a@sha512:" + std::string(96, 'f'));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().message, "invalid checksum digest length");
}

// REF-06: a bare 64-hex string is an image ID, but with a tag or under a namespace it is a name.
TEST(ParseNormalizedNamed, REF_06_BareHexOnlyRefusedAlone) {
  testing::CoversRule("REF-06");
  const std::string hex(64, 'a');
  EXPECT_FALSE(ParseNormalizedNamed(hex).has_value());
  EXPECT_TRUE(ParseNormalizedNamed(hex + ":tag").has_value());
  EXPECT_TRUE(ParseNormalizedNamed("foo/" + hex).has_value());
  EXPECT_TRUE(ParseNormalizedNamed(std::string(63, 'a')).has_value());
}

// REF-07: Parse takes the first of several components as the domain, whatever it is.
TEST(Parse, REF_07_GrammarOnly) {
  testing::CoversRule("REF-07");
  const Result<Reference> two = Parse("foo/bar");
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->domain, "foo");
  EXPECT_EQ(two->path, "bar");
  const Result<Reference> one = Parse("test.com:tag");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->domain, "");
  EXPECT_EQ(one->path, "test.com");
  EXPECT_EQ(one->tag, "tag");
  const Result<Reference> underscore = Parse("foo_bar/baz");
  ASSERT_TRUE(underscore.has_value());
  EXPECT_EQ(underscore->domain, "");  // "foo_bar" is no host
  EXPECT_EQ(underscore->path, "foo_bar/baz");

  ASSERT_FALSE(Parse("").has_value());
  EXPECT_EQ(Parse("").error().message, "repository name must have at least one component");
  ASSERT_FALSE(Parse("Foo/Bar").has_value());
  EXPECT_EQ(Parse("a/Bar").error().message, "repository name must be lowercase");
  EXPECT_EQ(Parse("a/B$").error().message, "invalid reference format");
}

TEST(ParseNamed, REF_07_RequiresCanonicalForm) {
  testing::CoversRule("REF-07");
  EXPECT_TRUE(ParseNamed("docker.io/library/ubuntu:latest").has_value());
  for (std::string_view input : {"ubuntu", "docker.io/ubuntu", "index.docker.io/library/ubuntu"}) {
    SCOPED_TRACE(input);
    const Result<Reference> ref = ParseNamed(input);
    ASSERT_FALSE(ref.has_value());
    EXPECT_EQ(ref.error().message, "repository name must be canonical");
  }
  EXPECT_EQ(ParseNamed("Nginx").error().message,
            "invalid reference format: repository name (library/Nginx) must be lowercase");
}

TEST(Reference, REF_08_FamiliarKeepsNestedLibraryAndOtherDomains) {
  testing::CoversRule("REF-08");
  EXPECT_EQ((Reference{"docker.io", "library/foo/bar", "", ""}.FamiliarName()), "library/foo/bar");
  EXPECT_EQ((Reference{"docker.io", "library/ubuntu", "18.04", ""}.FamiliarString()),
            "ubuntu:18.04");
  EXPECT_EQ((Reference{"docker.io", "foo/bar", "", ""}.FamiliarName()), "foo/bar");
  EXPECT_EQ((Reference{"Example.com", "library/x", "", ""}.FamiliarName()),
            "Example.com/library/x");
  EXPECT_EQ((Reference{"", "library/x", "", ""}.FamiliarName()), "library/x");
}

TEST(ParseDockerRef, REF_09_DigestWinsLatestAdded) {
  testing::CoversRule("REF-09");
  EXPECT_EQ(ParseDockerRef("nginx")->String(), "docker.io/library/nginx:latest");
  EXPECT_EQ(ParseDockerRef("nginx:1.25")->String(), "docker.io/library/nginx:1.25");
  EXPECT_EQ(ParseDockerRef("nginx:latest@" + std::string(kSha256))->String(),
            "docker.io/library/nginx@" + std::string(kSha256));
  EXPECT_FALSE(ParseDockerRef("Nginx").has_value());
}

TEST(ParseImageName, REF_10_KubeletView) {
  testing::CoversRule("REF-10");
  EXPECT_EQ(ParseImageName("nginx"), (ImageName{"docker.io/library/nginx", "latest", ""}));
  EXPECT_EQ(ParseImageName("nginx@" + std::string(kSha256)),
            (ImageName{"docker.io/library/nginx", "", std::string(kSha256)}));
  EXPECT_EQ(ParseImageName("nginx:1@" + std::string(kSha256)),
            (ImageName{"docker.io/library/nginx", "1", std::string(kSha256)}));
  const Result<ImageName> bad = ParseImageName(" nginx");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "couldn't parse image name \" nginx\": invalid reference format");
}

// REF-10: the image is quoted as Go's %q quotes it.
TEST(ParseImageName, REF_10_QuotesLikeGo) {
  testing::CoversRule("REF-10");
  const struct {
    std::string_view input;
    std::string_view quoted;
  } kCases[] = {
      {std::string_view("a\"b\\c\n\t\x01\x7f", 9), R"("a\"b\\c\n\t\x01\x7f")"},
      {std::string_view("nul\0", 4), R"("nul\x00")"},
      {"\xff\xfe", R"("\xff\xfe")"},
      {"caf\xC3\xA9", "\"caf\xC3\xA9\""},            // é is printable
      {"\xC2\xA0", R"("\u00a0")"},                   // no-break space is not
      {"\xF0\x9F\x90\xB3", "\"\xF0\x9F\x90\xB3\""},  // 🐳
      {"\xF3\xA0\x80\x81", R"("\U000e0001")"},       // a format character
      {"\xED\xA0\x80", R"("\xed\xa0\x80")"},         // a surrogate is invalid UTF-8
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.quoted);
    const Result<ImageName> parsed = ParseImageName(c.input);
    ASSERT_FALSE(parsed.has_value());
    const std::string prefix = "couldn't parse image name " + std::string(c.quoted) + ": ";
    EXPECT_TRUE(parsed.error().message.starts_with(prefix)) << parsed.error().message;
  }
}

TEST(ApplyDefaultImageTag, REF_11_AppendsTagToTheStringAsWritten) {
  testing::CoversRule("REF-11");
  const std::string digest(kSha256);
  EXPECT_EQ(ApplyDefaultImageTag("nginx"), "nginx:latest");
  EXPECT_EQ(ApplyDefaultImageTag("docker.io/nginx"), "docker.io/nginx:latest");
  EXPECT_EQ(ApplyDefaultImageTag("root:tag"), "root:tag");
  EXPECT_EQ(ApplyDefaultImageTag("root@" + digest), "root@" + digest);
  EXPECT_EQ(ApplyDefaultImageTag("root:latest@" + digest), "root:latest@" + digest);
  EXPECT_EQ(ApplyDefaultImageTag("localhost:5000"), "localhost:5000");  // tag "5000"
  const Result<std::string> bad = ApplyDefaultImageTag("Nginx");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "couldn't parse image name \"Nginx\": invalid reference format: repository name "
            "(library/Nginx) must be lowercase");
}

// REF-03: Go's strings.ToLower sees non-ASCII capitals and invalid UTF-8 as upper case too.
TEST(ParseNormalizedNamed, REF_03_NonAsciiCaseFollowsGo) {
  testing::CoversRule("REF-03");
  EXPECT_EQ(ParseNormalizedNamed("\xC3\x89t\xC3\xA9").error().message,  // "Été"
            "invalid reference format: repository name (library/\xC3\x89t\xC3\xA9) must be "
            "lowercase");
  EXPECT_EQ(ParseNormalizedNamed("\xC3\xA9t\xC3\xA9").error().message,  // "été"
            "invalid reference format");
  EXPECT_EQ(ParseNormalizedNamed("a\xFF").error().message,
            "invalid reference format: repository name (library/a\xFF) must be lowercase");
  // Parse: KELVIN SIGN lower-cases to ASCII 'k', so the lower-case string would parse.
  EXPECT_EQ(Parse("\xE2\x84\xAA").error().message, "repository name must be lowercase");
}

}  // namespace
}  // namespace pullsim::reference
