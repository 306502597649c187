#include "sim/cluster/internal/yaml_reader.h"

#include <algorithm>
#include <initializer_list>
#include <set>

namespace pullsim::cluster::internal {
namespace {

bool OneOf(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), text) != words.end();
}

bool IsInteger(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  if (text.empty()) return false;
  std::string_view digits = "0123456789_";
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    digits = "0123456789abcdefABCDEF_";
    text.remove_prefix(2);
  } else if (text.size() > 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
    digits = "01_";
    text.remove_prefix(2);
  } else if (text.front() == '_') {
    return false;
  }
  return !text.empty() && text.find_first_not_of(digits) == std::string_view::npos;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloat(std::string_view text) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '_')) ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

std::string_view TypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "null";
    default:
      break;
  }
  if (node.Tag() != "?") return "a string";  // quoted, tagged or built in code
  switch (ResolvePlainScalar(node.Scalar())) {
    case PlainScalarType::kNull:
      return "null";
    case PlainScalarType::kBool:
      return "a bool";
    case PlainScalarType::kInt:
    case PlainScalarType::kFloat:
      return "a number";
    case PlainScalarType::kString:
      break;
  }
  return "a string";
}

constexpr int kMaxCanonicalDepth = 256;
constexpr size_t kMaxCanonicalSize = 4 << 20;

// False when the node is deeper or larger than the limits above.
bool AppendCanonical(const YAML::Node& node, std::string& out, int depth) {
  if (depth > kMaxCanonicalDepth || out.size() > kMaxCanonicalSize) return false;
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      std::map<std::string, std::string> entries;
      for (auto it = node.begin(); it != node.end(); ++it) {
        std::string value;
        if (!AppendCanonical(it->second, value, depth + 1)) return false;
        if (value.size() > kMaxCanonicalSize) return false;
        entries[it->first.IsScalar() ? it->first.Scalar() : "?"] = std::move(value);
      }
      out += '{';
      for (const auto& [key, value] : entries) out += key + ':' + value + ',';
      out += '}';
      return out.size() <= kMaxCanonicalSize;
    }
    case YAML::NodeType::Sequence:
      out += '[';
      for (const YAML::Node& item : node) {
        if (!AppendCanonical(item, out, depth + 1)) return false;
        out += ',';
      }
      out += ']';
      return true;
    case YAML::NodeType::Scalar:
      out += IsStringScalar(node) ? "s" : "p";
      out += std::to_string(node.Scalar().size()) + ':' + node.Scalar();
      return true;
    default:
      out += '~';
      return true;
  }
}

}  // namespace

PlainScalarType ResolvePlainScalar(std::string_view text) {
  if (OneOf(text, {"", "~", "null", "Null", "NULL"})) return PlainScalarType::kNull;
  if (OneOf(text,
            {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
             "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})) {
    return PlainScalarType::kBool;
  }
  if (OneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                   ".nan", ".NaN", ".NAN"})) {
    return PlainScalarType::kFloat;
  }
  if (IsInteger(text)) return PlainScalarType::kInt;
  if (IsFloat(text)) return PlainScalarType::kFloat;
  return PlainScalarType::kString;
}

bool IsStringScalar(const YAML::Node& node) {
  if (!node.IsDefined() || !node.IsScalar()) return false;
  const std::string& tag = node.Tag();
  if (tag == "?") return ResolvePlainScalar(node.Scalar()) == PlainScalarType::kString;
  // "" is a scalar built in code (a scenario runner's node), which holds the string it was given.
  return tag.empty() || tag == "!" || tag.ends_with(":str");
}

std::string ChildPath(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string child(path);
  child += '.';
  child += key;
  return child;
}

std::string KeyPath(std::string_view path, std::string_view key) {
  std::string child(path);
  child += '[';
  child += key;
  child += ']';
  return child;
}

std::string IndexPath(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

std::optional<std::string> CanonicalText(const YAML::Node& node) {
  std::string out;
  if (!node.IsDefined()) return out;
  if (!AppendCanonical(node, out, 0)) return std::nullopt;
  return out;
}

Result<std::string> YamlReader::Canonical(const YAML::Node& node, std::string_view path) const {
  std::optional<std::string> text = CanonicalText(node);
  if (!text) {
    return std::unexpected(
        Fail(node, path, "value nests too deeply or expands too far (an alias cycle?)"));
  }
  return *std::move(text);
}

SourcePosition YamlReader::Position(const YAML::Node& node) const {
  if (!node.IsDefined()) return {file_, -1, -1};  // a missing key has no mark
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file_, -1, -1};
  return {file_, mark.line, mark.column};
}

Error YamlReader::Fail(const YAML::Node& node, std::string_view path,
                       std::string_view message) const {
  std::string text = path.empty() ? std::string() : std::string(path) + ": ";
  text += message;
  return Error{ErrorCode::kInvalidArgument, std::move(text), Position(node).ToString()};
}

void YamlReader::Record(std::string path, const YAML::Node& node) const {
  source_->Record(std::move(path), Position(node));
}

Result<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::Fields(
    const YAML::Node& node, std::string_view path, std::span<const std::string_view> known) const {
  return Entries(node, path, known, false);
}

Result<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::MapEntries(
    const YAML::Node& node, std::string_view path) const {
  return Entries(node, path, {}, true);
}

Result<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::Entries(
    const YAML::Node& node, std::string_view path, std::span<const std::string_view> known,
    bool keyed) const {
  std::vector<std::pair<std::string, YAML::Node>> fields;
  if (!node.IsDefined() || node.IsNull()) return fields;
  if (!node.IsMap()) {
    return std::unexpected(
        Fail(node, path, "expected a mapping, got " + std::string(TypeName(node))));
  }
  std::set<std::string, std::less<>> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: `it->` yields a temporary proxy
    if (!key.IsScalar()) return std::unexpected(Fail(key, path, "a key must be a scalar"));
    std::string name = key.Scalar();
    const std::string child = keyed ? KeyPath(path, name) : ChildPath(path, name);
    if (!seen.insert(name).second) {
      return std::unexpected(Fail(key, "", "duplicate field \"" + child + "\""));
    }
    if (known.size() > 0 && std::find(known.begin(), known.end(), name) == known.end()) {
      return std::unexpected(
          Fail(key, "", "strict decoding error: unknown field \"" + child + "\""));
    }
    source_->Record(child, Position(key));
    fields.emplace_back(std::move(name), it->second);
  }
  return fields;
}

Result<std::vector<std::pair<std::string, YAML::Node>>> YamlReader::AnyFields(
    const YAML::Node& node, std::string_view path) const {
  return Entries(node, path, {}, false);
}

Result<std::vector<YAML::Node>> YamlReader::Items(const YAML::Node& node,
                                                  std::string_view path) const {
  std::vector<YAML::Node> items;
  if (!node.IsDefined() || node.IsNull()) return items;
  if (!node.IsSequence()) {
    return std::unexpected(Fail(node, path, "expected a list, got " + std::string(TypeName(node))));
  }
  for (const YAML::Node& item : node) {
    source_->Record(IndexPath(path, items.size()), Position(item));
    items.push_back(item);
  }
  return items;
}

Result<std::string> YamlReader::String(const YAML::Node& node, std::string_view path) const {
  if (!node.IsDefined() || node.IsNull()) return std::string();
  if (node.IsScalar() && node.Tag() == "?" &&
      ResolvePlainScalar(node.Scalar()) == PlainScalarType::kNull) {
    return std::string();
  }
  if (IsStringScalar(node)) return node.Scalar();
  std::string message = "expected a string, got " + std::string(TypeName(node));
  if (node.IsScalar()) message += " " + node.Scalar() + " (quote it: \"" + node.Scalar() + "\")";
  return std::unexpected(Fail(node, path, message));
}

Result<std::optional<bool>> YamlReader::Bool(const YAML::Node& node, std::string_view path) const {
  if (!node.IsDefined() || node.IsNull()) return std::optional<bool>();
  if (node.IsScalar() && (node.Tag() == "?" || node.Tag().empty())) {
    const std::string& text = node.Scalar();
    if (ResolvePlainScalar(text) == PlainScalarType::kNull) return std::optional<bool>();
    if (OneOf(text, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
      return std::optional<bool>(true);
    }
    if (OneOf(text, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
      return std::optional<bool>(false);
    }
  }
  std::string message = "expected a bool, got " + std::string(TypeName(node));
  if (node.IsScalar()) message += " " + node.Scalar();
  return std::unexpected(Fail(node, path, message));
}

Result<std::map<std::string, std::string>> YamlReader::StringMap(const YAML::Node& node,
                                                                 std::string_view path) const {
  auto fields = MapEntries(node, path);
  if (!fields) return std::unexpected(fields.error());
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : *fields) {
    auto text = String(value, KeyPath(path, key));
    if (!text) return std::unexpected(text.error());
    values[key] = *std::move(text);
  }
  return values;
}

}  // namespace pullsim::cluster::internal
