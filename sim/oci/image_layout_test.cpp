#include "sim/oci/image_layout.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test under the build tree.
fs::path FreshDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(PULLSIM_BINARY_DIR) / "test-tmp" / "image_layout" /
                       (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

BuiltImage Image(ImageBuilder& builder) {
  ImageSpec spec;
  spec.repository = "registry.test/app";
  spec.tag = "1.0";
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.base_layers = {{"base", 3000}};
  spec.layer_sizes = {5000};
  auto image = builder.Build(spec);
  EXPECT_TRUE(image.has_value());
  return *image;
}

void WriteText(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(ImageLayout, ARCH_01_WritesAndReadsBackEveryBlob) {
  pullsim::testing::CoversRule("ARCH-01");
  ImageBuilder builder;
  const BuiltImage image = Image(builder);
  ImageLayout layout;
  AddImage(layout, image);
  AddImage(layout, image, "latest");
  EXPECT_EQ(layout.index.manifests.size(), 2u);
  AddImage(layout, image, "latest");  // replaces, does not duplicate
  EXPECT_EQ(layout.index.manifests.size(), 2u);

  const fs::path dir = FreshDir();
  ASSERT_TRUE(WriteImageLayout(dir, layout).has_value());
  EXPECT_TRUE(fs::exists(dir / "oci-layout"));
  EXPECT_TRUE(
      fs::exists(dir / "blobs" / "sha256" / std::string(image.root.descriptor.digest.hex())));

  auto read = ReadImageLayout(dir);
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->index.raw, layout.index.raw);
  const Descriptor* entry = read->Find("1.0");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->digest, image.root.descriptor.digest);
  EXPECT_EQ(entry->media_type, media_type::kOciIndex);
  EXPECT_EQ(read->Find("2.0"), nullptr);
  for (const Blob& blob : image.AllBlobs()) {
    SCOPED_TRACE(blob.descriptor.digest.str());
    const BlobBytes bytes = read->Bytes(blob.descriptor.digest);
    ASSERT_NE(bytes, nullptr);
    EXPECT_EQ(*bytes, *blob.bytes);
  }
  EXPECT_EQ(read->blobs.size(), image.AllBlobs().size());
}

TEST(ImageLayout, ReadNamesTheBrokenBlob) {
  ImageBuilder builder;
  const BuiltImage image = Image(builder);
  ImageLayout layout;
  AddImage(layout, image);
  const fs::path dir = FreshDir();
  ASSERT_TRUE(WriteImageLayout(dir, layout).has_value());

  const Blob& layer = image.platforms[1].layers[1];
  const fs::path layer_path = dir / "blobs" / "sha256" / std::string(layer.descriptor.digest.hex());
  std::string corrupt = *layer.bytes;
  corrupt[100] = static_cast<char>(corrupt[100] ^ 1);
  WriteText(layer_path, corrupt);
  auto flipped = ReadImageLayout(dir);
  ASSERT_FALSE(flipped.has_value());
  EXPECT_EQ(flipped.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(flipped.error().where, layer_path.string());
  EXPECT_NE(
      flipped.error().message.find("digest mismatch: expected " + layer.descriptor.digest.str()),
      std::string::npos)
      << flipped.error().ToString();
  EXPECT_NE(flipped.error().message.find("layers[1] of manifest " +
                                         image.platforms[1].manifest.descriptor.digest.str()),
            std::string::npos)
      << flipped.error().ToString();

  WriteText(layer_path, corrupt.substr(1));
  auto truncated = ReadImageLayout(dir);
  ASSERT_FALSE(truncated.has_value());
  EXPECT_NE(truncated.error().message.find("size mismatch"), std::string::npos);

  fs::remove(layer_path);
  auto missing = ReadImageLayout(dir);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("file is missing"), std::string::npos);
}

TEST(ImageLayout, ReadChecksTheLayoutFiles) {
  const fs::path dir = FreshDir();
  auto empty = ReadImageLayout(dir);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(empty.error().where, (dir / "oci-layout").string());

  WriteText(dir / "oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
  auto version = ReadImageLayout(dir);
  ASSERT_FALSE(version.has_value());
  EXPECT_NE(version.error().message.find("unsupported imageLayoutVersion \"2.0.0\""),
            std::string::npos);

  WriteText(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  WriteText(dir / "index.json", R"({"schemaVersion":2,"manifests":[{"mediaType":"a/b"}]})");
  auto bad_index = ReadImageLayout(dir);
  ASSERT_FALSE(bad_index.has_value());
  EXPECT_EQ(bad_index.error().where, (dir / "index.json").string() + " manifests[0].digest");
}

TEST(ImageLayout, WriteRefusesInconsistentContent) {
  ImageBuilder builder;
  const BuiltImage image = Image(builder);
  ImageLayout layout;
  AddImage(layout, image);
  const Digest victim = image.platforms[0].config.descriptor.digest;
  layout.blobs[victim] = std::make_shared<const std::string>("not the config");
  const fs::path dir = FreshDir() / "out";
  auto written = WriteImageLayout(dir, layout);
  ASSERT_FALSE(written.has_value());
  EXPECT_NE(written.error().message.find("digest mismatch: expected " + victim.str()),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "index.json"));

  ImageLayout dangling;
  AddImage(dangling, image);
  dangling.blobs.erase(image.root.descriptor.digest);
  EXPECT_FALSE(WriteImageLayout(dir, dangling).has_value());
}

}  // namespace
}  // namespace pullsim::oci
