#pragma once
// Strict, position-keeping reading of one manifest document with yaml-cpp: shapes and scalar types
// are checked the way the API server's JSON decoding checks them after kubectl turned YAML into
// JSON (a plain `1.0` or `yes` is a number or a bool, not a string), unknown fields are refused
// (kubectl's default --validate=strict), and every field's position is recorded by path.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/cluster/source_position.h"
#include "sim/core/result.h"

namespace pullsim::cluster::internal {

class YamlReader {
 public:
  // Positions go to `source` (not owned; must outlive the reader).
  YamlReader(std::string_view file, SourceMap& source) : file_(file), source_(&source) {}

  [[nodiscard]] SourcePosition Position(const YAML::Node& node) const;
  // kInvalidArgument with `where` at `node` and the message "<path>: <message>".
  [[nodiscard]] Error Fail(const YAML::Node& node, std::string_view path,
                           std::string_view message) const;
  void Record(std::string path, const YAML::Node& node) const;

  // The (key, value) pairs of a mapping (a null node has none), in document order. Refuses a
  // non-mapping, a repeated key and, unless `known` is empty, a key outside `known` (as the API
  // server's strict decoding: `unknown field "spec.containers[0].imagePullPolicyy"`). Records
  // each key's position under path + "." + key.
  [[nodiscard]] Result<std::vector<std::pair<std::string, YAML::Node>>> Fields(
      const YAML::Node& node, std::string_view path, std::span<const std::string_view> known) const;
  // Fields() accepting any key.
  [[nodiscard]] Result<std::vector<std::pair<std::string, YAML::Node>>> AnyFields(
      const YAML::Node& node, std::string_view path) const;
  // The entries of a map-valued field (labels, data): any key, positions recorded as path[key].
  [[nodiscard]] Result<std::vector<std::pair<std::string, YAML::Node>>> MapEntries(
      const YAML::Node& node, std::string_view path) const;

  // The items of a sequence (a null node has none); records each item's position as path[i].
  [[nodiscard]] Result<std::vector<YAML::Node>> Items(const YAML::Node& node,
                                                      std::string_view path) const;

  // A string field: a quoted scalar, or a plain one that YAML does not read as null, a bool or a
  // number (those are refused, with a hint to quote). Null gives "".
  [[nodiscard]] Result<std::string> String(const YAML::Node& node, std::string_view path) const;
  // A bool field (YAML 1.1 spellings: true/false, yes/no, on/off); null gives nullopt.
  [[nodiscard]] Result<std::optional<bool>> Bool(const YAML::Node& node,
                                                 std::string_view path) const;
  // A map of strings (labels, annotations, stringData); null gives an empty map.
  [[nodiscard]] Result<std::map<std::string, std::string>> StringMap(const YAML::Node& node,
                                                                     std::string_view path) const;

  // CanonicalText of a field's value, or an error at it when the value is too large or nested.
  [[nodiscard]] Result<std::string> Canonical(const YAML::Node& node, std::string_view path) const;

  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  Result<std::vector<std::pair<std::string, YAML::Node>>> Entries(
      const YAML::Node& node, std::string_view path, std::span<const std::string_view> known,
      bool keyed) const;

  std::string file_;
  SourceMap* source_;
};

// A stable text form of a node for equality checks: mappings with sorted keys, plain and quoted
// scalars told apart, layout and comments ignored. nullopt when the node nests deeper than 256
// levels or expands past 4 MiB (an alias cycle or an alias bomb).
[[nodiscard]] std::optional<std::string> CanonicalText(const YAML::Node& node);

// What a plain scalar reads as under YAML 1.1 (go-yaml v2, which kubectl's YAML-to-JSON uses).
enum class PlainScalarType { kNull, kBool, kInt, kFloat, kString };
[[nodiscard]] PlainScalarType ResolvePlainScalar(std::string_view text);

// True for a scalar node that is read as a string: quoted, !!str, built in code (no tag), or
// plain and resolving to a string.
[[nodiscard]] bool IsStringScalar(const YAML::Node& node);

// `path` + "." + `key`, or `key` when path is empty.
[[nodiscard]] std::string ChildPath(std::string_view path, std::string_view key);
// `path` + "[key]", the API server's form for a map entry ("data[.dockercfg]").
[[nodiscard]] std::string KeyPath(std::string_view path, std::string_view key);
// `path` + "[i]".
[[nodiscard]] std::string IndexPath(std::string_view path, size_t i);

}  // namespace pullsim::cluster::internal
