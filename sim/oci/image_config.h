#pragma once
// The image config (image-spec config.md; Docker's container image JSON): the platform the image
// was built for and the diff IDs of its layers. Like manifests, a parsed config keeps its bytes.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/digest.h"
#include "sim/oci/platform.h"

namespace pullsim::oci {

struct ImageConfig {
  std::string architecture;
  std::string os;
  std::string variant;     // "" when absent
  std::string os_version;  // "os.version"
  std::vector<std::string> os_features;
  std::optional<std::string> created;  // RFC 3339, as written
  std::optional<std::string> author;
  // Execution parameters ("config" object); Docker writes null for unset ones.
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string working_dir;
  std::string user;
  std::map<std::string, std::string> labels;
  // rootfs: type "layers" and one diff ID (digest of the uncompressed layer) per layer.
  std::vector<Digest> diff_ids;
  std::string raw;

  // os, architecture, variant, os.version, os.features as a Platform.
  [[nodiscard]] Platform platform() const;
};

// Parses an image config. kInvalidArgument naming the field: architecture, os and rootfs are
// required, rootfs.type must be "layers", each diff ID must be a valid digest; wrong types, JSON
// and size errors as for manifests.
[[nodiscard]] Result<ImageConfig> ParseImageConfig(std::string_view bytes);

// Canonical JSON (raw is ignored).
[[nodiscard]] std::string SerializeImageConfig(const ImageConfig& config);

}  // namespace pullsim::oci
