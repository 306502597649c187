#pragma once
// Strict JSON reading for OCI documents: size and depth limits, no duplicate keys, and typed
// field access whose errors name the field path ("manifests[2].digest") and what was expected.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/result.h"

namespace pullsim::oci::internal {

// The distribution registry refuses manifests over 4 MiB; pullsim applies that limit to every
// JSON document it reads (manifests, indexes, configs, index.json).
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{4} << 20;
// Real documents nest 4 or 5 levels deep; anything past this is hostile.
inline constexpr std::size_t kMaxDocumentDepth = 64;

// `text` quoted for an error message: control and non-ASCII bytes escaped, long text cut.
[[nodiscard]] std::string Quote(std::string_view text, std::size_t max = 200);

// "string", "number", "object", ... for "expected a string, got number".
[[nodiscard]] std::string_view TypeName(const nlohmann::json& value);

// Parses `text` as one JSON value. `what` ("image manifest") opens each message.
// kInvalidArgument: larger than kMaxDocumentBytes, nested deeper than kMaxDocumentDepth, a
// duplicate key in one object (where = its path), or a syntax error (line and column).
[[nodiscard]] Result<nlohmann::json> ParseStrictJson(std::string_view text, std::string_view what);

// "a.b", "a[3]" from a parent path and a child key or index.
[[nodiscard]] std::string JoinPath(std::string_view parent, std::string_view key);
[[nodiscard]] std::string JoinPath(std::string_view parent, std::size_t index);

// Typed reads of one object's fields. Every error is kInvalidArgument with where = the field's
// path and a message saying what was expected. Unknown fields are ignored (image-spec: readers
// MUST ignore unknown properties).
class Fields {
 public:
  // Fails unless `value` is an object.
  [[nodiscard]] static Result<Fields> Of(const nlohmann::json& value, std::string path);

  [[nodiscard]] bool Has(std::string_view key) const;
  [[nodiscard]] std::string Path(std::string_view key) const { return JoinPath(path_, key); }
  [[nodiscard]] const std::string& path() const { return path_; }

  [[nodiscard]] Result<std::string> String(std::string_view key) const;
  [[nodiscard]] Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  // An integer in [0, 2^63).
  [[nodiscard]] Result<std::int64_t> NonNegativeInt(std::string_view key) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> OptionalNonNegativeInt(
      std::string_view key) const;
  [[nodiscard]] Result<std::vector<std::string>> OptionalStringArray(std::string_view key) const;
  [[nodiscard]] Result<std::map<std::string, std::string>> OptionalStringMap(
      std::string_view key) const;
  // The array at `key`; nullptr when absent (or null) and not required.
  [[nodiscard]] Result<const nlohmann::json*> Array(std::string_view key, bool required) const;
  // The object at `key`; nullptr when absent (or null) and not required.
  [[nodiscard]] Result<const nlohmann::json*> Object(std::string_view key, bool required) const;

 private:
  Fields(const nlohmann::json& object, std::string path)
      : object_(&object), path_(std::move(path)) {}
  [[nodiscard]] const nlohmann::json* Find(std::string_view key) const;
  // Find, with null read as absent.
  [[nodiscard]] const nlohmann::json* FindOptional(std::string_view key) const;

  const nlohmann::json* object_;
  std::string path_;
};

// kInvalidArgument at `path`: "missing required field".
[[nodiscard]] Error MissingField(const std::string& path);
// kInvalidArgument at `path`: "expected <expected>, got <type of value>".
[[nodiscard]] Error WrongType(const std::string& path, std::string_view expected,
                              const nlohmann::json& value);

}  // namespace pullsim::oci::internal
