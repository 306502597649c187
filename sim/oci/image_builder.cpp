#include "sim/oci/image_builder.h"

#include <cstring>
#include <set>
#include <utility>

#include "sim/oci/image_config.h"
#include "sim/oci/index.h"
#include "sim/oci/internal/json.h"
#include "sim/oci/internal/synthetic_bytes.h"
#include "sim/oci/manifest.h"
#include "sim/oci/media_type.h"

namespace pullsim::oci {
namespace {

using internal::Prng;

constexpr std::uint64_t kTarBlock = 512;
constexpr std::uint64_t kTarOverhead = 3 * kTarBlock;  // one header, two end-of-archive blocks
// The tar size field holds 11 octal digits; larger layers are not wanted in memory anyway.
constexpr std::int64_t kMaxLayerSize = std::int64_t{4} << 30;
constexpr std::uint64_t kMinGzipSize = 23;  // header, one empty stored block, trailer

// The bytes of a layer's uncompressed content, produced in order: a ustar archive holding one
// regular file of random bytes when `tar` is set, else random bytes only.
class Payload {
 public:
  Payload(std::uint64_t size, bool tar, std::uint64_t seed, const std::string& file_name)
      : size_(size), tar_(tar), prng_(seed) {
    if (tar_) WriteHeader(file_name, size - kTarOverhead);
  }

  // Writes the next `count` bytes into `out`.
  void Emit(char* out, std::uint64_t count) {
    while (count > 0) {
      std::uint64_t n = count;
      if (tar_ && position_ < kTarBlock) {
        n = std::min(n, kTarBlock - position_);
        std::memcpy(out, header_ + position_, n);
      } else if (tar_ && position_ >= size_ - 2 * kTarBlock) {
        std::memset(out, 0, n);
      } else {
        if (tar_) n = std::min(n, size_ - 2 * kTarBlock - position_);
        prng_.Fill(out, n);
      }
      out += n;
      position_ += n;
      count -= n;
    }
  }

 private:
  static void Octal(char* field, std::size_t width, std::uint64_t value) {
    // width - 1 digits, zero-padded, then NUL.
    for (std::size_t i = width - 1; i-- > 0;) {
      field[i] = static_cast<char>('0' + (value & 7));
      value >>= 3;
    }
    field[width - 1] = '\0';
  }

  void WriteHeader(const std::string& name, std::uint64_t file_size) {
    std::memset(header_, 0, sizeof(header_));
    std::memcpy(header_, name.data(), std::min<std::size_t>(name.size(), 99));
    Octal(header_ + 100, 8, 0644);           // mode
    Octal(header_ + 108, 8, 0);              // uid
    Octal(header_ + 116, 8, 0);              // gid
    Octal(header_ + 124, 12, file_size);     // size
    Octal(header_ + 136, 12, 0);             // mtime: the epoch, for reproducibility
    std::memset(header_ + 148, ' ', 8);      // checksum counts as spaces while summing
    header_[156] = '0';                      // regular file
    std::memcpy(header_ + 257, "ustar", 6);  // magic with its NUL
    std::memcpy(header_ + 263, "00", 2);     // version
    unsigned sum = 0;
    for (unsigned char c : header_) sum += c;
    Octal(header_ + 148, 7, sum);  // six digits and NUL, then the space already there
  }

  std::uint64_t size_;
  bool tar_;
  Prng prng_;
  std::uint64_t position_ = 0;
  char header_[kTarBlock];
};

std::string ShortHex(std::string_view key) {
  return std::string(Digest::Sha256Of(key).hex().substr(0, 12));
}

void PutLe32(char* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

Error FieldError(std::string where, std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(where)};
}

std::string_view ManifestType(ImageFormat format) {
  return format == ImageFormat::kOci ? media_type::kOciManifest : media_type::kDockerManifest;
}
std::string_view IndexType(ImageFormat format) {
  return format == ImageFormat::kOci ? media_type::kOciIndex : media_type::kDockerManifestList;
}
std::string_view ConfigType(ImageFormat format) {
  return format == ImageFormat::kOci ? media_type::kOciConfig : media_type::kDockerConfig;
}
std::string_view LayerType(ImageFormat format, LayerCompression compression) {
  if (format == ImageFormat::kDocker) return media_type::kDockerLayerGzip;
  return compression == LayerCompression::kGzip ? media_type::kOciLayerGzip : media_type::kOciLayer;
}

Blob MakeBlob(std::string_view media_type, std::string bytes) {
  Blob blob;
  blob.descriptor = Describe(media_type, bytes);
  blob.bytes = std::make_shared<const std::string>(std::move(bytes));
  return blob;
}

}  // namespace

bool BuiltImage::is_index() const { return media_type::IsIndex(root.descriptor.media_type); }

std::vector<Blob> BuiltImage::AllBlobs() const {
  std::vector<Blob> out;
  std::set<Digest> seen;
  auto add = [&](const Blob& blob) {
    if (seen.insert(blob.descriptor.digest).second) out.push_back(blob);
  };
  add(root);
  for (const PlatformImage& image : platforms) {
    add(image.manifest);
    add(image.config);
    for (const Blob& layer : image.layers) add(layer);
  }
  return out;
}

std::int64_t BuiltImage::LayerBytes() const {
  std::set<Digest> seen;
  std::int64_t total = 0;
  for (const PlatformImage& image : platforms) {
    for (const Blob& layer : image.layers) {
      if (seen.insert(layer.descriptor.digest).second) total += layer.descriptor.size;
    }
  }
  return total;
}

Result<ImageBuilder::LayerContent> ImageBuilder::Layer(const std::string& key, std::int64_t size,
                                                       LayerCompression compression) {
  if (auto it = layers_.find(key); it != layers_.end()) return it->second;
  const auto total = static_cast<std::uint64_t>(size);
  const std::uint64_t seed = internal::SeedOf(key);
  const std::string file_name = "pullsim/" + ShortHex(key) + ".bin";
  auto bytes = std::make_shared<std::string>();
  Digester diff_id;

  if (compression == LayerCompression::kNone) {
    const bool tar = total >= kTarOverhead && total % kTarBlock == 0;
    bytes->resize(total);
    Payload payload(total, tar, seed, file_name);
    payload.Emit(bytes->data(), total);
    diff_id.Update(*bytes);
  } else {
    // The largest payload whose stored-gzip stream fits; a whole tar when there is room for one.
    // The bytes left over go into the header's file name field, so the blob is exactly `size`.
    const std::uint64_t blocks =
        (total + internal::kStoredBlockMax - 1) / internal::kStoredBlockMax;
    std::uint64_t payload_size = total > 18 + 5 * blocks ? total - 18 - 5 * blocks : 0;
    while (internal::StoredGzipSize(payload_size + 1) <= total) ++payload_size;
    while (payload_size > 0 && internal::StoredGzipSize(payload_size) > total) --payload_size;
    bool tar = false;
    if (payload_size >= kTarOverhead) {
      payload_size -= payload_size % kTarBlock;
      tar = true;
    }
    const std::uint64_t slack = total - internal::StoredGzipSize(payload_size);
    bytes->resize(total);
    char* out = bytes->data();
    const char header[10] = {'\x1f', '\x8b', 8, static_cast<char>(slack > 0 ? 0x08 : 0), 0, 0, 0, 0,
                             0,      '\xff'};
    std::memcpy(out, header, 10);
    out += 10;
    if (slack > 0) {
      std::memset(out, 'x', slack - 1);  // the file name, then its NUL
      out[slack - 1] = '\0';
      out += slack;
    }
    Payload payload(payload_size, tar, seed, file_name);
    std::uint32_t crc = 0;
    std::uint64_t left = payload_size;
    do {
      const auto n =
          static_cast<std::uint16_t>(std::min<std::uint64_t>(left, internal::kStoredBlockMax));
      const bool final_block = n == left;
      out[0] = final_block ? 1 : 0;
      out[1] = static_cast<char>(n & 0xff);
      out[2] = static_cast<char>(n >> 8);
      out[3] = static_cast<char>(~n & 0xff);
      out[4] = static_cast<char>((~n >> 8) & 0xff);
      out += 5;
      payload.Emit(out, n);
      crc = internal::Crc32(crc, out, n);
      diff_id.Update(std::string_view(out, n));
      out += n;
      left -= n;
    } while (left > 0);
    PutLe32(out, crc);
    PutLe32(out + 4, static_cast<std::uint32_t>(payload_size & 0xffffffffU));
  }

  LayerContent content;
  content.digest = Digest::Sha256Of(*bytes);
  content.diff_id = diff_id.Finish();
  content.bytes = std::move(bytes);
  layers_.emplace(key, content);
  return content;
}

Result<BuiltImage> ImageBuilder::Build(const ImageSpec& spec) {
  if (spec.repository.empty())
    return std::unexpected(FieldError("repository", "must not be empty"));
  if (spec.tag.empty()) return std::unexpected(FieldError("tag", "must not be empty"));
  if (spec.platforms.empty()) {
    return std::unexpected(FieldError("platforms", "at least one platform is needed"));
  }
  if (spec.format == ImageFormat::kDocker && spec.compression == LayerCompression::kNone) {
    return std::unexpected(
        FieldError("compression", "Docker images have gzip layers; use the OCI format"));
  }
  auto check_size = [&](std::int64_t size, const std::string& where) -> Result<void> {
    if (size < 0) return std::unexpected(FieldError(where, "must not be negative"));
    if (size > kMaxLayerSize) {
      return std::unexpected(FieldError(where, "at most 4 GiB, got " + std::to_string(size)));
    }
    if (spec.compression == LayerCompression::kGzip &&
        static_cast<std::uint64_t>(size) < kMinGzipSize) {
      return std::unexpected(
          FieldError(where, "a gzip layer takes at least 23 bytes, got " + std::to_string(size)));
    }
    return {};
  };
  for (std::size_t i = 0; i < spec.base_layers.size(); ++i) {
    const std::string where = internal::JoinPath("base_layers", i);
    if (spec.base_layers[i].name.empty()) {
      return std::unexpected(FieldError(where + ".name", "must not be empty"));
    }
    if (auto ok = check_size(spec.base_layers[i].size, where + ".size"); !ok) {
      return std::unexpected(ok.error());
    }
  }
  for (std::size_t i = 0; i < spec.layer_sizes.size(); ++i) {
    if (auto ok = check_size(spec.layer_sizes[i], internal::JoinPath("layer_sizes", i)); !ok) {
      return std::unexpected(ok.error());
    }
  }

  BuiltImage image;
  image.repository = spec.repository;
  image.tag = spec.tag;
  const std::string compression = spec.compression == LayerCompression::kGzip ? "gzip" : "none";
  for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
    const std::string& platform_text = spec.platforms[p];
    auto platform = SplitPlatform(platform_text);
    if (!platform || platform->os.empty() || platform->architecture.empty() ||
        (platform_text.find('/') != platform_text.rfind('/') && platform->variant.empty())) {
      return std::unexpected(
          FieldError(internal::JoinPath("platforms", p),
                     internal::Quote(platform_text) + " is not of the form os/arch[/variant]"));
    }
    PlatformImage built;
    built.platform = *platform;

    ImageConfig config;
    config.architecture = platform->architecture;
    config.os = platform->os;
    config.variant = platform->variant;
    config.created = "1970-01-01T00:00:00Z";
    config.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
    config.cmd = {"/pullsim/app"};
    config.labels = {{"pullsim.image", spec.repository + ":" + spec.tag},
                     {"pullsim.platform", platform_text},
                     {"pullsim.seed", std::to_string(spec.seed)}};

    auto add_layer = [&](const std::string& key, std::int64_t size) -> Result<void> {
      auto content = Layer(key + "|" + compression, size, spec.compression);
      if (!content) return std::unexpected(content.error());
      Blob layer;
      layer.descriptor.media_type = std::string(LayerType(spec.format, spec.compression));
      layer.descriptor.digest = content->digest;
      layer.descriptor.size = size;
      layer.bytes = content->bytes;
      built.layers.push_back(std::move(layer));
      config.diff_ids.push_back(content->diff_id);
      return {};
    };
    for (const BaseLayer& base : spec.base_layers) {
      auto ok = add_layer(
          "base|" + base.name + "|" + platform_text + "|" + std::to_string(base.size), base.size);
      if (!ok) return std::unexpected(ok.error());
    }
    for (std::size_t i = 0; i < spec.layer_sizes.size(); ++i) {
      auto ok = add_layer("layer|" + std::to_string(spec.seed) + "|" + spec.repository + "|" +
                              spec.tag + "|" + platform_text + "|" + std::to_string(i) + "|" +
                              std::to_string(spec.layer_sizes[i]),
                          spec.layer_sizes[i]);
      if (!ok) return std::unexpected(ok.error());
    }

    built.config = MakeBlob(ConfigType(spec.format), SerializeImageConfig(config));
    Manifest manifest;
    manifest.media_type = std::string(ManifestType(spec.format));
    manifest.config = built.config.descriptor;
    for (const Blob& layer : built.layers) manifest.layers.push_back(layer.descriptor);
    built.manifest = MakeBlob(manifest.media_type, SerializeManifest(manifest));
    built.manifest.descriptor.platform = *platform;
    image.platforms.push_back(std::move(built));
  }

  if (spec.platforms.size() == 1 && !spec.index) {
    image.root = image.platforms.front().manifest;
    image.root.descriptor.platform.reset();
    return image;
  }
  Index index;
  index.media_type = std::string(IndexType(spec.format));
  for (const PlatformImage& built : image.platforms) {
    index.manifests.push_back(built.manifest.descriptor);
  }
  image.root = MakeBlob(index.media_type, SerializeIndex(index));
  return image;
}

Result<std::vector<BuiltImage>> ImageBuilder::BuildWithArchSuffixes(const ImageSpec& spec) {
  ImageSpec multi = spec;
  multi.index = true;
  auto index = Build(multi);
  if (!index) return std::unexpected(index.error());
  std::vector<BuiltImage> out;
  std::map<std::string, std::string> names;  // suffixed repository -> platform that took it
  for (std::size_t p = 0; p < index->platforms.size(); ++p) {
    const PlatformImage& platform_image = index->platforms[p];
    std::string repository = spec.repository + "-" + platform_image.platform.architecture;
    if (!platform_image.platform.variant.empty()) {
      repository += "-" + platform_image.platform.variant;
    }
    auto [it, inserted] = names.emplace(repository, spec.platforms[p]);
    if (!inserted) {
      return std::unexpected(FieldError(internal::JoinPath("platforms", p),
                                        internal::Quote(spec.platforms[p]) + " and " +
                                            internal::Quote(it->second) + " would both be named " +
                                            internal::Quote(repository)));
    }
    BuiltImage single;
    single.repository = std::move(repository);
    single.tag = spec.tag;
    single.root = platform_image.manifest;
    single.root.descriptor.platform.reset();
    single.platforms = {platform_image};
    out.push_back(std::move(single));
  }
  out.insert(out.begin(), std::move(*index));
  return out;
}

}  // namespace pullsim::oci
