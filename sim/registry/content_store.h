#pragma once
// The registry's content: blobs by digest (stored once, linked into the repositories that pushed
// or mounted them, as CNCF distribution does), manifests by digest per repository, tags, the
// referrers of each subject, and upload sessions. Thread-safe; shared by both fronts. Content
// becomes visible only once complete and verified, so nothing half-written is ever served.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/clock.h"
#include "sim/oci/digest.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::registry {

// A manifest or index as stored: its exact bytes and what the registry read from them.
struct StoredManifest {
  oci::Digest digest;
  std::string media_type;
  oci::SharedBytes bytes;
  std::vector<oci::Digest> blobs;      // config and layers (image manifests)
  std::vector<oci::Digest> manifests;  // children (indexes)
  std::optional<oci::Digest> subject;  // the manifest it refers to (referrers API)
  std::string artifact_type;           // artifactType, else config.mediaType (referrers API)
  std::string annotations_json;        // "annotations" as JSON text; empty when absent
};

// An upload in progress (POST .../blobs/uploads/ until PUT ?digest=).
struct UploadSession {
  std::string id;
  std::string repository;
  std::string data;
  Timestamp started;
};

class ContentStore {
 public:
  // --- blobs ---
  // The blob `digest` when it is linked into `repository`.
  [[nodiscard]] std::optional<oci::SharedBytes> GetBlob(std::string_view repository,
                                                        const oci::Digest& digest) const;
  // The blob `digest` wherever it is stored (for mounts and loaders).
  [[nodiscard]] std::optional<oci::SharedBytes> FindBlob(const oci::Digest& digest) const;
  // Stores `bytes` (already verified to hash to `digest`) and links it into `repository`.
  void PutBlob(std::string_view repository, const oci::Digest& digest, oci::SharedBytes bytes);
  // Links the blob into `repository` when `from` has it; false otherwise.
  [[nodiscard]] bool MountBlob(std::string_view repository, std::string_view from,
                               const oci::Digest& digest);
  // Unlinks the blob from `repository`; false when it was not linked there.
  [[nodiscard]] bool DeleteBlob(std::string_view repository, const oci::Digest& digest);

  // --- manifests and tags ---
  // The manifest `reference` (a tag or a digest string) of `repository`; null when absent.
  // Shared, not copied: a manifest GET costs a lookup and a reference count.
  [[nodiscard]] std::shared_ptr<const StoredManifest> GetManifest(std::string_view repository,
                                                                  std::string_view reference) const;
  // Stores the manifest; points `tag` at it when not empty.
  void PutManifest(std::string_view repository, StoredManifest manifest, std::string_view tag);
  // Deletes the manifest and every tag pointing at it; false when absent.
  [[nodiscard]] bool DeleteManifest(std::string_view repository, const oci::Digest& digest);
  // Removes one tag (the manifest stays); false when absent.
  [[nodiscard]] bool DeleteTag(std::string_view repository, std::string_view tag);
  // Tags of `repository` in lexical order; nullopt when the repository is unknown.
  [[nodiscard]] std::optional<std::vector<std::string>> Tags(std::string_view repository) const;
  // Manifests of `repository` whose subject is `subject`, in digest order.
  [[nodiscard]] std::vector<StoredManifest> Referrers(std::string_view repository,
                                                      const oci::Digest& subject) const;
  // Whether the repository holds anything (blobs, manifests or tags).
  [[nodiscard]] bool HasRepository(std::string_view repository) const;
  // All repositories in lexical order.
  [[nodiscard]] std::vector<std::string> Repositories() const;

  // --- uploads ---
  // Opens a session; returns its id.
  [[nodiscard]] std::string StartUpload(std::string_view repository, Timestamp now);
  // The number of bytes received so far, when the session exists in `repository`.
  [[nodiscard]] std::optional<std::size_t> UploadSize(std::string_view repository,
                                                      std::string_view id) const;
  // Appends `bytes` when the session exists and `offset` (when given) equals its size.
  // Returns the new size, or nullopt when unknown; sets *conflict (and returns the current
  // size) when the offset is wrong.
  [[nodiscard]] std::optional<std::size_t> AppendUpload(std::string_view repository,
                                                        std::string_view id,
                                                        std::optional<std::size_t> offset,
                                                        std::string_view bytes, bool* conflict);
  // Removes the session and hands back its data; nullopt when unknown.
  [[nodiscard]] std::optional<UploadSession> TakeUpload(std::string_view repository,
                                                        std::string_view id);
  // Drops the session; false when unknown.
  [[nodiscard]] bool CancelUpload(std::string_view repository, std::string_view id);

  // --- statistics ---
  [[nodiscard]] std::size_t blob_count() const;
  [[nodiscard]] std::uint64_t blob_bytes() const;

 private:
  struct Repository {
    std::set<oci::Digest> blobs;
    std::map<oci::Digest, std::shared_ptr<const StoredManifest>> manifests;
    std::map<std::string, oci::Digest, std::less<>> tags;
  };

  const Repository* FindRepository(std::string_view name) const;
  Repository& RepositoryFor(std::string_view name);

  mutable std::shared_mutex mu_;
  std::unordered_map<oci::Digest, oci::SharedBytes> blobs_;
  std::map<std::string, Repository, std::less<>> repositories_;
  // Each session has its own lock so a large chunk is copied without blocking other requests.
  struct Upload {
    std::mutex mu;
    UploadSession session;
  };
  std::map<std::string, std::shared_ptr<Upload>, std::less<>> uploads_;
  std::uint64_t next_upload_ = 1;
};

}  // namespace pullsim::registry
