#include "sim/oci/manifest.h"

#include <string>

#include <gtest/gtest.h>

#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

const std::string kConfigDigest =
    "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
const std::string kLayerDigest =
    "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0";

// Pretty-printed, as registries often serve it: the digest must be of these bytes exactly.
std::string OciManifest(std::string_view layer_digest = kLayerDigest,
                        std::string_view size = "32654") {
  return R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {
    "mediaType": "application/vnd.oci.image.config.v1+json",
    "digest": ")" +
         kConfigDigest + R"(",
    "size": 7023
  },
  "layers": [
    {
      "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
      "digest": ")" +
         std::string(layer_digest) + R"(",
      "size": )" +
         std::string(size) + R"(
    }
  ],
  "annotations": {"com.example.key1": "value1"},
  "x-unknown-extension": {"ignored": [1, 2, 3]}
})";
}

TEST(Manifest, ParsesOciManifestAndKeepsExactBytes) {
  pullsim::testing::CoversRule("ARCH-01");
  const std::string bytes = OciManifest();
  auto manifest = ParseManifest(bytes);
  ASSERT_TRUE(manifest.has_value()) << manifest.error().ToString();
  EXPECT_EQ(manifest->schema_version, 2);
  EXPECT_EQ(manifest->media_type, media_type::kOciManifest);
  EXPECT_EQ(manifest->config.media_type, media_type::kOciConfig);
  EXPECT_EQ(manifest->config.digest.str(), kConfigDigest);
  EXPECT_EQ(manifest->config.size, 7023);
  ASSERT_EQ(manifest->layers.size(), 1u);
  EXPECT_EQ(manifest->layers[0].digest.str(), kLayerDigest);
  EXPECT_EQ(manifest->layers[0].size, 32654);
  EXPECT_EQ(manifest->annotations.at("com.example.key1"), "value1");

  EXPECT_EQ(manifest->raw, bytes);
  const Descriptor descriptor = manifest->Describe();
  EXPECT_EQ(descriptor.digest, Digest::Sha256Of(bytes));
  EXPECT_EQ(descriptor.size, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(descriptor.media_type, media_type::kOciManifest);
  // The canonical serialisation differs from the served bytes, and so does its digest.
  EXPECT_NE(SerializeManifest(*manifest), bytes);
}

TEST(Manifest, ParsesDockerSchema2) {
  const std::string bytes =
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
      R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,)"
      R"("digest":")" +
      kConfigDigest +
      R"("},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip",)"
      R"("size":2479,"digest":")" +
      kLayerDigest + R"("}]})";
  auto manifest = ParseManifest(bytes, media_type::kDockerManifest);
  ASSERT_TRUE(manifest.has_value()) << manifest.error().ToString();
  EXPECT_EQ(manifest->media_type, media_type::kDockerManifest);
  EXPECT_EQ(manifest->layers.at(0).media_type, media_type::kDockerLayerGzip);
}

TEST(Manifest, MediaTypeComesFromContentTypeWhenAbsent) {
  const std::string bytes =
      R"({"schemaVersion":2,"config":{"mediaType":"a/b","size":1,"digest":")" + kConfigDigest +
      R"("},"layers":[]})";
  auto oci = ParseManifest(bytes);
  ASSERT_TRUE(oci.has_value()) << oci.error().ToString();
  EXPECT_EQ(oci->media_type, media_type::kOciManifest);
  auto docker = ParseManifest(bytes, media_type::kDockerManifest);
  ASSERT_TRUE(docker.has_value()) << docker.error().ToString();
  EXPECT_EQ(docker->media_type, media_type::kDockerManifest);
}

TEST(Manifest, SerializeRoundTrips) {
  Manifest manifest;
  manifest.media_type = std::string(media_type::kOciManifest);
  manifest.config = Describe(media_type::kOciConfig, "{}");
  manifest.layers.push_back(Describe(media_type::kOciLayerGzip, "layer-bytes"));
  manifest.annotations["a"] = "b";
  const Descriptor descriptor = Seal(manifest);
  EXPECT_EQ(descriptor.digest, Digest::Sha256Of(manifest.raw));

  auto parsed = ParseManifest(manifest.raw);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->config, manifest.config);
  EXPECT_EQ(parsed->layers, manifest.layers);
  EXPECT_EQ(parsed->annotations, manifest.annotations);
  EXPECT_EQ(SerializeManifest(*parsed), manifest.raw);
}

struct BadManifest {
  std::string name;
  std::string bytes;
  std::string content_type;
  std::string where;
  std::string message_part;
};

TEST(Manifest, RejectsInconsistentDocumentsNamingTheField) {
  pullsim::testing::CoversRule("ARCH-01");
  const std::string good = OciManifest();
  auto replace = [&](std::string_view from, std::string_view to) {
    std::string out = good;
    const std::size_t at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    out.replace(at, from.size(), to);
    return out;
  };
  const std::string upper_digest = "sha256:" + std::string(64, 'A');
  const BadManifest cases[] = {
      {"unknown media type",
       replace("application/vnd.oci.image.manifest.v1+json", "application/vnd.example+json"), "",
       "mediaType", "unknown media type \"application/vnd.example+json\""},
      {"index media type",
       replace("application/vnd.oci.image.manifest.v1+json",
               "application/vnd.oci.image.index.v1+json"),
       "", "mediaType", "is not an image manifest"},
      {"content type mismatch", good, std::string(media_type::kDockerManifest), "mediaType",
       "contradicts the content type"},
      {"index content type", good, std::string(media_type::kOciIndex), "",
       "content type: media type \"application/vnd.oci.image.index.v1+json\" is not an image "
       "manifest"},
      {"schema 1", replace("\"schemaVersion\": 2", "\"schemaVersion\": 1"), "", "schemaVersion",
       "Docker schema 1 is not supported"},
      {"schema version string", replace("\"schemaVersion\": 2", "\"schemaVersion\": \"2\""), "",
       "schemaVersion", "expected an integer, got string"},
      {"missing schema version", replace("\"schemaVersion\": 2,", ""), "", "schemaVersion",
       "missing required field"},
      {"missing config", R"({"schemaVersion":2,"layers":[]})", "", "config",
       "missing required field"},
      {"missing layers", replace("\"layers\"", "\"layerz\""), "", "layers",
       "missing required field"},
      {"config not object", R"({"schemaVersion":2,"config":[],"layers":[]})", "", "config",
       "expected an object, got array"},
      {"uppercase digest", OciManifest(upper_digest), "", "layers[0].digest",
       "hex must be lowercase"},
      {"short digest", OciManifest("sha256:abc"), "", "layers[0].digest",
       "sha256 needs 64 hex characters, got 3"},
      {"negative size", OciManifest(kLayerDigest, "-1"), "", "layers[0].size",
       "must not be negative"},
      {"string size", OciManifest(kLayerDigest, "\"32654\""), "", "layers[0].size",
       "expected an integer, got string"},
      {"float size", OciManifest(kLayerDigest, "1.5"), "", "layers[0].size",
       "expected an integer, got number"},
      {"missing layer media type",
       replace("\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\",", ""), "",
       "layers[0].mediaType", "missing required field"},
      {"malformed layer media type",
       replace("application/vnd.oci.image.layer.v1.tar+gzip", "not a media type"), "",
       "layers[0].mediaType", "is not of the form type/subtype"},
      {"annotation not string", replace("\"value1\"", "1"), "", "annotations.com.example.key1",
       "expected a string, got integer"},
      {"duplicate key", replace("\"size\": 7023", "\"size\": 7023, \"size\": 7024"), "",
       "config.size", "duplicate key \"size\""},
      {"not an object", "[]", "", "(document)", "expected an object, got array"},
      {"truncated", good.substr(0, good.size() / 2), "", "", "is not valid JSON"},
  };
  for (const BadManifest& bad : cases) {
    SCOPED_TRACE(bad.name);
    auto manifest = ParseManifest(bad.bytes, bad.content_type);
    ASSERT_FALSE(manifest.has_value());
    EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(manifest.error().where, bad.where) << manifest.error().ToString();
    EXPECT_NE(manifest.error().message.find(bad.message_part), std::string::npos)
        << manifest.error().ToString();
  }
}

TEST(Manifest, RejectsHostileSizes) {
  // A 100 MB manifest: refused by size before any parsing.
  std::string huge = R"({"schemaVersion":2,"annotations":{"a":")";
  huge.append(100u << 20, 'x');
  huge += R"("}})";
  auto manifest = ParseManifest(huge);
  ASSERT_FALSE(manifest.has_value());
  EXPECT_NE(manifest.error().message.find("image manifest is 104857642 bytes"), std::string::npos)
      << manifest.error().message;

  std::string nested = R"({"schemaVersion":2,"annotations":)";
  nested += std::string(100000, '[') + std::string(100000, ']') + "}";
  auto deep = ParseManifest(nested);
  ASSERT_FALSE(deep.has_value());
  EXPECT_NE(deep.error().message.find("nested deeper than 64 levels"), std::string::npos);
}

}  // namespace
}  // namespace pullsim::oci
