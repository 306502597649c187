#include "sim/credentials/docker_config.h"

#include <array>
#include <optional>
#include <unordered_map>

#include "sim/core/base64.h"
#include "sim/core/go_json.h"
#include "sim/core/go_quote.h"
#include "sim/core/unicode.h"

namespace pullsim::credentials {
namespace {

// Go type and struct names as encoding/json prints them (credentialprovider/config.go).
constexpr std::string_view kEntryStruct = "dockerConfigEntryWithAuth";
constexpr std::string_view kEntryType = "credentialprovider.dockerConfigEntryWithAuth";
constexpr std::string_view kConfigJsonStruct = "DockerConfigJSON";
constexpr std::string_view kConfigJsonType = "credentialprovider.DockerConfigJSON";
constexpr std::string_view kDockerConfigType = "credentialprovider.DockerConfig";
constexpr std::string_view kAuthFieldError =
    "unable to parse auth field, must be formatted as base64(username:password)";

// Go's foldName for matching JSON keys to struct fields: ASCII upper case, plus the four
// non-ASCII runes whose simple fold is an ASCII letter. Other non-ASCII keys cannot match an
// ASCII field name, so they fold to a value no field has.
std::optional<std::string> FoldName(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  std::size_t i = 0;
  while (i < key.size()) {
    auto c = static_cast<unsigned char>(key[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
      ++i;
      continue;
    }
    const DecodedRune d = DecodeRune(key, i);
    switch (d.rune) {
      case 0x017F:  // long s
        out.push_back('S');
        break;
      case 0x0130:  // capital I with dot
      case 0x0131:  // dotless i
        out.push_back('I');
        break;
      case 0x212A:  // Kelvin sign
        out.push_back('K');
        break;
      default:
        return std::nullopt;
    }
    i += d.width;
  }
  return out;
}

// The struct field a JSON key selects: exact name first, then case-insensitively (Go).
template <std::size_t N>
int MatchField(std::string_view key, const std::array<std::string_view, N>& fields) {
  for (std::size_t i = 0; i < N; ++i) {
    if (key == fields[i]) return static_cast<int>(i);
  }
  std::optional<std::string> folded = FoldName(key);
  if (!folded) return -1;
  for (std::size_t i = 0; i < N; ++i) {
    if (*folded == *FoldName(fields[i])) return static_cast<int>(i);
  }
  return -1;
}

std::string KeyPath(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + "[" + GoQuote(key) + "]";
}

GoDecodeError TypeError(JsonKind kind, std::string_view struct_name, std::string_view field,
                        std::string_view type, std::size_t offset, std::string json_path) {
  GoDecodeError error;
  error.value = std::string(GoValueWord(kind));
  error.struct_name = std::string(struct_name);
  error.field = std::string(field);
  error.type = std::string(type);
  error.offset = offset;
  error.json_path = std::move(json_path);
  return error;
}

// strings.HasSuffix(strings.TrimSpace(s), "=")
bool EndsWithPadding(std::string_view s) { return TrimSpace(s).ends_with('='); }

class Decoder {
 public:
  Decoder(std::string_view text, std::string_view file_name)
      : text_(text), file_name_(file_name), reader_(text) {}

  Result<ParsedDockerConfig> Decode(DockerConfigFormat format) {
    if (auto syntax = CheckJsonSyntax(text_)) {
      return Fail(ErrorCode::kInvalidArgument, syntax->message, Where(syntax->offset, ""));
    }
    std::optional<GoDecodeError> hard =
        format == DockerConfigFormat::kConfigJson ? DecodeConfigJson() : DecodeTopLevelMap();
    if (hard) return Failure(*hard);
    if (saved_) return Failure(*saved_);
    return std::move(result_);
  }

  // DockerConfigEntry.UnmarshalJSON on a whole document.
  Result<DockerConfigEntry> DecodeSingleEntry() {
    if (auto syntax = CheckJsonSyntax(text_)) {
      return Fail(ErrorCode::kInvalidArgument, syntax->message, Where(syntax->offset, ""));
    }
    auto entry = DecodeEntry("");
    if (!entry) return Failure(entry.error());
    return *entry;
  }

 private:
  std::string Where(std::size_t offset, std::string_view json_path) const {
    TextPosition at = PositionOf(text_, offset);
    std::string where =
        std::string(file_name_) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
    if (!json_path.empty()) where += " " + std::string(json_path);
    return where;
  }

  std::unexpected<Error> Failure(const GoDecodeError& error) const {
    return Fail(ErrorCode::kInvalidArgument, error.Message(), Where(error.offset, error.json_path));
  }

  void Warn(std::size_t offset, std::string_view json_path, std::string_view what) {
    result_.warnings.push_back(Where(offset, json_path) + ": " + std::string(what));
  }

  void Save(GoDecodeError error) {
    if (!saved_) saved_ = std::move(error);
  }

  // {"auths": ..., "HttpHeaders": ...}; other keys are ignored, credential helpers with a warning.
  std::optional<GoDecodeError> DecodeConfigJson() {
    static constexpr std::array<std::string_view, 2> kFields = {"auths", "HttpHeaders"};
    JsonKind kind = reader_.Peek();
    if (kind == JsonKind::kNull) return std::nullopt;
    if (kind != JsonKind::kObject) {
      Save(TypeError(kind, "", "", kConfigJsonType, reader_.offset(), ""));
      return std::nullopt;
    }
    reader_.EnterObject();
    std::string key;
    while (reader_.NextMember(key)) {
      JsonKind value_kind = reader_.Peek();
      std::size_t value_offset = reader_.offset();
      int field = MatchField(key, kFields);
      if (field == 0) {
        if (value_kind == JsonKind::kObject) {
          if (auto error = DecodeAuthsMap("auths", true)) return error;
        } else {
          if (value_kind == JsonKind::kNull) {
            result_.config.items.clear();
            index_.clear();
          } else {
            Save(TypeError(value_kind, kConfigJsonStruct, "auths", kDockerConfigType, value_offset,
                           "auths"));
          }
          reader_.SkipValue();
        }
      } else if (field == 1) {
        DecodeHttpHeaders(value_kind, value_offset);
      } else {
        if (key == "credsStore" || key == "credHelpers") {
          Warn(value_offset, key,
               "ignored: the kubelet never runs docker credential helpers; only \"auths\" "
               "gives it credentials (CRED-04)");
        }
        reader_.SkipValue();
      }
    }
    return std::nullopt;
  }

  void DecodeHttpHeaders(JsonKind kind, std::size_t offset) {
    if (kind == JsonKind::kNull) {
      result_.http_headers.clear();
      reader_.SkipValue();
      return;
    }
    if (kind != JsonKind::kObject) {
      Save(TypeError(kind, kConfigJsonStruct, "HttpHeaders", "map[string]string", offset,
                     "HttpHeaders"));
      reader_.SkipValue();
      return;
    }
    reader_.EnterObject();
    std::string name;
    while (reader_.NextMember(name)) {
      JsonKind value_kind = reader_.Peek();
      std::string value;
      if (value_kind == JsonKind::kString) {
        value = reader_.ReadString();
      } else {
        if (value_kind != JsonKind::kNull) {
          Save(TypeError(value_kind, kConfigJsonStruct, "HttpHeaders", "string", reader_.offset(),
                         KeyPath("HttpHeaders", name)));
        }
        reader_.SkipValue();
      }
      result_.http_headers[name] = std::move(value);
    }
  }

  // A .dockercfg: the registry map is the whole document.
  std::optional<GoDecodeError> DecodeTopLevelMap() {
    JsonKind kind = reader_.Peek();
    if (kind == JsonKind::kNull) return std::nullopt;
    if (kind != JsonKind::kObject) {
      Save(TypeError(kind, "", "", kDockerConfigType, reader_.offset(), ""));
      return std::nullopt;
    }
    return DecodeAuthsMap("", false);
  }

  // map[string]DockerConfigEntry. An entry error stops decoding (it comes from UnmarshalJSON);
  // inside config.json Go adds the struct context "DockerConfigJSON.auths" to type errors.
  std::optional<GoDecodeError> DecodeAuthsMap(std::string_view path, bool in_config_json) {
    reader_.EnterObject();
    std::string key;
    while (reader_.NextMember(key)) {
      std::string key_path = KeyPath(path, key);
      auto entry = DecodeEntry(key_path);
      if (!entry) {
        GoDecodeError error = entry.error();
        if (in_config_json && error.is_type_error()) {
          error.struct_name = std::string(kConfigJsonStruct);
          error.field = error.field.empty() ? "auths" : "auths." + error.field;
        }
        return error;
      }
      auto [it, inserted] = index_.try_emplace(key, result_.config.items.size());
      if (inserted) {
        result_.config.items.push_back({key, *std::move(entry)});
      } else {
        result_.config.items[it->second].entry = *std::move(entry);
      }
    }
    return std::nullopt;
  }

  // DockerConfigEntry.UnmarshalJSON: decode into {username, password, email, auth}, then let a
  // non-empty auth override username and password.
  std::expected<DockerConfigEntry, GoDecodeError> DecodeEntry(const std::string& path) {
    static constexpr std::array<std::string_view, 4> kFields = {"username", "password", "email",
                                                                "auth"};
    JsonKind kind = reader_.Peek();
    std::size_t offset = reader_.offset();
    if (kind == JsonKind::kNull) {
      reader_.SkipValue();
      return DockerConfigEntry{};
    }
    if (kind != JsonKind::kObject) {
      return std::unexpected(TypeError(kind, "", "", kEntryType, offset, path));
    }
    std::array<std::string, 4> values;
    std::size_t auth_offset = offset;
    std::optional<GoDecodeError> saved;
    reader_.EnterObject();
    std::string key;
    while (reader_.NextMember(key)) {
      JsonKind value_kind = reader_.Peek();
      std::size_t value_offset = reader_.offset();
      int field = MatchField(key, kFields);
      if (field < 0) {
        if (key == "identitytoken" || key == "registrytoken") {
          Warn(value_offset, path + "." + key,
               "ignored: the kubelet reads only username, password, email and auth (CRED-05)");
        }
        reader_.SkipValue();
        continue;
      }
      auto index = static_cast<std::size_t>(field);
      if (value_kind == JsonKind::kString) {
        values[index] = reader_.ReadString();
        if (index == 3) auth_offset = value_offset;
        continue;
      }
      if (value_kind != JsonKind::kNull && !saved) {
        saved = TypeError(value_kind, kEntryStruct, kFields[index], "string", value_offset,
                          path + "." + std::string(kFields[index]));
      }
      reader_.SkipValue();
    }
    if (saved) return std::unexpected(*std::move(saved));
    DockerConfigEntry entry{values[0], values[1], values[2]};
    if (values[3].empty()) return entry;
    auto decoded = DecodeAuthField(values[3]);
    if (!decoded) {
      GoDecodeError error;
      error.plain = decoded.error().message;
      error.offset = auth_offset;
      error.json_path = path + ".auth";
      return std::unexpected(std::move(error));
    }
    entry.username = std::move(decoded->username);
    entry.password = std::move(decoded->password);
    return entry;
  }

  std::string_view text_;
  std::string_view file_name_;
  JsonReader reader_;
  ParsedDockerConfig result_;
  std::unordered_map<std::string, std::size_t> index_;
  std::optional<GoDecodeError> saved_;
};

}  // namespace

void DockerConfig::Set(std::string registry_key, DockerConfigEntry entry) {
  for (DockerConfigItem& item : items) {
    if (item.registry_key == registry_key) {
      item.entry = std::move(entry);
      return;
    }
  }
  items.push_back({std::move(registry_key), std::move(entry)});
}

const DockerConfigEntry* DockerConfig::Find(std::string_view registry_key) const {
  for (const DockerConfigItem& item : items) {
    if (item.registry_key == registry_key) return &item.entry;
  }
  return nullptr;
}

Result<ParsedDockerConfig> ParseDockerConfig(std::string_view bytes, DockerConfigFormat format,
                                             std::string_view file_name) {
  return Decoder(bytes, file_name).Decode(format);
}

DockerConfigFormat FormatForFileName(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base == ".dockercfg" ? DockerConfigFormat::kDockercfg : DockerConfigFormat::kConfigJson;
}

Result<DockerConfigEntry> DecodeDockerConfigEntry(std::string_view json) {
  return Decoder(json, "entry").DecodeSingleEntry();
}

Result<UsernamePassword> DecodeAuthField(std::string_view auth) {
  // CRED-05: StdEncoding decodes only padded input and RawStdEncoding only unpadded input, so
  // the kubelet picks one by the last non-space character.
  auto decoded =
      DecodeBase64(auth, EndsWithPadding(auth) ? Base64Encoding::kStd : Base64Encoding::kRawStd);
  if (!decoded) return std::unexpected(decoded.error());
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos)
    return Fail(ErrorCode::kInvalidArgument, std::string(kAuthFieldError));
  return UsernamePassword{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace pullsim::credentials
