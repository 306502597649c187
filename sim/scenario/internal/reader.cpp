#include "sim/scenario/internal/reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <unordered_map>
#include <utility>

namespace pullsim::scenario::internal {
namespace {

constexpr std::string_view kTagStr = "tag:yaml.org,2002:str";
constexpr std::string_view kTagInt = "tag:yaml.org,2002:int";
constexpr std::string_view kTagBool = "tag:yaml.org,2002:bool";
constexpr std::string_view kTagFloat = "tag:yaml.org,2002:float";
constexpr std::string_view kTagNull = "tag:yaml.org,2002:null";

bool IsDigits(std::string_view s, bool hex = false) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [hex](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ||
           (hex && std::isxdigit(static_cast<unsigned char>(c)));
  });
}

bool IsCoreInt(std::string_view s) {
  if (s.starts_with("0x")) return IsDigits(s.substr(2), true);
  if (s.starts_with("0o")) {
    return IsDigits(s.substr(2)) && s.substr(2).find_first_of("89") == std::string_view::npos;
  }
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  return IsDigits(s);
}

bool IsCoreFloat(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
    return true;
  }
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  return i == s.size();
}

std::string Quote(std::string_view text, std::size_t limit = 60) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : text) {
    if (++n > limit) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string Normalize(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c == '_' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), three rows.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? (names.size() == 2 ? " or " : ", or ") : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

ScalarType ClassifyScalar(const YAML::Node& node) {
  if (node.IsNull()) return ScalarType::kNull;
  const std::string& tag = node.Tag();
  if (tag == "!") return ScalarType::kString;  // quoted or block scalar
  if (tag == kTagStr) return ScalarType::kString;
  if (tag == kTagInt) return ScalarType::kInt;
  if (tag == kTagBool) return ScalarType::kBool;
  if (tag == kTagFloat) return ScalarType::kFloat;
  if (tag == kTagNull) return ScalarType::kNull;
  if (tag != "?" && !tag.empty()) return ScalarType::kUnsupported;
  const std::string& s = node.Scalar();
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarType::kNull;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return ScalarType::kBool;
  }
  if (IsCoreInt(s)) return ScalarType::kInt;
  if (IsCoreFloat(s)) return ScalarType::kFloat;
  return ScalarType::kString;
}

YAML::Mark Field::Mark() const {
  if (key.IsDefined() && (!value.IsDefined() || value.IsNull())) return key.Mark();
  if (value.IsDefined()) return value.Mark();
  return key.IsDefined() ? key.Mark() : YAML::Mark();
}

std::string JoinPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (IsIdentifier(key)) {
    if (!out.empty()) out += '.';
    out += key;
  } else {
    out += "[" + Quote(key) + "]";
  }
  return out;
}

std::string IndexPath(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string_view Suggest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string normal = Normalize(word);
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : candidates) {
    std::size_t distance = EditDistance(normal, Normalize(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  std::size_t allowed = normal.size() <= 5 ? 1 : normal.size() <= 10 ? 2 : 3;
  return best_distance <= allowed ? best : std::string_view();
}

void Diagnostics::Add(Diagnostic diagnostic) {
  if (full()) {
    ++omitted_;
    return;
  }
  list_.push_back(std::move(diagnostic));
}

LoadError Diagnostics::Take() {
  LoadError error{std::move(list_), omitted_};
  list_.clear();
  omitted_ = 0;
  return error;
}

SourceLocation Context::Location(const YAML::Mark& mark) const {
  if (mark.is_null() || mark.line < 0) return SourceLocation{file_, 0, 0};
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

void Context::Error(const Field& at, std::string message) {
  Error(at.Mark(), at.path, std::move(message));
}

void Context::Error(const YAML::Mark& mark, std::string path, std::string message) {
  sink_->Add(
      Diagnostic{ErrorCode::kInvalidArgument, Location(mark), std::move(path), std::move(message)});
}

std::string Context::Describe(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      break;
  }
  switch (ClassifyScalar(node)) {
    case ScalarType::kNull:
      return "null";
    case ScalarType::kBool:
      return node.Scalar() + " (a boolean)";
    case ScalarType::kInt:
    case ScalarType::kFloat:
      return node.Scalar() + " (a number)";
    case ScalarType::kUnsupported:
      return Quote(node.Scalar()) + " tagged " + node.Tag();
    case ScalarType::kString:
      break;
  }
  return Quote(node.Scalar());
}

std::optional<std::string> Context::String(const Field& field) {
  if (field.value.IsScalar()) {
    ScalarType type = ClassifyScalar(field.value);
    // yaml-cpp keeps a plain number's text as written ("1.10" stays "1.10"), so a tag or a
    // version may go unquoted.
    if (type == ScalarType::kString || type == ScalarType::kInt || type == ScalarType::kFloat) {
      return field.value.Scalar();
    }
    if (type == ScalarType::kBool) {
      Error(field, "expected a string, got " + Describe(field.value) +
                       "; quote it to mean the text " + Quote(field.value.Scalar()));
      return std::nullopt;
    }
  }
  Error(field, "expected a string, got " + Describe(field.value));
  return std::nullopt;
}

std::optional<std::string> Context::NonEmptyString(const Field& field) {
  auto text = String(field);
  if (text && text->empty()) {
    Error(field, "must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> Context::Bool(const Field& field) {
  if (field.value.IsScalar() && ClassifyScalar(field.value) == ScalarType::kBool) {
    char first = field.value.Scalar().empty() ? 'f' : field.value.Scalar().front();
    return first == 't' || first == 'T';
  }
  Error(field, "expected true or false, got " + Describe(field.value));
  return std::nullopt;
}

std::optional<std::int64_t> Context::Integer(const Field& field, std::int64_t min,
                                             std::int64_t max) {
  if (!field.value.IsScalar() || ClassifyScalar(field.value) != ScalarType::kInt) {
    Error(field, "expected an integer, got " + Describe(field.value));
    return std::nullopt;
  }
  std::string_view text = field.value.Scalar();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0o")) {
    base = text[1] == 'x' ? 16 : 8;
    text.remove_prefix(2);
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    Error(field, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got " + field.value.Scalar());
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> Context::DurationValue(const Field& field) {
  if (!field.value.IsScalar() || ClassifyScalar(field.value) == ScalarType::kNull ||
      ClassifyScalar(field.value) == ScalarType::kBool) {
    Error(field, "expected a duration such as \"30s\" or \"1m30s\", got " + Describe(field.value));
    return std::nullopt;
  }
  auto duration = ParseDuration(field.value.Scalar());
  if (!duration) {
    Error(field, duration.error().message);
    return std::nullopt;
  }
  if (duration->count() < 0) {
    Error(field, "duration " + Quote(field.value.Scalar()) + " must not be negative");
    return std::nullopt;
  }
  return *duration;
}

std::optional<std::vector<Field>> Context::List(const Field& field) {
  if (!field.value.IsSequence()) {
    Error(field, "expected a list, got " + Describe(field.value));
    return std::nullopt;
  }
  std::vector<Field> items;
  items.reserve(field.value.size());
  std::size_t i = 0;
  for (const YAML::Node& item : field.value) {
    items.push_back(Field{YAML::Node(), item, IndexPath(field.path, i++)});
  }
  return items;
}

std::optional<std::vector<std::string>> Context::StringList(const Field& field, bool allow_single) {
  if (allow_single && field.value.IsScalar()) {
    auto one = NonEmptyString(field);
    if (!one) return std::nullopt;
    return std::vector<std::string>{*one};
  }
  auto items = List(field);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const Field& item : *items) {
    auto text = NonEmptyString(item);
    if (text) {
      out.push_back(std::move(*text));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<MapView> Context::Map(const Field& field,
                                    std::initializer_list<std::string_view> keys,
                                    std::initializer_list<std::string_view> required) {
  return ReadMap(field, std::span<const std::string_view>(keys.begin(), keys.size()),
                 std::span<const std::string_view>(required.begin(), required.size()), false);
}

std::optional<MapView> Context::Map(const Field& field, std::span<const std::string_view> keys,
                                    std::span<const std::string_view> required) {
  return ReadMap(field, keys, required, false);
}

std::optional<MapView> Context::FreeMap(const Field& field) { return ReadMap(field, {}, {}, true); }

std::optional<MapView> Context::ReadMap(const Field& field, std::span<const std::string_view> keys,
                                        std::span<const std::string_view> required, bool free) {
  if (!field.value.IsMap()) {
    Error(field, "expected a mapping, got " + Describe(field.value));
    return std::nullopt;
  }
  std::vector<Field> entries;
  std::unordered_map<std::string, int> first_line;  // key -> line it was first written on
  for (const auto& entry : field.value) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar() || ClassifyScalar(key) == ScalarType::kNull) {
      Error(key.Mark(), field.path, "keys must be strings, got " + Describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    std::string path = JoinPath(field.path, name);
    auto [seen, inserted] = first_line.emplace(name, key.Mark().line + 1);
    if (!inserted) {
      Error(key.Mark(), path,
            "duplicate key " + Quote(name) + " (first written at line " +
                std::to_string(seen->second) + ")");
      continue;
    }
    if (!free && std::find(keys.begin(), keys.end(), name) == keys.end()) {
      if (sink_->full()) {  // counted only: spare the suggestion
        sink_->Add(Diagnostic{});
        continue;
      }
      std::string message = "unknown key " + Quote(name);
      if (name == "<<") {
        message += " (YAML merge keys are not supported; repeat the fields or use an alias)";
      } else if (std::string_view suggestion = Suggest(name, keys); !suggestion.empty()) {
        message += "; did you mean \"" + std::string(suggestion) + "\"?";
      } else {
        message += "; expected " + JoinNames(keys);
      }
      Error(key.Mark(), path, std::move(message));
      continue;
    }
    entries.push_back(Field{key, entry.second, std::move(path)});
  }
  for (std::string_view name : required) {
    if (!first_line.contains(std::string(name))) {
      Error(field.value.Mark(), field.path, "missing required field \"" + std::string(name) + "\"");
    }
  }
  return MapView(field, std::move(entries));
}

void Context::UnknownWord(const Field& field, std::string_view text,
                          std::span<const std::string_view> names, std::string_view what) {
  Error(field, "unknown " + std::string(what) + " " + Quote(text) + Hint(text, names));
}

std::string Context::Hint(std::string_view text, std::span<const std::string_view> names) {
  if (names.empty()) return " (there are none)";
  if (std::string_view suggestion = Suggest(text, names); !suggestion.empty()) {
    return "; did you mean \"" + std::string(suggestion) + "\"?";
  }
  if (names.size() > 12) return "";
  return "; expected " + JoinNames(names);
}

std::optional<Field> MapView::Get(std::string_view key) const {
  for (const Field& entry : entries_) {
    if (entry.key.Scalar() == key) return entry;
  }
  return std::nullopt;
}

}  // namespace pullsim::scenario::internal
