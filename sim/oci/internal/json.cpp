#include "sim/oci/internal/json.h"

#include <limits>
#include <utility>

namespace pullsim::oci::internal {
namespace {

using nlohmann::json;

// Builds the DOM through the SAX interface so that duplicate keys and excessive depth stop the
// parse at once, with the path of the offending object, instead of being silently accepted.
class StrictBuilder : public nlohmann::json_sax<json> {
 public:
  explicit StrictBuilder(std::string_view what) : what_(what) {}

  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool value) override { return Put(json(value)); }
  bool number_integer(number_integer_t value) override { return Put(json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Put(json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return Put(json(value));
  }
  bool string(string_t& value) override { return Put(json(std::move(value))); }
  bool binary(binary_t& value) override { return Put(json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) override { return Open(json::object()); }
  bool start_array(std::size_t /*size*/) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& key) override {
    Frame& frame = stack_.back();
    if (frame.value->contains(key)) {
      error_ = Error{ErrorCode::kInvalidArgument,
                     std::string(what_) + ": duplicate key " + Quote(key) + " in one object",
                     JoinPath(frame.path, key)};
      return false;
    }
    pending_key_ = std::move(key);
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    std::string text = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> from "parse".
    if (const std::size_t bracket = text.find("] "); bracket != std::string::npos) {
      text = text.substr(bracket + 2);
    }
    error_ =
        Error{ErrorCode::kInvalidArgument, std::string(what_) + " is not valid JSON: " + text, ""};
    return false;
  }

  json TakeRoot() { return std::move(root_); }
  std::optional<Error> TakeError() { return std::move(error_); }

 private:
  struct Frame {
    json* value;
    std::string path;
  };

  // Places `value` in the current container (or as the root); returns where it now lives.
  json* Place(json&& value, std::string* path) {
    if (stack_.empty()) {
      root_ = std::move(value);
      *path = "";
      return &root_;
    }
    Frame& frame = stack_.back();
    if (frame.value->is_object()) {
      *path = JoinPath(frame.path, pending_key_);
      json& slot = (*frame.value)[pending_key_];
      slot = std::move(value);
      return &slot;
    }
    *path = JoinPath(frame.path, frame.value->size());
    frame.value->push_back(std::move(value));
    return &frame.value->back();
  }

  bool Put(json&& value) {
    std::string path;
    Place(std::move(value), &path);
    return true;
  }

  bool Open(json&& container) {
    std::string path;
    json* placed = Place(std::move(container), &path);
    if (stack_.size() >= kMaxDocumentDepth) {
      error_ = Error{ErrorCode::kInvalidArgument,
                     std::string(what_) + ": nested deeper than " +
                         std::to_string(kMaxDocumentDepth) + " levels",
                     path};
      return false;
    }
    // Pointers stay valid: a container only grows while none of its children is open.
    stack_.push_back(Frame{placed, std::move(path)});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  std::string_view what_;
  json root_;
  std::vector<Frame> stack_;
  std::string pending_key_;
  std::optional<Error> error_;
};

}  // namespace

std::string Quote(std::string_view text, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool cut = text.size() > max;
  if (cut) text = text.substr(0, max);
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

std::string_view TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::binary:
      return "binary";
    case json::value_t::discarded:
      return "nothing";
  }
  return "unknown";
}

Result<json> ParseStrictJson(std::string_view text, std::string_view what) {
  if (text.size() > kMaxDocumentBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + " is " + std::to_string(text.size()) +
                    " bytes; documents over " + std::to_string(kMaxDocumentBytes) +
                    " bytes (4 MiB) are refused");
  }
  StrictBuilder builder(what);
  const bool ok = json::sax_parse(text, &builder);
  if (auto error = builder.TakeError()) return std::unexpected(std::move(*error));
  if (!ok) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + " is not valid JSON");
  }
  return builder.TakeRoot();
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.';
    if (!word) plain = false;
  }
  // "os.version" is one key; quote keys that would read ambiguously only when needed.
  std::string part = plain ? std::string(key) : "[" + Quote(key, 80) + "]";
  if (parent.empty()) return part;
  if (!plain) return std::string(parent) + part;
  return std::string(parent) + "." + part;
}

std::string JoinPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Error MissingField(const std::string& path) {
  return Error{ErrorCode::kInvalidArgument, "missing required field", path};
}

Error WrongType(const std::string& path, std::string_view expected, const json& value) {
  return Error{ErrorCode::kInvalidArgument,
               "expected " + std::string(expected) + ", got " + std::string(TypeName(value)), path};
}

Result<Fields> Fields::Of(const json& value, std::string path) {
  if (!value.is_object()) {
    return std::unexpected(WrongType(path.empty() ? "(document)" : path, "an object", value));
  }
  return Fields(value, std::move(path));
}

const json* Fields::Find(std::string_view key) const {
  const auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

const json* Fields::FindOptional(std::string_view key) const {
  const json* value = Find(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

bool Fields::Has(std::string_view key) const { return Find(key) != nullptr; }

Result<std::string> Fields::String(std::string_view key) const {
  const json* value = Find(key);
  if (value == nullptr) return std::unexpected(MissingField(Path(key)));
  if (!value->is_string()) return std::unexpected(WrongType(Path(key), "a string", *value));
  return value->get<std::string>();
}

Result<std::optional<std::string>> Fields::OptionalString(std::string_view key) const {
  const json* value = FindOptional(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return std::unexpected(WrongType(Path(key), "a string", *value));
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::int64_t> Fields::NonNegativeInt(std::string_view key) const {
  const json* raw = Find(key);
  if (raw == nullptr) return std::unexpected(MissingField(Path(key)));
  if (raw->is_null()) return std::unexpected(WrongType(Path(key), "an integer", *raw));
  auto value = OptionalNonNegativeInt(key);
  if (!value) return std::unexpected(value.error());
  return **value;
}

Result<std::optional<std::int64_t>> Fields::OptionalNonNegativeInt(std::string_view key) const {
  const json* value = FindOptional(key);
  if (value == nullptr) return std::optional<std::int64_t>();
  if (value->is_number_unsigned()) {
    const auto number = value->get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Fail(ErrorCode::kInvalidArgument,
                  "integer " + std::to_string(number) + " is out of range (at most 2^63-1)",
                  Path(key));
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(number));
  }
  if (value->is_number_integer()) {
    // Documents built in code hold signed integers even when they are not negative.
    const auto number = value->get<std::int64_t>();
    if (number >= 0) return std::optional<std::int64_t>(number);
    return Fail(ErrorCode::kInvalidArgument, "must not be negative, got " + std::to_string(number),
                Path(key));
  }
  return std::unexpected(WrongType(Path(key), "an integer", *value));
}

Result<std::vector<std::string>> Fields::OptionalStringArray(std::string_view key) const {
  const json* value = FindOptional(key);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    return std::unexpected(WrongType(Path(key), "an array of strings", *value));
  }
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (!item.is_string()) {
      return std::unexpected(WrongType(JoinPath(Path(key), i), "a string", item));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::map<std::string, std::string>> Fields::OptionalStringMap(std::string_view key) const {
  const json* value = FindOptional(key);
  std::map<std::string, std::string> out;
  if (value == nullptr) return out;
  if (!value->is_object()) {
    return std::unexpected(WrongType(Path(key), "an object of strings", *value));
  }
  for (const auto& [name, item] : value->items()) {
    if (!item.is_string()) {
      return std::unexpected(WrongType(JoinPath(Path(key), name), "a string", item));
    }
    out.emplace(name, item.get<std::string>());
  }
  return out;
}

Result<const json*> Fields::Array(std::string_view key, bool required) const {
  const json* value = required ? Find(key) : FindOptional(key);
  if (value == nullptr) {
    if (required) return std::unexpected(MissingField(Path(key)));
    return static_cast<const json*>(nullptr);
  }
  if (!value->is_array()) return std::unexpected(WrongType(Path(key), "an array", *value));
  return value;
}

Result<const json*> Fields::Object(std::string_view key, bool required) const {
  const json* value = required ? Find(key) : FindOptional(key);
  if (value == nullptr) {
    if (required) return std::unexpected(MissingField(Path(key)));
    return static_cast<const json*>(nullptr);
  }
  if (!value->is_object()) return std::unexpected(WrongType(Path(key), "an object", *value));
  return value;
}

}  // namespace pullsim::oci::internal
