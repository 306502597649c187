#include "sim/node/catalog_runtime.h"

#include <algorithm>
#include <cmath>

#include "sim/node/kubelet_constants.h"
#include "sim/reference/reference.h"

namespace pullsim::node {
namespace {

// The normalised form containerd prints (REF-09), or the text itself when it does not parse.
std::string DockerRef(std::string_view image) {
  Result<reference::Reference> ref = reference::ParseDockerRef(image);
  return ref ? ref->String() : std::string(image);
}

std::string PullAndUnpackPrefix(const std::string& ref) {
  return "failed to pull and unpack image " + GoQuote(ref) + ": ";
}

}  // namespace

void CatalogRuntime::AddToCatalog(CatalogImage image) { catalogue_.push_back(std::move(image)); }

void CatalogRuntime::FailPulls(std::string_view image, std::string text) {
  pull_faults_[DockerRef(image)] = std::move(text);
}

void CatalogRuntime::ClearFaults() {
  pull_faults_.clear();
  inspect_error_.clear();
}

const CatalogImage* CatalogRuntime::Find(std::string_view repository, std::string_view tag,
                                         std::string_view digest) const {
  for (const CatalogImage& image : catalogue_) {
    if (image.repository != repository) continue;
    if (!digest.empty()
            ? (image.manifest_digest == digest || image.id == digest)
            : std::find(image.tags.begin(), image.tags.end(), tag) != image.tags.end()) {
      return &image;
    }
  }
  return nullptr;
}

Result<std::string> CatalogRuntime::GetImageRef(const ImageSpec& spec) {
  ++inspect_calls_;
  if (!inspect_error_.empty()) return Fail(ErrorCode::kUnavailable, inspect_error_);
  const StoredImage* image = store_.Resolve(spec.image);
  return image == nullptr ? std::string() : image->id;
}

PullAttempt CatalogRuntime::PullImage(const ImageSpec& spec, const PullCredential* credential) {
  PullCall call{spec.image, credential == nullptr ? "anonymous" : credential->Describe(), false, 0};
  PullAttempt attempt;
  attempt.duration = options_.request_latency;
  const std::string ref = DockerRef(spec.image);

  auto fail = [&](ErrorCode code, std::string text) {
    attempt.result = Fail(code, std::move(text));
    pull_calls_.push_back(call);
    return attempt;
  };

  Result<reference::Reference> parsed = reference::ParseDockerRef(spec.image);
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument, std::string(kGrpcUnknownPrefix) +
                                                 PullAndUnpackPrefix(ref) + parsed.error().message);
  }
  if (auto fault = pull_faults_.find(ref); fault != pull_faults_.end()) {
    return fail(ErrorCode::kUnavailable, fault->second);
  }
  const CatalogImage* image = Find(parsed->Name(), parsed->tag, parsed->digest);
  if (image == nullptr) {
    return fail(ErrorCode::kNotFound,
                "rpc error: code = NotFound desc = " + PullAndUnpackPrefix(ref) +
                    "failed to resolve reference " + GoQuote(ref) + ": " + ref + ": not found");
  }
  if (!image->allowed_usernames.empty()) {
    const bool allowed = credential != nullptr &&
                         std::find(image->allowed_usernames.begin(), image->allowed_usernames.end(),
                                   credential->username) != image->allowed_usernames.end();
    if (!allowed) {
      return fail(ErrorCode::kUnauthenticated,
                  std::string(kGrpcUnknownPrefix) + PullAndUnpackPrefix(ref) +
                      "failed to resolve reference " + GoQuote(ref) +
                      ": pull access denied, repository does not exist or may require "
                      "authorization: server message: insufficient_scope: authorization failed");
    }
  }
  // Fetch only what the node lacks.
  StoredImage stored;
  stored.id = image->id;
  stored.config_digest = image->id;
  stored.config_size = image->config_size;
  for (const CatalogLayer& layer : image->layers) {
    if (store_.PutLayer(layer.digest, layer.size)) call.bytes_fetched += layer.size;
    stored.layers.push_back(layer.digest);
  }
  if (!parsed->tag.empty()) stored.repo_tags.push_back(parsed->Name() + ":" + parsed->tag);
  if (!image->manifest_digest.empty()) {
    stored.repo_digests.push_back(parsed->Name() + "@" + image->manifest_digest);
  }
  const std::string id = stored.id;
  if (Result<void> added = store_.AddImage(std::move(stored)); !added) {
    return fail(ErrorCode::kInternal, added.error().message);
  }
  const double seconds = static_cast<double>(call.bytes_fetched) / options_.bytes_per_second;
  attempt.duration += std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
  bytes_fetched_ += call.bytes_fetched;
  call.ok = true;
  pull_calls_.push_back(call);
  attempt.result = PulledImage{id, store_.ImageSize(*store_.FindById(id))};
  return attempt;
}

Result<std::vector<RuntimeImage>> CatalogRuntime::ListImages() { return store_.List(); }

}  // namespace pullsim::node
