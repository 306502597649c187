#pragma once
// An ImageRuntime that pulls from an in-memory catalogue instead of a registry: enough for the
// kubelet's decisions (pull or not, which credential worked, how long, what the store keeps) to
// run with no registry at all. Errors use containerd's texts (spec KUB-06). The registry-backed
// runtime replaces it where the registry's behaviour matters.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/node/image_runtime.h"
#include "sim/node/image_store.h"

namespace pullsim::node {

struct CatalogLayer {
  std::string digest;
  std::uint64_t size = 0;
};

// One pullable image.
struct CatalogImage {
  std::string repository;         // normalised name: "docker.io/library/nginx"
  std::vector<std::string> tags;  // "1.25", ...
  std::string manifest_digest;    // "sha256:…": also pullable as repository@manifest_digest
  std::string id;                 // the imageRef, "sha256:<config digest hex>"
  std::uint64_t config_size = 0;
  std::vector<CatalogLayer> layers;
  // Usernames whose credentials may pull it; empty = anonymous pulls work.
  std::vector<std::string> allowed_usernames;
};

struct CatalogRuntimeOptions {
  Duration request_latency = std::chrono::milliseconds{100};  // per PullImage call
  double bytes_per_second = 100.0 * 1024 * 1024;              // transfer of missing layers
};

class CatalogRuntime final : public ImageRuntime {
 public:
  // One PullImage call, for assertions.
  struct PullCall {
    std::string image;
    std::string credential;  // PullCredential::Describe(), or "anonymous"
    bool ok = false;
    std::uint64_t bytes_fetched = 0;
  };

  explicit CatalogRuntime(ImageStore& store, CatalogRuntimeOptions options = {})
      : store_(store), options_(options) {}

  void AddToCatalog(CatalogImage image);
  // Every pull of `image` (a CRI image string, compared after normalisation) fails with `text`
  // until ClearFaults(); e.g. "RegistryUnavailable: dial tcp: i/o timeout".
  void FailPulls(std::string_view image, std::string text);
  // GetImageRef fails with `text` until ClearFaults().
  void FailInspection(std::string text) { inspect_error_ = std::move(text); }
  void ClearFaults();

  [[nodiscard]] Result<std::string> GetImageRef(const ImageSpec& spec) override;
  [[nodiscard]] PullAttempt PullImage(const ImageSpec& spec,
                                      const PullCredential* credential) override;
  [[nodiscard]] Result<std::vector<RuntimeImage>> ListImages() override;

  [[nodiscard]] const std::vector<PullCall>& pull_calls() const { return pull_calls_; }
  [[nodiscard]] int inspect_calls() const { return inspect_calls_; }
  [[nodiscard]] std::uint64_t bytes_fetched() const { return bytes_fetched_; }

 private:
  [[nodiscard]] const CatalogImage* Find(std::string_view repository, std::string_view tag,
                                         std::string_view digest) const;

  ImageStore& store_;
  CatalogRuntimeOptions options_;
  std::vector<CatalogImage> catalogue_;
  std::map<std::string, std::string, std::less<>> pull_faults_;  // normalised ref → text
  std::string inspect_error_;
  std::vector<PullCall> pull_calls_;
  int inspect_calls_ = 0;
  std::uint64_t bytes_fetched_ = 0;
};

}  // namespace pullsim::node
