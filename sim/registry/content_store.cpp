#include "sim/registry/content_store.h"

#include <algorithm>
#include <cstdio>

namespace pullsim::registry {

const ContentStore::Repository* ContentStore::FindRepository(std::string_view name) const {
  auto it = repositories_.find(name);
  return it == repositories_.end() ? nullptr : &it->second;
}

ContentStore::Repository& ContentStore::RepositoryFor(std::string_view name) {
  auto it = repositories_.find(name);
  if (it == repositories_.end()) it = repositories_.emplace(std::string(name), Repository{}).first;
  return it->second;
}

// --- blobs ---------------------------------------------------------------------------------

std::optional<oci::SharedBytes> ContentStore::GetBlob(std::string_view repository,
                                                      const oci::Digest& digest) const {
  std::shared_lock lock(mu_);
  const Repository* repo = FindRepository(repository);
  if (repo == nullptr || !repo->blobs.contains(digest)) return std::nullopt;
  auto it = blobs_.find(digest);
  if (it == blobs_.end()) return std::nullopt;
  return it->second;
}

std::optional<oci::SharedBytes> ContentStore::FindBlob(const oci::Digest& digest) const {
  std::shared_lock lock(mu_);
  auto it = blobs_.find(digest);
  if (it == blobs_.end()) return std::nullopt;
  return it->second;
}

void ContentStore::PutBlob(std::string_view repository, const oci::Digest& digest,
                           oci::SharedBytes bytes) {
  // A slice of a larger buffer (a chunk of a request) would keep the whole buffer alive.
  if (!bytes.is_whole_buffer()) bytes = oci::SharedBytes(std::string(bytes.view()));
  std::unique_lock lock(mu_);
  blobs_.try_emplace(digest, std::move(bytes));
  RepositoryFor(repository).blobs.insert(digest);
}

bool ContentStore::MountBlob(std::string_view repository, std::string_view from,
                             const oci::Digest& digest) {
  std::unique_lock lock(mu_);
  const Repository* source = FindRepository(from);
  if (source == nullptr || !source->blobs.contains(digest) || !blobs_.contains(digest)) {
    return false;
  }
  RepositoryFor(repository).blobs.insert(digest);
  return true;
}

bool ContentStore::DeleteBlob(std::string_view repository, const oci::Digest& digest) {
  std::unique_lock lock(mu_);
  auto it = repositories_.find(repository);
  if (it == repositories_.end()) return false;
  return it->second.blobs.erase(digest) > 0;
}

// --- manifests and tags --------------------------------------------------------------------

std::shared_ptr<const StoredManifest> ContentStore::GetManifest(std::string_view repository,
                                                                std::string_view reference) const {
  std::shared_lock lock(mu_);
  const Repository* repo = FindRepository(repository);
  if (repo == nullptr) return nullptr;
  if (reference.find(':') == std::string_view::npos) {
    auto tag = repo->tags.find(reference);
    if (tag == repo->tags.end()) return nullptr;
    auto manifest = repo->manifests.find(tag->second);
    if (manifest == repo->manifests.end()) return nullptr;
    return manifest->second;
  }
  auto digest = oci::Digest::Parse(reference);
  if (!digest) return nullptr;
  auto manifest = repo->manifests.find(*digest);
  if (manifest == repo->manifests.end()) return nullptr;
  return manifest->second;
}

void ContentStore::PutManifest(std::string_view repository, StoredManifest manifest,
                               std::string_view tag) {
  std::unique_lock lock(mu_);
  Repository& repo = RepositoryFor(repository);
  const oci::Digest digest = manifest.digest;
  repo.manifests.insert_or_assign(digest,
                                  std::make_shared<const StoredManifest>(std::move(manifest)));
  if (!tag.empty()) repo.tags.insert_or_assign(std::string(tag), digest);
}

bool ContentStore::DeleteManifest(std::string_view repository, const oci::Digest& digest) {
  std::unique_lock lock(mu_);
  auto it = repositories_.find(repository);
  if (it == repositories_.end()) return false;
  Repository& repo = it->second;
  if (repo.manifests.erase(digest) == 0) return false;
  std::erase_if(repo.tags, [&](const auto& entry) { return entry.second == digest; });
  return true;
}

bool ContentStore::DeleteTag(std::string_view repository, std::string_view tag) {
  std::unique_lock lock(mu_);
  auto it = repositories_.find(repository);
  if (it == repositories_.end()) return false;
  auto entry = it->second.tags.find(tag);
  if (entry == it->second.tags.end()) return false;
  it->second.tags.erase(entry);
  return true;
}

std::optional<std::vector<std::string>> ContentStore::Tags(std::string_view repository) const {
  std::shared_lock lock(mu_);
  const Repository* repo = FindRepository(repository);
  if (repo == nullptr) return std::nullopt;
  std::vector<std::string> tags;
  tags.reserve(repo->tags.size());
  for (const auto& [tag, digest] : repo->tags) tags.push_back(tag);
  return tags;
}

std::vector<StoredManifest> ContentStore::Referrers(std::string_view repository,
                                                    const oci::Digest& subject) const {
  std::shared_lock lock(mu_);
  std::vector<StoredManifest> referrers;
  const Repository* repo = FindRepository(repository);
  if (repo == nullptr) return referrers;
  for (const auto& [digest, manifest] : repo->manifests) {
    if (manifest->subject && *manifest->subject == subject) referrers.push_back(*manifest);
  }
  return referrers;
}

bool ContentStore::HasRepository(std::string_view repository) const {
  std::shared_lock lock(mu_);
  const Repository* repo = FindRepository(repository);
  return repo != nullptr &&
         (!repo->blobs.empty() || !repo->manifests.empty() || !repo->tags.empty());
}

std::vector<std::string> ContentStore::Repositories() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> names;
  for (const auto& [name, repo] : repositories_) {
    if (!repo.blobs.empty() || !repo.manifests.empty() || !repo.tags.empty()) {
      names.push_back(name);
    }
  }
  return names;
}

// --- uploads -------------------------------------------------------------------------------

std::string ContentStore::StartUpload(std::string_view repository, Timestamp now) {
  std::unique_lock lock(mu_);
  // UUID-shaped and deterministic: the same scenario gives the same session ids.
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(next_upload_++));
  auto upload = std::make_shared<Upload>();
  upload->session = UploadSession{id, std::string(repository), {}, now};
  uploads_.emplace(id, std::move(upload));
  return id;
}

std::optional<std::size_t> ContentStore::UploadSize(std::string_view repository,
                                                    std::string_view id) const {
  std::shared_ptr<Upload> upload;
  {
    std::shared_lock lock(mu_);
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return std::nullopt;
    upload = it->second;
  }
  std::lock_guard session_lock(upload->mu);
  if (upload->session.repository != repository) return std::nullopt;
  return upload->session.data.size();
}

std::optional<std::size_t> ContentStore::AppendUpload(std::string_view repository,
                                                      std::string_view id,
                                                      std::optional<std::size_t> offset,
                                                      std::string_view bytes, bool* conflict) {
  *conflict = false;
  std::shared_ptr<Upload> upload;
  {
    std::shared_lock lock(mu_);
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return std::nullopt;
    upload = it->second;
  }
  std::lock_guard session_lock(upload->mu);
  UploadSession& session = upload->session;
  if (session.repository != repository) return std::nullopt;
  if (offset && *offset != session.data.size()) {
    *conflict = true;
    return session.data.size();
  }
  session.data.append(bytes);
  return session.data.size();
}

std::optional<UploadSession> ContentStore::TakeUpload(std::string_view repository,
                                                      std::string_view id) {
  std::shared_ptr<Upload> upload;
  {
    std::unique_lock lock(mu_);
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return std::nullopt;
    {
      std::lock_guard session_lock(it->second->mu);
      if (it->second->session.repository != repository) return std::nullopt;
    }
    upload = it->second;
    uploads_.erase(it);
  }
  std::lock_guard session_lock(upload->mu);
  return std::move(upload->session);
}

bool ContentStore::CancelUpload(std::string_view repository, std::string_view id) {
  return TakeUpload(repository, id).has_value();
}

std::size_t ContentStore::blob_count() const {
  std::shared_lock lock(mu_);
  return blobs_.size();
}

std::uint64_t ContentStore::blob_bytes() const {
  std::shared_lock lock(mu_);
  std::uint64_t total = 0;
  for (const auto& [digest, bytes] : blobs_) total += bytes.size();
  return total;
}

}  // namespace pullsim::registry
