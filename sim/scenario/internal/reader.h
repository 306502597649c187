#pragma once
// The strict reader under the scenario loader: typed reads of yaml-cpp nodes that report each
// problem (wrong type, unknown or duplicate key, missing field, bad value) with its position and
// field path, and carry on, so one load reports every problem of a file up to a cap.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/clock.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/names.h"

namespace pullsim::scenario::internal {

// What a scalar means under the YAML 1.2 core schema: quoted and block scalars are strings, plain
// ones may be null, a boolean or a number. kUnsupported: an explicit tag we do not read.
enum class ScalarType { kNull, kBool, kInt, kFloat, kString, kUnsupported };
[[nodiscard]] ScalarType ClassifyScalar(const YAML::Node& node);

// A value and how it was reached: its key (undefined for list items and the document root) and
// its field path ("nodes[0].kubelet.registryPullQPS").
struct Field {
  YAML::Node key;
  YAML::Node value;
  std::string path;

  // Where to point at the value: its own mark, or the key's when the value is empty.
  [[nodiscard]] YAML::Mark Mark() const;
};

// "a.b" / "a[3]" / `a["x.y"]`: joins a path and a key, quoting keys that are not identifiers.
[[nodiscard]] std::string JoinPath(std::string_view path, std::string_view key);
[[nodiscard]] std::string IndexPath(std::string_view path, std::size_t index);

// The closest of `candidates` to `word` (edit distance, ignoring case, '_' and '-'), or "" when
// none is close enough to be a likely typo.
[[nodiscard]] std::string_view Suggest(std::string_view word,
                                       std::span<const std::string_view> candidates);

// Collects diagnostics up to a cap, in the order found.
class Diagnostics {
 public:
  explicit Diagnostics(std::size_t cap) : cap_(cap) {}
  void Add(Diagnostic diagnostic);
  [[nodiscard]] bool full() const { return list_.size() >= cap_; }
  [[nodiscard]] bool empty() const { return list_.empty(); }
  [[nodiscard]] std::size_t count() const { return list_.size() + omitted_; }
  [[nodiscard]] LoadError Take();

 private:
  std::size_t cap_;
  std::vector<Diagnostic> list_;
  std::size_t omitted_ = 0;
};

class MapView;

// Reads the nodes of one file, reporting into a shared Diagnostics.
class Context {
 public:
  Context(std::string file, Diagnostics& sink) : file_(std::move(file)), sink_(&sink) {}

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] SourceLocation Location(const YAML::Mark& mark) const;
  [[nodiscard]] SourceLocation Location(const Field& field) const { return Location(field.Mark()); }
  [[nodiscard]] Diagnostics& sink() { return *sink_; }
  [[nodiscard]] std::size_t errors() const { return sink_->count(); }

  void Error(const Field& at, std::string message);
  void Error(const YAML::Mark& mark, std::string path, std::string message);

  // Each read reports what is wrong and returns nullopt; a null value counts as wrong. String()
  // takes plain numbers as their text but refuses booleans ("yes", "true") and null.
  [[nodiscard]] std::optional<std::string> String(const Field& field);
  [[nodiscard]] std::optional<std::string> NonEmptyString(const Field& field);
  [[nodiscard]] std::optional<bool> Bool(const Field& field);
  [[nodiscard]] std::optional<std::int64_t> Integer(const Field& field, std::int64_t min,
                                                    std::int64_t max);
  // A Go duration ("30s", "1m30s"), not negative.
  [[nodiscard]] std::optional<Duration> DurationValue(const Field& field);
  // The items of a list, each with its path.
  [[nodiscard]] std::optional<std::vector<Field>> List(const Field& field);
  // A list of non-empty strings, or one string standing for a list of one when `allow_single`.
  [[nodiscard]] std::optional<std::vector<std::string>> StringList(const Field& field,
                                                                   bool allow_single = false);
  // A mapping whose keys must be among `keys` (else "unknown key" with a suggestion); duplicate
  // and non-string keys are reported. `required` keys must be present.
  [[nodiscard]] std::optional<MapView> Map(const Field& field,
                                           std::initializer_list<std::string_view> keys,
                                           std::initializer_list<std::string_view> required = {});
  [[nodiscard]] std::optional<MapView> Map(const Field& field,
                                           std::span<const std::string_view> keys,
                                           std::span<const std::string_view> required);
  // A mapping with any string keys (feature gates, env, auth entries), duplicates reported.
  [[nodiscard]] std::optional<MapView> FreeMap(const Field& field);

  // A word of `table`; else "unknown <what> "x"; expected one of ..." with a suggestion.
  template <typename Enum>
  [[nodiscard]] std::optional<Enum> Word(const Field& field, std::span<const NameOf<Enum>> table,
                                         std::string_view what) {
    auto text = String(field);
    if (!text) return std::nullopt;
    if (auto value = ParseName(table, *text)) return value;
    std::vector<std::string_view> names;
    for (const auto& entry : table) names.push_back(entry.name);
    UnknownWord(field, *text, names, what);
    return std::nullopt;
  }

  // Reports `"text" is not a known <what>` with a suggestion or the list of `names`.
  void UnknownWord(const Field& field, std::string_view text,
                   std::span<const std::string_view> names, std::string_view what);

  // "; did you mean \"x\"?", or "; expected a, b, or c", or " (there are none)".
  [[nodiscard]] static std::string Hint(std::string_view text,
                                        std::span<const std::string_view> names);

  // "got \"five\"", "got 5 (a number)", "got a list", "got null"
  [[nodiscard]] static std::string Describe(const YAML::Node& node);

 private:
  std::optional<MapView> ReadMap(const Field& field, std::span<const std::string_view> keys,
                                 std::span<const std::string_view> required, bool free);

  std::string file_;
  Diagnostics* sink_;
};

// The entries of one mapping, after Context::Map checked its keys.
class MapView {
 public:
  MapView(Field self, std::vector<Field> entries)
      : self_(std::move(self)), entries_(std::move(entries)) {}

  // The entry `key`, when written.
  [[nodiscard]] std::optional<Field> Get(std::string_view key) const;
  [[nodiscard]] bool Has(std::string_view key) const { return Get(key).has_value(); }
  [[nodiscard]] const Field& self() const { return self_; }
  [[nodiscard]] const std::vector<Field>& entries() const { return entries_; }

 private:
  Field self_;
  std::vector<Field> entries_;
};

}  // namespace pullsim::scenario::internal
