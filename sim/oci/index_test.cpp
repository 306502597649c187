#include "sim/oci/index.h"

#include <string>

#include <gtest/gtest.h>

#include "sim/oci/image_document.h"
#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

const std::string kAmd64 = "sha256:" + std::string(64, 'a');
const std::string kArm = "sha256:" + std::string(64, 'b');

// A Docker manifest list as Docker Hub serves one (abridged).
std::string ManifestList() {
  return R"({
   "manifests": [
      {
         "digest": ")" +
         kAmd64 + R"(",
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "platform": {"architecture": "amd64", "os": "linux"},
         "size": 527
      },
      {
         "digest": ")" +
         kArm + R"(",
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "platform": {"architecture": "arm", "os": "linux", "variant": "v7"},
         "size": 527
      },
      {
         "digest": ")" +
         kArm + R"(",
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5458",
                      "os.features": ["win32k"]},
         "size": 527
      }
   ],
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "schemaVersion": 2
})";
}

TEST(Index, ParsesDockerManifestListWithPlatforms) {
  pullsim::testing::CoversRule("ARCH-01");
  const std::string bytes = ManifestList();
  auto index = ParseIndex(bytes);
  ASSERT_TRUE(index.has_value()) << index.error().ToString();
  EXPECT_EQ(index->media_type, media_type::kDockerManifestList);
  ASSERT_EQ(index->manifests.size(), 3u);
  EXPECT_EQ(index->manifests[0].digest.str(), kAmd64);
  ASSERT_TRUE(index->manifests[1].platform.has_value());
  EXPECT_EQ(index->manifests[1].platform->architecture, "arm");
  EXPECT_EQ(index->manifests[1].platform->variant, "v7");
  EXPECT_EQ(index->manifests[2].platform->os_version, "10.0.17763.5458");
  EXPECT_EQ(index->manifests[2].platform->os_features, std::vector<std::string>{"win32k"});
  EXPECT_EQ(index->Describe().digest, Digest::Sha256Of(bytes));
}

TEST(Index, EntriesWithoutPlatformOrWithUnknownTypesAreKept) {
  const std::string bytes = R"({"schemaVersion":2,"manifests":[{"mediaType":"application/)"
                            R"(vnd.example.sbom+json","digest":")" +
                            kAmd64 + R"(","size":3,"platform":null}]})";
  auto index = ParseIndex(bytes);
  ASSERT_TRUE(index.has_value()) << index.error().ToString();
  EXPECT_EQ(index->media_type, media_type::kOciIndex);
  EXPECT_FALSE(index->manifests.at(0).platform.has_value());
}

TEST(Index, SerializeRoundTrips) {
  Index index;
  index.media_type = std::string(media_type::kOciIndex);
  Descriptor entry = Describe(media_type::kOciManifest, "m");
  entry.platform = Platform{"linux", "arm64", "v8", "", {}, {}};
  index.manifests.push_back(entry);
  index.manifests.push_back(Describe(media_type::kOciManifest, "attestation"));
  Seal(index);
  auto parsed = ParseIndex(index.raw, media_type::kOciIndex);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->manifests, index.manifests);
  EXPECT_EQ(parsed->raw, index.raw);
}

TEST(Index, RejectsBadEntriesNamingThem) {
  pullsim::testing::CoversRule("ARCH-01");
  struct Case {
    std::string bytes;
    std::string where;
    std::string message_part;
  };
  const std::string head = R"({"schemaVersion":2,"manifests":[)";
  const std::string ok_entry =
      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":")" + kAmd64 +
      R"("})";
  const Case cases[] = {
      {R"({"schemaVersion":2})", "manifests", "missing required field"},
      {R"({"schemaVersion":2,"manifests":{}})", "manifests", "expected an array, got object"},
      {head + ok_entry +
           R"(,{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,)"
           R"("digest":"sha256:zz"}]})",
       "manifests[1].digest", "sha256 needs 64 hex characters"},
      {head + R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":")" +
           kAmd64 + R"(","platform":{"architecture":"amd64"}}]})",
       "manifests[0].platform.os", "missing required field"},
      {head + R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":")" +
           kAmd64 + R"(","platform":{"architecture":"amd64","os":"linux","variant":7}}]})",
       "manifests[0].platform.variant", "expected a string, got integer"},
      {head + ok_entry + R"(],"mediaType":"application/vnd.oci.image.manifest.v1+json"})",
       "mediaType", "is not an image index or manifest list"},
  };
  for (const Case& bad : cases) {
    SCOPED_TRACE(bad.bytes);
    auto index = ParseIndex(bad.bytes);
    ASSERT_FALSE(index.has_value());
    EXPECT_EQ(index.error().where, bad.where) << index.error().ToString();
    EXPECT_NE(index.error().message.find(bad.message_part), std::string::npos)
        << index.error().ToString();
  }
}

TEST(ImageDocument, TellsManifestsFromIndexes) {
  auto list = ParseImageDocument(ManifestList());
  ASSERT_TRUE(list.has_value()) << list.error().ToString();
  EXPECT_TRUE(std::holds_alternative<Index>(*list));

  const std::string manifest =
      R"({"schemaVersion":2,"config":{"mediaType":"a/b","size":1,"digest":")" + kAmd64 +
      R"("},"layers":[]})";
  auto parsed = ParseImageDocument(manifest);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_TRUE(std::holds_alternative<Manifest>(*parsed));
  EXPECT_EQ(DescribeDocument(*parsed).digest, Digest::Sha256Of(manifest));

  auto by_content_type = ParseImageDocument(ManifestList(), media_type::kDockerManifestList);
  ASSERT_TRUE(by_content_type.has_value());
  EXPECT_TRUE(std::holds_alternative<Index>(*by_content_type));

  auto unknown = ParseImageDocument(R"({"schemaVersion":2,"mediaType":"text/plain"})");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().ToString(),
            "mediaType: unknown media type \"text/plain\"; expected an image manifest or an image "
            "index");
  EXPECT_FALSE(ParseImageDocument(ManifestList(), "application/json").has_value());
  EXPECT_FALSE(ParseImageDocument("null").has_value());
}

}  // namespace
}  // namespace pullsim::oci
