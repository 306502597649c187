#include "sim/oci/image_layout.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/oci/internal/json.h"
#include "sim/oci/manifest.h"
#include "sim/oci/media_type.h"

namespace pullsim::oci {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLayoutVersion = "1.0.0";
// Nested indexes deeper than this are refused rather than followed.
constexpr int kMaxIndexDepth = 8;

fs::path BlobPath(const fs::path& dir, const Digest& digest) {
  return dir / "blobs" / std::string(digest.algorithm_name()) / std::string(digest.hex());
}

Error IoError(const fs::path& path, std::string_view what, const std::error_code& ec) {
  return Error{ErrorCode::kUnavailable,
               std::string(what) + (ec ? ": " + ec.message() : std::string()), path.string()};
}

Result<void> WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return std::unexpected(IoError(path, "cannot create file", {}));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return std::unexpected(IoError(path, "cannot write file", {}));
  return {};
}

// Reads `path`, which must hold exactly `expected_size` bytes when given (checked before
// reading, so a wrong file is never loaded whole).
Result<std::string> ReadFile(const fs::path& path, std::optional<std::uint64_t> expected_size,
                             std::uint64_t max_size) {
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (ec) return std::unexpected(IoError(path, "cannot stat file", ec));
  if (!exists) return Fail(ErrorCode::kNotFound, "file is missing", path.string());
  if (!fs::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "not a regular file", path.string());
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return std::unexpected(IoError(path, "cannot stat file", ec));
  if (expected_size && size != *expected_size) {
    return Fail(ErrorCode::kInvalidArgument,
                "size mismatch: descriptor says " + std::to_string(*expected_size) +
                    " bytes, file has " + std::to_string(size),
                path.string());
  }
  if (size > max_size) {
    return Fail(ErrorCode::kInvalidArgument,
                "file is " + std::to_string(size) + " bytes; at most " + std::to_string(max_size) +
                    " expected",
                path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(IoError(path, "cannot open file", {}));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) {
    return std::unexpected(IoError(path, "short read", {}));
  }
  return bytes;
}

Error Relabel(Error error, const std::string& where) {
  error.where = error.where.empty() ? where : where + " " + error.where;
  return error;
}

class LayoutReader {
 public:
  LayoutReader(fs::path dir, ImageLayout& layout) : dir_(std::move(dir)), layout_(layout) {}

  // Reads and checks the blob of `descriptor` and, for manifests and indexes, what it names.
  // `referrer` says which document needs it, for errors.
  Result<void> Visit(const Descriptor& descriptor, const std::string& referrer, int depth) {
    if (!visited_.insert(descriptor.digest).second) return {};
    const fs::path path = BlobPath(dir_, descriptor.digest);
    const std::string label = "blob " + descriptor.digest.str() + " (" + referrer + ")";
    const bool is_document =
        media_type::IsIndex(descriptor.media_type) || media_type::IsManifest(descriptor.media_type);
    auto bytes = ReadFile(path, static_cast<std::uint64_t>(descriptor.size),
                          is_document ? internal::kMaxDocumentBytes : UINT64_MAX);
    if (!bytes) {
      // Foreign (non-distributable) layers live at their URLs, not in the layout.
      if (bytes.error().code == ErrorCode::kNotFound && !descriptor.urls.empty()) return {};
      Error error = bytes.error();
      error.message = label + ": " + error.message;
      return std::unexpected(std::move(error));
    }
    if (auto ok = VerifyDigest(descriptor.digest, *bytes, label); !ok) {
      return std::unexpected(Relabel(ok.error(), path.string()));
    }
    auto shared = std::make_shared<const std::string>(std::move(*bytes));
    layout_.blobs.emplace(descriptor.digest, shared);

    const std::string name = descriptor.digest.str();
    if (media_type::IsIndex(descriptor.media_type)) {
      if (depth >= kMaxIndexDepth) {
        return Fail(ErrorCode::kInvalidArgument,
                    "indexes nested deeper than " + std::to_string(kMaxIndexDepth) + " levels",
                    path.string());
      }
      auto index = ParseIndex(*shared, descriptor.media_type);
      if (!index) return std::unexpected(Relabel(index.error(), path.string()));
      for (std::size_t i = 0; i < index->manifests.size(); ++i) {
        auto ok = Visit(index->manifests[i],
                        "manifests[" + std::to_string(i) + "] of index " + name, depth + 1);
        if (!ok) return ok;
      }
    } else if (media_type::IsManifest(descriptor.media_type)) {
      auto manifest = ParseManifest(*shared, descriptor.media_type);
      if (!manifest) return std::unexpected(Relabel(manifest.error(), path.string()));
      if (auto ok = Visit(manifest->config, "config of manifest " + name, depth + 1); !ok) {
        return ok;
      }
      for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
        auto ok = Visit(manifest->layers[i],
                        "layers[" + std::to_string(i) + "] of manifest " + name, depth + 1);
        if (!ok) return ok;
      }
    }
    return {};
  }

 private:
  fs::path dir_;
  ImageLayout& layout_;
  std::set<Digest> visited_;
};

}  // namespace

const Descriptor* ImageLayout::Find(std::string_view ref_name) const {
  for (const Descriptor& entry : index.manifests) {
    const auto it = entry.annotations.find(std::string(kRefNameAnnotation));
    if (it != entry.annotations.end() && it->second == ref_name) return &entry;
  }
  return nullptr;
}

BlobBytes ImageLayout::Bytes(const Digest& digest) const {
  const auto it = blobs.find(digest);
  return it == blobs.end() ? nullptr : it->second;
}

void AddImage(ImageLayout& layout, const BuiltImage& image, std::string ref_name) {
  if (ref_name.empty()) ref_name = image.tag;
  for (const Blob& blob : image.AllBlobs())
    layout.blobs.emplace(blob.descriptor.digest, blob.bytes);
  Descriptor entry = image.root.descriptor;
  entry.annotations[std::string(kRefNameAnnotation)] = ref_name;
  auto& manifests = layout.index.manifests;
  manifests.erase(
      std::remove_if(manifests.begin(), manifests.end(),
                     [&](const Descriptor& existing) {
                       const auto it = existing.annotations.find(std::string(kRefNameAnnotation));
                       return it != existing.annotations.end() && it->second == ref_name;
                     }),
      manifests.end());
  manifests.push_back(std::move(entry));
  layout.index.schema_version = 2;
  layout.index.media_type = std::string(media_type::kOciIndex);
  Seal(layout.index);
}

Result<void> WriteImageLayout(const fs::path& dir, const ImageLayout& layout) {
  // Check before touching the disk: a layout is written consistent or not at all.
  for (const auto& [digest, bytes] : layout.blobs) {
    if (bytes == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "blob " + digest.str() + " has no bytes");
    }
    if (auto ok = VerifyDigest(digest, *bytes, "blob " + digest.str()); !ok) return ok;
  }
  for (const Descriptor& entry : layout.index.manifests) {
    if (!layout.blobs.contains(entry.digest)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "index.json names " + entry.digest.str() + ", which the layout does not hold");
    }
  }
  std::error_code ec;
  for (const fs::path& sub : {dir / "blobs" / "sha256", dir / "blobs" / "sha512"}) {
    fs::create_directories(sub, ec);
    if (ec) return std::unexpected(IoError(sub, "cannot create directory", ec));
  }
  if (auto ok = WriteFile(dir / "oci-layout",
                          R"({"imageLayoutVersion":")" + std::string(kLayoutVersion) + "\"}");
      !ok) {
    return ok;
  }
  for (const auto& [digest, bytes] : layout.blobs) {
    if (auto ok = WriteFile(BlobPath(dir, digest), *bytes); !ok) return ok;
  }
  const std::string index_json =
      layout.index.raw.empty() ? SerializeIndex(layout.index) : layout.index.raw;
  return WriteFile(dir / "index.json", index_json);
}

Result<ImageLayout> ReadImageLayout(const fs::path& dir) {
  const fs::path marker = dir / "oci-layout";
  auto marker_bytes = ReadFile(marker, std::nullopt, internal::kMaxDocumentBytes);
  if (!marker_bytes) return std::unexpected(marker_bytes.error());
  auto marker_json = internal::ParseStrictJson(*marker_bytes, "oci-layout");
  if (!marker_json) return std::unexpected(Relabel(marker_json.error(), marker.string()));
  auto marker_fields = internal::Fields::Of(*marker_json, "");
  if (!marker_fields) return std::unexpected(Relabel(marker_fields.error(), marker.string()));
  auto version = marker_fields->String("imageLayoutVersion");
  if (!version) return std::unexpected(Relabel(version.error(), marker.string()));
  if (*version != kLayoutVersion) {
    return Fail(ErrorCode::kInvalidArgument,
                "unsupported imageLayoutVersion " + internal::Quote(*version) + " (expected " +
                    std::string(kLayoutVersion) + ")",
                marker.string() + " imageLayoutVersion");
  }

  const fs::path index_path = dir / "index.json";
  auto index_bytes = ReadFile(index_path, std::nullopt, internal::kMaxDocumentBytes);
  if (!index_bytes) return std::unexpected(index_bytes.error());
  ImageLayout layout;
  auto index = ParseIndex(*index_bytes);
  if (!index) return std::unexpected(Relabel(index.error(), index_path.string()));
  layout.index = std::move(*index);

  LayoutReader reader(dir, layout);
  for (std::size_t i = 0; i < layout.index.manifests.size(); ++i) {
    auto ok = reader.Visit(layout.index.manifests[i],
                           "manifests[" + std::to_string(i) + "] of index.json", 0);
    if (!ok) return std::unexpected(ok.error());
  }
  return layout;
}

}  // namespace pullsim::oci
