#include "sim/credentials/keyring.h"

#include <algorithm>
#include <optional>

#include "sim/core/go_quote.h"
#include "sim/credentials/internal/go_filepath.h"
#include "sim/credentials/internal/go_url.h"

namespace pullsim::credentials {
namespace {

// What URLsMatch compares, taken from ParseSchemelessURL and SplitURL.
struct MatchForm {
  std::string host;  // host without port, as SplitURL splits it into labels
  std::string port;
  std::string path;
  std::size_t label_count = 0;
};

Result<MatchForm> ParseSchemeless(std::string_view text) {
  auto url = internal::ParseGoUrl("https://" + std::string(text));
  if (!url) return std::unexpected(url.error());
  internal::HostAndPort split = internal::SplitUrlHost(url->host);
  MatchForm form;
  form.label_count =
      static_cast<std::size_t>(std::count(split.host.begin(), split.host.end(), '.')) + 1;
  form.host = std::move(split.host);
  form.port = std::move(split.port);
  form.path = std::move(url->path);
  return form;
}

std::vector<std::string> SplitLabels(std::string_view host) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = host.find('.', start);
    labels.emplace_back(host.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels;
}

std::string BucketName(std::string_view port, std::size_t label_count) {
  return std::string(port) + "#" + std::to_string(label_count);
}

// Label-by-label glob match; nullopt when a label is a malformed pattern (upstream's error).
std::optional<bool> LabelsMatch(const std::vector<std::string>& globs,
                                const std::vector<std::string>& targets) {
  for (std::size_t i = 0; i < globs.size(); ++i) {
    bool bad = false;
    bool matched = internal::GlobMatch(globs[i], targets[i], &bad);
    if (bad) return std::nullopt;
    if (!matched) return false;
  }
  return true;
}

}  // namespace

Result<std::string> NormalizeRegistryKey(std::string_view raw_key) {
  std::string value(raw_key);
  if (!value.starts_with("https://") && !value.starts_with("http://")) value = "https://" + value;
  auto parsed = internal::ParseGoUrl(value);
  if (!parsed) return std::unexpected(parsed.error());
  // CRED-06: docker treats /v1/ and /v2/ as the registry itself.
  std::string_view path = parsed->path;
  if (path.starts_with("/v2/") || path.starts_with("/v1/")) path.remove_prefix(3);
  if (!path.empty() && path != "/") return parsed->host + std::string(path);
  return parsed->host;
}

Result<bool> UrlsMatch(std::string_view key, std::string_view repository) {
  auto glob = ParseSchemeless(key);
  if (!glob) return std::unexpected(glob.error());
  auto target = ParseSchemeless(repository);
  if (!target) return std::unexpected(target.error());
  if (glob->port != target->port) return false;
  if (glob->label_count != target->label_count) return false;
  if (!target->path.starts_with(glob->path)) return false;
  auto matched = LabelsMatch(SplitLabels(glob->host), SplitLabels(target->host));
  if (!matched) {
    return Fail(ErrorCode::kInvalidArgument,
                "registry key " + GoQuote(key) + ": syntax error in pattern");
  }
  return *matched;
}

bool IsDefaultRegistryMatch(std::string_view repository) {
  std::size_t slash = repository.find('/');
  std::string_view first = repository.substr(0, slash);
  if (first.empty()) return false;
  if (slash == std::string_view::npos) return true;  // e.g. "library/ubuntu" before splitting
  if (first == "docker.io" || first == "index.docker.io") return true;
  // A '.' or ':' marks a registry host rather than a Docker Hub user name.
  return first.find_first_of(".:") == std::string_view::npos;
}

std::vector<std::string> Keyring::Add(const DockerConfig& config, const CredentialSource& source) {
  std::vector<std::string> dropped;
  for (const DockerConfigItem& item : config.items) {
    Credential credential{item.entry.username, item.entry.password, item.entry.email, source};
    auto added = Add(item.registry_key, std::move(credential));
    if (!added) {
      dropped.push_back("entry " + GoQuote(item.registry_key) + " in docker config invalid (" +
                        added.error().message + "), ignoring");
    }
  }
  return dropped;
}

Result<std::string> Keyring::Add(std::string_view raw_key, Credential credential) {
  auto key = NormalizeRegistryKey(raw_key);
  if (!key) return key;
  auto [it, inserted] = keys_.try_emplace(*key);
  it->second.credentials.push_back(std::move(credential));
  if (inserted) IndexKey(*it);
  return key;
}

Keyring::Keyring(const Keyring& other) : keys_(other.keys_) {
  for (auto& key : keys_) IndexKey(key);
}

Keyring& Keyring::operator=(const Keyring& other) {
  if (this == &other) return *this;
  keys_ = other.keys_;
  buckets_.clear();
  for (auto& key : keys_) IndexKey(key);
  return *this;
}

void Keyring::IndexKey(Keys::value_type& key) {
  // A key that does not parse again as a schemeless URL stays in the index (upstream keeps it)
  // but can never match.
  auto form = ParseSchemeless(key.first);
  if (!form) return;
  key.second.path = form->path;
  Bucket& bucket = buckets_[BucketName(form->port, form->label_count)];
  if (internal::HasGlobMeta(form->host)) {
    key.second.labels = SplitLabels(form->host);
    bucket.glob_hosts.push_back(&key);
  } else {
    bucket.exact_hosts[form->host].push_back(&key);
  }
}

std::vector<std::string> Keyring::Index() const {
  std::vector<std::string> index;
  index.reserve(keys_.size());
  for (const auto& [key, entry] : keys_) index.push_back(key);
  return index;
}

const std::vector<Credential>* Keyring::CredentialsFor(std::string_view index_key) const {
  auto it = keys_.find(index_key);
  return it == keys_.end() ? nullptr : &it->second.credentials;
}

std::vector<KeyedCredential> Keyring::Lookup(std::string_view repository) const {
  std::vector<KeyedCredential> found;
  std::vector<const Keys::value_type*> matches;
  if (auto target = ParseSchemeless(repository)) {
    auto bucket = buckets_.find(BucketName(target->port, target->label_count));
    if (bucket != buckets_.end()) {
      auto prefix_ok = [&](const Keys::value_type* key) {
        return target->path.starts_with(key->second.path);
      };
      if (auto exact = bucket->second.exact_hosts.find(target->host);
          exact != bucket->second.exact_hosts.end()) {
        for (const Keys::value_type* key : exact->second) {
          if (prefix_ok(key)) matches.push_back(key);
        }
      }
      if (!bucket->second.glob_hosts.empty()) {
        std::vector<std::string> target_labels = SplitLabels(target->host);
        for (const Keys::value_type* key : bucket->second.glob_hosts) {
          if (!prefix_ok(key)) continue;
          std::optional<bool> matched = LabelsMatch(key->second.labels, target_labels);
          if (matched.value_or(false)) matches.push_back(key);
        }
      }
    }
  }
  // CRED-08: index order is reverse byte order of the keys.
  std::sort(
      matches.begin(), matches.end(),
      [](const Keys::value_type* a, const Keys::value_type* b) { return a->first > b->first; });
  for (const Keys::value_type* key : matches) {
    for (const Credential& credential : key->second.credentials) {
      found.push_back({key->first, credential});
    }
  }
  if (!found.empty()) return found;
  // CRED-09: Docker Hub fallback, only when no key matched.
  if (IsDefaultRegistryMatch(repository)) {
    if (const std::vector<Credential>* hub = CredentialsFor(kDefaultRegistryKey)) {
      for (const Credential& credential : *hub) {
        found.push_back({std::string(kDefaultRegistryKey), credential});
      }
    }
  }
  return found;
}

std::vector<KeyedCredential> LookupUnion(std::initializer_list<const Keyring*> keyrings,
                                         std::string_view repository) {
  std::vector<KeyedCredential> found;
  for (const Keyring* keyring : keyrings) {
    if (keyring == nullptr) continue;
    std::vector<KeyedCredential> part = keyring->Lookup(repository);
    found.insert(found.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));
  }
  return found;
}

}  // namespace pullsim::credentials
