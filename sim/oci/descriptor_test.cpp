#include "sim/oci/descriptor.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/oci/image_config.h"
#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

TEST(Descriptor, DescribesAndVerifiesContent) {
  const Descriptor descriptor = Describe(media_type::kOciLayer, "hello");
  EXPECT_EQ(descriptor.size, 5);
  EXPECT_EQ(descriptor.digest, Digest::Sha256Of("hello"));
  EXPECT_TRUE(VerifyContent(descriptor, "hello").has_value());

  auto short_content = VerifyContent(descriptor, "hell");
  ASSERT_FALSE(short_content.has_value());
  EXPECT_EQ(short_content.error().message, "content " + descriptor.digest.str() +
                                               ": size mismatch: descriptor says 5 bytes, got 4");

  auto other = VerifyContent(descriptor, "jello");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("digest mismatch: expected " + descriptor.digest.str() +
                                       ", got " + Digest::Sha256Of("jello").str()),
            std::string::npos);
}

TEST(Descriptor, JsonRoundTripKeepsOptionalFields) {
  Descriptor descriptor = Describe(media_type::kOciManifest, "x");
  descriptor.urls = {"https://example.test/blob"};
  descriptor.annotations = {{"org.opencontainers.image.ref.name", "1.0"}};
  descriptor.artifact_type = "application/vnd.example";
  descriptor.platform = Platform{"windows", "amd64", "", "10.0.1", {"win32k"}, {"sse4"}};
  const nlohmann::json json = DescriptorToJson(descriptor);
  auto parsed = DescriptorFromJson(json, "d");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, descriptor);
  EXPECT_EQ(json["platform"]["os.version"], "10.0.1");
}

TEST(MediaType, ClassifiesAndChecksSyntax) {
  pullsim::testing::CoversRule("ARCH-01");
  EXPECT_TRUE(media_type::IsIndex(media_type::kOciIndex));
  EXPECT_TRUE(media_type::IsIndex(media_type::kDockerManifestList));
  EXPECT_FALSE(media_type::IsIndex(media_type::kOciManifest));
  EXPECT_TRUE(media_type::IsManifest(media_type::kDockerManifest));
  EXPECT_TRUE(media_type::IsImageConfig(media_type::kDockerConfig));
  EXPECT_TRUE(media_type::IsLayer("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"));
  EXPECT_FALSE(media_type::IsLayer(media_type::kOciConfig));
  EXPECT_TRUE(media_type::IsDocker(media_type::kDockerLayerGzip));

  EXPECT_TRUE(media_type::CheckSyntax("application/vnd.oci.image.layer.v1.tar+gzip").has_value());
  for (std::string_view bad : {"", "application", "/json", "application/", "a/b/c", "a b/c", "+a/b",
                               "a/b;charset=utf-8"}) {
    SCOPED_TRACE(bad);
    auto result = media_type::CheckSyntax(bad);
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().message.find("is not of the form type/subtype"), std::string::npos);
  }
  EXPECT_FALSE(media_type::CheckSyntax("a/" + std::string(128, 'b')).has_value());
}

TEST(ImageConfig, ParsesDockerConfigWithNulls) {
  const std::string bytes = R"({"architecture":"arm","os":"linux","variant":"v7",
    "config":{"Env":["PATH=/bin"],"Cmd":["/pause"],"Entrypoint":null,"Labels":null},
    "created":"2024-01-01T00:00:00Z",
    "rootfs":{"type":"layers","diff_ids":[")" +
                            Digest::Sha256Of("layer").str() + R"("]},
    "history":[{"created_by":"ARG ARCH"}]})";
  auto config = ParseImageConfig(bytes);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->platform(), (Platform{"linux", "arm", "v7", "", {}, {}}));
  EXPECT_EQ(config->cmd, std::vector<std::string>{"/pause"});
  EXPECT_TRUE(config->entrypoint.empty());
  EXPECT_EQ(config->diff_ids.at(0), Digest::Sha256Of("layer"));
  EXPECT_EQ(config->raw, bytes);

  auto again = ParseImageConfig(SerializeImageConfig(*config));
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(again->platform(), config->platform());
  EXPECT_EQ(again->diff_ids, config->diff_ids);
  EXPECT_EQ(again->created, config->created);
}

TEST(ImageConfig, RejectsMissingPlatformAndBadRootfs) {
  struct Case {
    std::string bytes;
    std::string where;
    std::string message_part;
  };
  const Case cases[] = {
      {R"({"os":"linux","rootfs":{"type":"layers","diff_ids":[]}})", "architecture",
       "missing required field"},
      {R"({"architecture":"amd64","os":"linux"})", "rootfs", "missing required field"},
      {R"({"architecture":"amd64","os":"linux","rootfs":{"type":"tar","diff_ids":[]}})",
       "rootfs.type", "must be \"layers\""},
      {R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["x"]}})",
       "rootfs.diff_ids[0]", "digest \"x\""},
      {R"({"architecture":"amd64","os":"linux","config":{"Env":"A=1"},"rootfs":{"type":"layers"}})",
       "config.Env", "expected an array of strings, got string"},
  };
  for (const Case& bad : cases) {
    SCOPED_TRACE(bad.bytes);
    auto config = ParseImageConfig(bad.bytes);
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().where, bad.where) << config.error().ToString();
    EXPECT_NE(config.error().message.find(bad.message_part), std::string::npos)
        << config.error().ToString();
  }
}

}  // namespace
}  // namespace pullsim::oci
