#include "sim/oci/image_builder.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "sim/oci/image_config.h"
#include "sim/oci/image_document.h"
#include "sim/oci/internal/synthetic_bytes.h"
#include "sim/oci/media_type.h"
#include "sim/oci/platform_matcher.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

std::uint32_t Le32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

// Decodes a gzip stream of stored deflate blocks (what the builder writes), checking every
// header, block length, CRC-32 and size on the way. Fails the test on anything else.
std::string Gunzip(std::string_view gz) {
  EXPECT_GE(gz.size(), 23u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[2], 8);  // deflate
  const auto flags = static_cast<unsigned char>(gz[3]);
  EXPECT_EQ(flags & ~0x08, 0);
  std::size_t at = 10;
  if (flags & 0x08) at = gz.find('\0', at) + 1;  // file name
  std::string out;
  while (true) {
    const auto header = static_cast<unsigned char>(gz.at(at));
    EXPECT_EQ(header & 0x06, 0) << "only stored blocks are expected";
    const std::size_t len =
        static_cast<unsigned char>(gz.at(at + 1)) |
        (static_cast<std::size_t>(static_cast<unsigned char>(gz.at(at + 2))) << 8);
    const std::size_t nlen =
        static_cast<unsigned char>(gz.at(at + 3)) |
        (static_cast<std::size_t>(static_cast<unsigned char>(gz.at(at + 4))) << 8);
    EXPECT_EQ(len ^ 0xffff, nlen);
    out.append(gz.substr(at + 5, len));
    at += 5 + len;
    if (header & 1) break;
  }
  EXPECT_EQ(at + 8, gz.size());
  EXPECT_EQ(Le32(gz, at), internal::Crc32(0, out.data(), out.size()));
  EXPECT_EQ(Le32(gz, at + 4), static_cast<std::uint32_t>(out.size()));
  return out;
}

// A ustar archive of one regular file: header checksum, size field and end blocks are right.
void ExpectOneFileTar(std::string_view tar) {
  ASSERT_EQ(tar.size() % 512, 0u);
  ASSERT_GE(tar.size(), 1536u);
  std::string header(tar.substr(0, 512));
  EXPECT_EQ(header.substr(257, 6), std::string("ustar\0", 6));
  const unsigned long stored = std::stoul(header.substr(148, 6), nullptr, 8);
  std::memset(header.data() + 148, ' ', 8);
  unsigned long sum = 0;
  for (unsigned char c : header) sum += c;
  EXPECT_EQ(stored, sum);
  EXPECT_EQ(std::stoull(header.substr(124, 11), nullptr, 8), tar.size() - 1536);
  EXPECT_EQ(tar.substr(tar.size() - 1024), std::string(1024, '\0'));
}

ImageSpec Spec() {
  ImageSpec spec;
  spec.repository = "registry.test/team/app";
  spec.tag = "1.0";
  spec.platforms = {"linux/amd64", "linux/arm64/v8", "linux/arm/v7"};
  spec.base_layers = {{"debian", 100000}};
  spec.layer_sizes = {70000, 23, 1559, 2000};
  spec.seed = 42;
  return spec;
}

TEST(ImageBuilder, ARCH_01_BuildsAnOciIndexOfRealManifests) {
  pullsim::testing::CoversRule("ARCH-01");
  ImageBuilder builder;
  auto image = builder.Build(Spec());
  ASSERT_TRUE(image.has_value()) << image.error().ToString();
  EXPECT_TRUE(image->is_index());
  EXPECT_EQ(image->root.descriptor.media_type, media_type::kOciIndex);
  EXPECT_EQ(image->root.descriptor.digest, Digest::Sha256Of(*image->root.bytes));

  auto index = ParseIndex(*image->root.bytes, media_type::kOciIndex);
  ASSERT_TRUE(index.has_value()) << index.error().ToString();
  ASSERT_EQ(index->manifests.size(), 3u);
  EXPECT_EQ(index->manifests[1].platform, (Platform{"linux", "arm64", "v8", "", {}, {}}));

  for (std::size_t p = 0; p < image->platforms.size(); ++p) {
    SCOPED_TRACE(p);
    const PlatformImage& platform = image->platforms[p];
    EXPECT_EQ(index->manifests[p], platform.manifest.descriptor);
    auto manifest = ParseManifest(*platform.manifest.bytes, media_type::kOciManifest);
    ASSERT_TRUE(manifest.has_value()) << manifest.error().ToString();
    EXPECT_TRUE(VerifyContent(manifest->config, *platform.config.bytes).has_value());
    auto config = ParseImageConfig(*platform.config.bytes);
    ASSERT_TRUE(config.has_value()) << config.error().ToString();
    EXPECT_EQ(config->platform(), platform.platform);
    ASSERT_EQ(manifest->layers.size(), 5u);
    ASSERT_EQ(config->diff_ids.size(), 5u);
    const std::int64_t sizes[] = {100000, 70000, 23, 1559, 2000};
    for (std::size_t i = 0; i < 5; ++i) {
      SCOPED_TRACE(i);
      const Blob& layer = platform.layers[i];
      EXPECT_EQ(manifest->layers[i], layer.descriptor);
      EXPECT_EQ(layer.descriptor.media_type, media_type::kOciLayerGzip);
      EXPECT_EQ(layer.descriptor.size, sizes[i]);
      EXPECT_TRUE(VerifyContent(layer.descriptor, *layer.bytes).has_value());
      // Real gzip; the diff ID is the digest of what it holds; a real tar when there is room.
      const std::string payload = Gunzip(*layer.bytes);
      EXPECT_EQ(config->diff_ids[i], Digest::Sha256Of(payload));
      if (sizes[i] >= 1559) ExpectOneFileTar(payload);
    }
  }
}

TEST(ImageBuilder, SameSpecSameBytesOnEveryRun) {
  ImageBuilder first;
  ImageBuilder second;
  auto a = first.Build(Spec());
  auto b = second.Build(Spec());
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->root.descriptor, b->root.descriptor);
  EXPECT_EQ(*a->root.bytes, *b->root.bytes);
  // Pinned: the bytes must not depend on the machine, compiler or library version. Changing the
  // generator on purpose means updating this digest.
  EXPECT_EQ(a->root.descriptor.digest.str(),
            "sha256:7331e383f1f33ba1ca88e5f23f5d5520b0ecbd3fdc821d9add650260e8d69f0b");

  ImageSpec other = Spec();
  other.seed = 43;
  auto c = first.Build(other);
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(c->root.descriptor.digest, a->root.descriptor.digest);
  // Same base layer, different own layers.
  EXPECT_EQ(c->platforms[0].layers[0].descriptor, a->platforms[0].layers[0].descriptor);
  EXPECT_NE(c->platforms[0].layers[1].descriptor, a->platforms[0].layers[1].descriptor);
}

TEST(ImageBuilder, SharedBaseLayersShareBytesNotCopies) {
  ImageBuilder builder;
  ImageSpec app = Spec();
  ImageSpec other = Spec();
  other.repository = "registry.test/team/other";
  other.layer_sizes = {5000};
  auto a = builder.Build(app);
  auto b = builder.Build(other);
  ASSERT_TRUE(a.has_value() && b.has_value());
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(a->platforms[p].layers[0].bytes.get(), b->platforms[p].layers[0].bytes.get());
  }
  // Per platform the base differs, as a real distribution's base images do.
  EXPECT_NE(a->platforms[0].layers[0].descriptor.digest,
            a->platforms[1].layers[0].descriptor.digest);
  // A 23-byte gzip holds nothing, so the three platforms' 23-byte layers are one blob.
  EXPECT_EQ(a->LayerBytes(), 3 * (100000 + 70000 + 1559 + 2000) + 23);
  const auto all = a->AllBlobs();
  EXPECT_EQ(all.size(), 1u + 3u * (1u + 1u + 5u) - 2u);
  EXPECT_EQ(all.front().descriptor, a->root.descriptor);
}

TEST(ImageBuilder, SinglePlatformIsAPlainManifestUnlessAskedForAnIndex) {
  ImageBuilder builder;
  ImageSpec spec;
  spec.repository = "app";
  spec.layer_sizes = {4096};
  auto plain = builder.Build(spec);
  ASSERT_TRUE(plain.has_value()) << plain.error().ToString();
  EXPECT_FALSE(plain->is_index());
  EXPECT_EQ(plain->root.descriptor.media_type, media_type::kOciManifest);
  EXPECT_FALSE(plain->root.descriptor.platform.has_value());
  EXPECT_EQ(plain->root.descriptor.digest, plain->platforms.at(0).manifest.descriptor.digest);

  spec.index = true;
  auto indexed = builder.Build(spec);
  ASSERT_TRUE(indexed.has_value());
  EXPECT_TRUE(indexed->is_index());
  EXPECT_EQ(indexed->platforms.at(0).manifest.descriptor.digest, plain->root.descriptor.digest);
}

TEST(ImageBuilder, ARCH_01_DockerManifestList) {
  pullsim::testing::CoversRule("ARCH-01");
  ImageBuilder builder;
  ImageSpec spec = Spec();
  spec.format = ImageFormat::kDocker;
  auto image = builder.Build(spec);
  ASSERT_TRUE(image.has_value()) << image.error().ToString();
  EXPECT_EQ(image->root.descriptor.media_type, media_type::kDockerManifestList);
  auto document = ParseImageDocument(*image->root.bytes);
  ASSERT_TRUE(document.has_value()) << document.error().ToString();
  const Index& list = std::get<Index>(*document);
  EXPECT_EQ(list.media_type, media_type::kDockerManifestList);
  auto manifest = ParseManifest(*image->platforms[0].manifest.bytes);
  ASSERT_TRUE(manifest.has_value()) << manifest.error().ToString();
  EXPECT_EQ(manifest->media_type, media_type::kDockerManifest);
  EXPECT_EQ(manifest->config.media_type, media_type::kDockerConfig);
  EXPECT_EQ(manifest->layers[0].media_type, media_type::kDockerLayerGzip);
}

TEST(ImageBuilder, UncompressedLayersAreExactTars) {
  ImageBuilder builder;
  ImageSpec spec;
  spec.repository = "app";
  spec.compression = LayerCompression::kNone;
  spec.layer_sizes = {4096, 100};
  auto image = builder.Build(spec);
  ASSERT_TRUE(image.has_value()) << image.error().ToString();
  const PlatformImage& platform = image->platforms.at(0);
  EXPECT_EQ(platform.layers[0].descriptor.media_type, media_type::kOciLayer);
  ExpectOneFileTar(*platform.layers[0].bytes);
  EXPECT_EQ(platform.layers[1].bytes->size(), 100u);
  auto config = ParseImageConfig(*platform.config.bytes);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->diff_ids.at(0), platform.layers[0].descriptor.digest);
}

TEST(ImageBuilder, ARCH_05_ArchSuffixedImagesShareTheIndexManifests) {
  pullsim::testing::CoversRule("ARCH-05");
  ImageBuilder builder;
  ImageSpec spec;
  spec.repository = "registry.test/pause";
  spec.tag = "3.9";
  spec.platforms = {"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le"};
  spec.layer_sizes = {30000};
  auto images = builder.BuildWithArchSuffixes(spec);
  ASSERT_TRUE(images.has_value()) << images.error().ToString();
  ASSERT_EQ(images->size(), 5u);
  const BuiltImage& pause = (*images)[0];
  EXPECT_EQ(pause.repository, "registry.test/pause");
  EXPECT_TRUE(pause.is_index());
  EXPECT_EQ((*images)[1].repository, "registry.test/pause-amd64");
  EXPECT_EQ((*images)[3].repository, "registry.test/pause-arm-v7");
  EXPECT_EQ((*images)[4].tag, "3.9");

  // An amd64 node pulling `pause` gets the same manifest `pause-amd64` names.
  auto index = ParseIndex(*pause.root.bytes);
  ASSERT_TRUE(index.has_value());
  auto chosen = SelectManifest(index->manifests,
                               PlatformMatcher::Only(Platform{"linux", "amd64", "", "", {}, {}}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(index->manifests[*chosen].digest, (*images)[1].root.descriptor.digest);
  EXPECT_FALSE((*images)[1].is_index());

  spec.platforms = {"linux/amd64", "windows/amd64"};
  auto clash = builder.BuildWithArchSuffixes(spec);
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().where, "platforms[1]");
}

TEST(ImageBuilder, RejectsBadSpecsNamingTheField) {
  struct Case {
    std::string name;
    ImageSpec spec;
    std::string where;
    std::string message_part;
  };
  auto with = [](auto change) {
    ImageSpec spec = Spec();
    change(spec);
    return spec;
  };
  const Case cases[] = {
      {"empty repository", with([](ImageSpec& s) { s.repository.clear(); }), "repository",
       "must not be empty"},
      {"no platforms", with([](ImageSpec& s) { s.platforms.clear(); }), "platforms",
       "at least one platform"},
      {"bad platform", with([](ImageSpec& s) { s.platforms[1] = "linux"; }), "platforms[1]",
       "is not of the form os/arch[/variant]"},
      {"empty variant", with([](ImageSpec& s) { s.platforms[0] = "linux/arm/"; }), "platforms[0]",
       "is not of the form"},
      {"negative layer", with([](ImageSpec& s) { s.layer_sizes[2] = -1; }), "layer_sizes[2]",
       "must not be negative"},
      {"tiny gzip", with([](ImageSpec& s) { s.layer_sizes[0] = 22; }), "layer_sizes[0]",
       "at least 23 bytes"},
      {"huge", with([](ImageSpec& s) { s.base_layers[0].size = std::int64_t{5} << 30; }),
       "base_layers[0].size", "at most 4 GiB"},
      {"docker uncompressed", with([](ImageSpec& s) {
         s.format = ImageFormat::kDocker;
         s.compression = LayerCompression::kNone;
       }),
       "compression", "gzip"},
  };
  for (const Case& bad : cases) {
    SCOPED_TRACE(bad.name);
    ImageBuilder builder;
    auto image = builder.Build(bad.spec);
    ASSERT_FALSE(image.has_value());
    EXPECT_EQ(image.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(image.error().where, bad.where);
    EXPECT_NE(image.error().message.find(bad.message_part), std::string::npos)
        << image.error().ToString();
  }
}

TEST(SyntheticBytes, Crc32AndPrngAreStable) {
  EXPECT_EQ(internal::Crc32(0, "123456789", 9), 0xcbf43926U);  // the standard check value
  const std::string text = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(
      internal::Crc32(internal::Crc32(0, text.data(), 10), text.data() + 10, text.size() - 10),
      internal::Crc32(0, text.data(), text.size()));
  internal::Prng a(7);
  internal::Prng b(7);
  EXPECT_EQ(a.Next(), b.Next());
  EXPECT_EQ(internal::StoredGzipSize(0), 23u);
  EXPECT_EQ(internal::StoredGzipSize(65535), 23u + 65535u);
  EXPECT_EQ(internal::StoredGzipSize(65536), 28u + 65536u);
}

}  // namespace
}  // namespace pullsim::oci
