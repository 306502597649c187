#pragma once
// Docker config files as the kubelet reads them (CRED-04, CRED-05): `config.json` with its
// `auths` map, and the legacy `.dockercfg` whose top level is that map. Decoding follows Go's
// encoding/json as the kubelet runs it, so errors carry the kubelet's own words; `where` adds
// the file, line, column and key a person needs to fix the file.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::credentials {

// One credential entry of a docker config (DockerConfigEntry).
struct DockerConfigEntry {
  std::string username;
  std::string password;
  std::string email;
  friend bool operator==(const DockerConfigEntry&, const DockerConfigEntry&) = default;
};

// A registry key exactly as written in the file, and its entry.
struct DockerConfigItem {
  std::string registry_key;
  DockerConfigEntry entry;
};

// The `auths` map (or a whole .dockercfg). Upstream holds a Go map, whose order is random;
// here entries keep file order and a repeated key keeps its first place with its last value.
struct DockerConfig {
  std::vector<DockerConfigItem> items;
  // Inserts or replaces the entry for `registry_key`.
  void Set(std::string registry_key, DockerConfigEntry entry);
  [[nodiscard]] const DockerConfigEntry* Find(std::string_view registry_key) const;
  [[nodiscard]] bool empty() const { return items.empty(); }
  [[nodiscard]] std::size_t size() const { return items.size(); }
};

// The two layouts (CRED-04).
enum class DockerConfigFormat {
  kConfigJson,  // {"auths": {...}, "HttpHeaders": {...}}
  kDockercfg,   // {"<registry>": {...}}
};

// A file that parsed, with what the kubelet ignores in it reported as warnings.
struct ParsedDockerConfig {
  DockerConfig config;
  std::map<std::string, std::string> http_headers;  // read, never used (CRED-04)
  std::vector<std::string> warnings;                // "where: what is ignored and why"
};

// CRED-04/05: parses `bytes` in `format`. `file_name` names the input in messages.
// kInvalidArgument: message = the kubelet's Go error text (JSON syntax or type error, base64
// error, missing colon in auth); where = "file:line:col key path", e.g.
// `config.json:1:28 auths["r.example"].auth`.
[[nodiscard]] Result<ParsedDockerConfig> ParseDockerConfig(std::string_view bytes,
                                                           DockerConfigFormat format,
                                                           std::string_view file_name);

// The layout the kubelet expects for a file name: ".dockercfg" is legacy, anything else
// config.json.
[[nodiscard]] DockerConfigFormat FormatForFileName(std::string_view path);

// CRED-05: decodes one entry as DockerConfigEntry.UnmarshalJSON does (a non-empty `auth`
// overrides username and password). kInvalidArgument with Go's text.
[[nodiscard]] Result<DockerConfigEntry> DecodeDockerConfigEntry(std::string_view json);

// CRED-05: base64(username:password) -> {username, password}. Padded base64 when the trimmed
// field ends with '=', unpadded otherwise; split at the first ':'. kInvalidArgument with Go's
// texts ("illegal base64 data at input byte 4", "unable to parse auth field, must be formatted
// as base64(username:password)").
struct UsernamePassword {
  std::string username;
  std::string password;
};
[[nodiscard]] Result<UsernamePassword> DecodeAuthField(std::string_view auth);

}  // namespace pullsim::credentials
