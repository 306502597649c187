#pragma once
// The keyring: registry keys normalised as upstream's BasicDockerKeyring.Add does (CRED-06),
// matched against an image's repository with URLsMatch (CRED-07), walked in reverse byte order
// collecting the credentials of every matching key (CRED-08), with the Docker Hub fallback
// (CRED-09); and the union of keyrings (CRED-11).
//
// Upstream walks its whole sorted index and parses both URLs for every key on every lookup.
// This keyring precomputes each key's host, port and path once and buckets keys by port and
// host-label count, with exact hosts in a hash table and glob hosts in a short list, so a
// lookup touches only keys that can match. The result and its order are upstream's.

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/result.h"
#include "sim/credentials/credential.h"
#include "sim/credentials/docker_config.h"

namespace pullsim::credentials {

// The registry host Docker Hub credentials are stored under; used by the fallback (CRED-09).
inline constexpr std::string_view kDefaultRegistryKey = "index.docker.io";

// CRED-06: the index key of a raw docker config key: "https://" prepended unless it starts
// with "https://" or "http://"; parsed as a URL; a leading "/v1/" or "/v2/" path reduced to
// "/"; host plus path unless the path is empty or "/". kInvalidArgument with Go's url.Parse
// error when the key is not a URL (upstream drops such entries).
[[nodiscard]] Result<std::string> NormalizeRegistryKey(std::string_view raw_key);

// CRED-07: URLsMatchStr(key, repository): equal ports, equal host-label counts, the key's path
// a string prefix of the repository's, and each host label glob-matching (filepath.Match).
// kInvalidArgument when either side is not a URL or a label is a malformed glob.
[[nodiscard]] Result<bool> UrlsMatch(std::string_view key, std::string_view repository);

// CRED-09: isDefaultRegistryMatch: whether `repository` would be pulled from Docker Hub.
[[nodiscard]] bool IsDefaultRegistryMatch(std::string_view repository);

class Keyring {
 public:
  Keyring() = default;
  // Copies rebuild the lookup index (it points into the key map); moves keep it.
  Keyring(const Keyring& other);
  Keyring& operator=(const Keyring& other);
  Keyring(Keyring&&) noexcept = default;
  Keyring& operator=(Keyring&&) noexcept = default;
  ~Keyring() = default;

  // CRED-06/08: adds every entry of `config` with `source`. Entries whose key is not a URL are
  // dropped, as upstream drops them; the returned list says which and why.
  std::vector<std::string> Add(const DockerConfig& config, const CredentialSource& source);
  // Adds one credential under `raw_key`; returns the index key, or the error that drops it.
  Result<std::string> Add(std::string_view raw_key, Credential credential);

  // CRED-08: the index keys in reverse byte order.
  [[nodiscard]] std::vector<std::string> Index() const;
  // The credentials stored under `index_key`, in insertion order; nullptr when absent.
  [[nodiscard]] const std::vector<Credential>* CredentialsFor(std::string_view index_key) const;
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] bool empty() const { return keys_.empty(); }

  // CRED-08/09: credentials of every key matching `repository` (a normalised repository name
  // without tag or digest, CRED-12), in index order; when none matched and the repository
  // looks like Docker Hub, those under "index.docker.io".
  [[nodiscard]] std::vector<KeyedCredential> Lookup(std::string_view repository) const;

 private:
  struct Entry {
    std::vector<Credential> credentials;
    std::string path;                 // URL path of the key, compared as a string prefix
    std::vector<std::string> labels;  // host labels, kept only for glob hosts
  };
  using Keys = std::map<std::string, Entry, std::greater<>>;  // reverse byte order (CRED-08)
  struct Bucket {
    std::unordered_map<std::string, std::vector<const Keys::value_type*>> exact_hosts;
    std::vector<const Keys::value_type*> glob_hosts;
  };

  void IndexKey(Keys::value_type& key);

  Keys keys_;
  std::unordered_map<std::string, Bucket> buckets_;  // by port and host-label count
};

// CRED-11: UnionDockerKeyring.Lookup: each member's own lookup (fallback included), in order.
[[nodiscard]] std::vector<KeyedCredential> LookupUnion(
    std::initializer_list<const Keyring*> keyrings, std::string_view repository);

}  // namespace pullsim::credentials
