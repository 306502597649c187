#pragma once
// The container runtime's image service as the kubelet sees it (the CRI ImageService, reduced to
// what EnsureImageExists and KEP-2535 use). The image manager holds decision logic only; how an
// image gets onto the node is the runtime's business.
//
// Implementations:
//   - CatalogRuntime (catalog_runtime.h): pulls from an in-memory catalogue, no registry.
//   - a registry-backed runtime (next step of issue 6): resolve the tag through an
//     oci::RegistryTransport, pick the node's platform from an index, fetch the config and only
//     the layers ImageStore::HasLayer says are missing, verify every digest, ImageStore::AddImage.
//
// Contract for implementers:
//   - Errors: put the runtime's text in Error::message exactly as a CRI runtime would send it.
//     gRPC status errors read "rpc error: code = <Code> desc = <text>"; for code Unknown the
//     kubelet's CRI client keeps only <text> (KUB-06), so either form may be returned for Unknown.
//     Texts starting with "RegistryUnavailable" / "SignatureValidationFailed" are classified.
//     Typical containerd texts are listed in spec KUB-06.
//   - Time: PullImage is called when the pull starts on the node's virtual clock and does its
//     work at once; `duration` says how long it took in simulated time (transfer, unpack). The
//     image manager reports completion `duration` later. Content is visible to GetImageRef as
//     soon as PullImage returns.
//   - Credentials: PullImage is called once per credential, in keyring order, until one works
//     (CRED-13); nullptr means anonymous. The runtime must not fall back to anonymous itself.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/events.h"
#include "sim/node/pull_credentials.h"

namespace pullsim::node {

// CRI ImageSpec: the image string after REF-11 (tag appended, not normalised) and the pod's
// runtime handler (KUB-13, kept but unused).
struct ImageSpec {
  std::string image;
  std::string runtime_handler;
  // Who asks, as CRI's sandbox config tells the runtime: the pod (with its uid) and the
  // container's field path; kept in the runtime's pull records for explain.
  ObjectReference requested_by = {};
};

// An image the runtime holds (CRI Image): its id (the imageRef, "sha256:<config digest hex>"),
// normalised repo tags ("docker.io/library/nginx:1.25") and repo digests
// ("docker.io/library/nginx@sha256:…"), and its size in bytes.
struct RuntimeImage {
  std::string id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::uint64_t size = 0;
  friend bool operator==(const RuntimeImage&, const RuntimeImage&) = default;
};

// A successful pull: the imageRef and the image's size (CRI ImageStatus size).
struct PulledImage {
  std::string image_ref;
  std::uint64_t size = 0;
};

// One PullImage call: its outcome and its simulated duration.
struct PullAttempt {
  Result<PulledImage> result = Fail(ErrorCode::kInternal, "pull not attempted");
  Duration duration{};
};

class ImageRuntime {
 public:
  virtual ~ImageRuntime() = default;

  // The imageRef of the image `spec` names if the node has it, "" if not; an error only when the
  // runtime cannot answer.
  [[nodiscard]] virtual Result<std::string> GetImageRef(const ImageSpec& spec) = 0;

  // Pulls `spec.image` with `credential` (nullptr = anonymous).
  [[nodiscard]] virtual PullAttempt PullImage(const ImageSpec& spec,
                                              const PullCredential* credential) = 0;

  // Every image on the node (KEP2535-07 restart initialisation, image GC).
  [[nodiscard]] virtual Result<std::vector<RuntimeImage>> ListImages() = 0;
};

}  // namespace pullsim::node
