#pragma once
// Image references: [domain/]path[:tag][@digest], the distribution/reference grammar (REF-01..09),
// and the kubelet's view of one (REF-10, REF-11). Error texts are upstream's, word for word.

#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim::reference {

// A parsed reference. `domain` is empty only for the raw Parse() of a one-component name.
struct Reference {
  std::string domain;  // "docker.io", "registry.test:5000", "[::1]:5000"
  std::string path;    // "library/nginx"
  std::string tag;     // "" when absent; case preserved
  std::string digest;  // "" when absent; "sha256:<hex>"

  // domain "/" path, or just path when domain is empty.
  [[nodiscard]] std::string Name() const;
  // Name() [":" tag] ["@" digest]
  [[nodiscard]] std::string String() const;
  // REF-08: Name() without docker.io and then without library/ when nothing else has a '/'.
  [[nodiscard]] std::string FamiliarName() const;
  // FamiliarName() [":" tag] ["@" digest], as `docker` prints it.
  [[nodiscard]] std::string FamiliarString() const;

  friend bool operator==(const Reference&, const Reference&) = default;
};

// REF-02/03: normalises a user-written reference (docker.io, library/); kInvalidArgument with
// upstream's message ("invalid reference format", "... must be lowercase", ...).
[[nodiscard]] Result<Reference> ParseNormalizedNamed(std::string_view text);

// REF-07: the grammar alone, no normalisation ("foo/bar" has domain "foo").
[[nodiscard]] Result<Reference> Parse(std::string_view text);

// REF-07: ParseNormalizedNamed, then the input must already be in canonical form
// ("repository name must be canonical").
[[nodiscard]] Result<Reference> ParseNamed(std::string_view text);

// REF-09: containerd CRI's ParseDockerRef: normalised, digest wins over tag, ":latest" added when
// neither is present.
[[nodiscard]] Result<Reference> ParseDockerRef(std::string_view text);

// REF-10: the kubelet's ParseImageName. repository is the normalised Name(); tag is "latest" when
// neither tag nor digest is given. Error: `couldn't parse image name "<image>": <reason>`.
struct ImageName {
  std::string repository;
  std::string tag;
  std::string digest;
  friend bool operator==(const ImageName&, const ImageName&) = default;
};
[[nodiscard]] Result<ImageName> ParseImageName(std::string_view image);

// REF-11: the string the kubelet hands the runtime: `image` as written, ":" + tag appended when it
// has no digest and does not already end in ":" + tag. Errors as ParseImageName.
[[nodiscard]] Result<std::string> ApplyDefaultImageTag(std::string_view image);

}  // namespace pullsim::reference
