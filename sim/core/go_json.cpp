#include "sim/core/go_json.h"

#include <cassert>
#include <cstdint>

#include "sim/core/internal/json_bytes.h"
#include "sim/core/unicode.h"

namespace pullsim {
namespace {

using internal::IsHexDigit;
using internal::IsJsonSpace;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Go's getu4: the code unit of a "\uXXXX" at the start of `s`, or -1.
long GetU4(std::string_view s) {
  if (s.size() < 6 || s[0] != '\\' || s[1] != 'u') return -1;
  long value = 0;
  for (std::size_t i = 2; i < 6; ++i) {
    if (!IsHexDigit(static_cast<unsigned char>(s[i]))) return -1;
    value = value * 16 + HexValue(s[i]);
  }
  return value;
}

}  // namespace

std::string_view GoValueWord(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kBool:
      return "bool";
    case JsonKind::kNumber:
      return "number";
    case JsonKind::kString:
      return "string";
    case JsonKind::kArray:
      return "array";
    case JsonKind::kObject:
      return "object";
  }
  return "value";
}

TextPosition PositionOf(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  TextPosition position{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

void JsonReader::SkipSpace() {
  while (pos_ < text_.size() && IsJsonSpace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
}

JsonKind JsonReader::Peek() {
  SkipSpace();
  assert(pos_ < text_.size() && "JsonReader used on text that failed CheckJsonSyntax");
  switch (text_[pos_]) {
    case '{':
      return JsonKind::kObject;
    case '[':
      return JsonKind::kArray;
    case '"':
      return JsonKind::kString;
    case 't':
    case 'f':
      return JsonKind::kBool;
    case 'n':
      return JsonKind::kNull;
    default:
      return JsonKind::kNumber;
  }
}

std::string JsonReader::ReadString() {
  SkipSpace();
  assert(text_[pos_] == '"');
  ++pos_;
  std::string out;
  while (true) {
    // Copy the run of plain ASCII bytes at once: the common case for large files.
    std::size_t run = pos_;
    while (run < text_.size()) {
      auto c = static_cast<unsigned char>(text_[run]);
      if (c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out.append(text_.substr(pos_, run - pos_));
    pos_ = run;
    char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return out;
    }
    if (c == '\\') {
      char e = text_[pos_ + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
        case '\'':
          out.push_back(e);
          pos_ += 2;
          continue;
        case 'b':
          out.push_back('\b');
          pos_ += 2;
          continue;
        case 'f':
          out.push_back('\f');
          pos_ += 2;
          continue;
        case 'n':
          out.push_back('\n');
          pos_ += 2;
          continue;
        case 'r':
          out.push_back('\r');
          pos_ += 2;
          continue;
        case 't':
          out.push_back('\t');
          pos_ += 2;
          continue;
        default:
          break;
      }
      // \uXXXX, possibly the first half of a surrogate pair (Go's unquoteBytes).
      auto unit = static_cast<char32_t>(GetU4(text_.substr(pos_)));
      pos_ += 6;
      if (unit >= 0xD800 && unit < 0xE000) {
        long second = GetU4(text_.substr(pos_));
        if (unit < 0xDC00 && second >= 0xDC00 && second < 0xE000) {
          char32_t combined =
              0x10000 + ((unit - 0xD800) << 10) + (static_cast<char32_t>(second) - 0xDC00);
          AppendRune(out, combined);
          pos_ += 6;
          continue;
        }
        unit = kRuneError;
      }
      AppendRune(out, unit);
      continue;
    }
    const DecodedRune d = DecodeRune(text_, pos_);
    if (d.rune == kRuneError && d.width == 1) {
      AppendRune(out, kRuneError);
    } else {
      out.append(text_.substr(pos_, d.width));
    }
    pos_ += d.width;
  }
}

void JsonReader::SkipValue() {
  std::size_t depth = 0;
  do {
    SkipSpace();
    char c = text_[pos_];
    switch (c) {
      case '{':
      case '[':
        ++depth;
        ++pos_;
        break;
      case '}':
      case ']':
        --depth;
        ++pos_;
        break;
      case ',':
      case ':':
        ++pos_;
        break;
      case '"':
        ++pos_;
        while (text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
        ++pos_;
        break;
      default:
        // true, false, null or a number: runs to the next delimiter.
        while (pos_ < text_.size()) {
          auto b = static_cast<unsigned char>(text_[pos_]);
          if (IsJsonSpace(b) || b == ',' || b == '}' || b == ']' || b == ':') break;
          ++pos_;
        }
        break;
    }
    // A value is done once we are back at depth 0 after consuming something.
  } while (depth > 0);
}

void JsonReader::EnterObject() {
  SkipSpace();
  assert(text_[pos_] == '{');
  ++pos_;
}

bool JsonReader::NextMember(std::string& key) {
  SkipSpace();
  if (text_[pos_] == '}') {
    ++pos_;
    return false;
  }
  if (text_[pos_] == ',') {
    ++pos_;
    SkipSpace();
  }
  key = ReadString();
  SkipSpace();
  assert(text_[pos_] == ':');
  ++pos_;
  return true;
}

std::string GoDecodeError::Message() const {
  if (!is_type_error()) return plain;
  if (!struct_name.empty() || !field.empty()) {
    return "json: cannot unmarshal " + value + " into Go struct field " + struct_name + "." +
           field + " of type " + type;
  }
  return "json: cannot unmarshal " + value + " into Go value of type " + type;
}

void AppendGoJsonString(std::string& out, std::string_view text, bool escape_html) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t start = 0;  // the first byte not yet copied
  std::size_t i = 0;
  // Copies the bytes before i, then `escape` in place of the `width` bytes at i.
  const auto replace = [&](std::string_view escape, std::size_t width) {
    out.append(text.substr(start, i - start));
    out += escape;
    i += width;
    start = i;
  };
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      const bool html = byte == '<' || byte == '>' || byte == '&';
      if (byte >= 0x20 && byte != '"' && byte != '\\' && !(escape_html && html)) {
        ++i;
        continue;
      }
      switch (byte) {
        case '"':
          replace("\\\"", 1);
          break;
        case '\\':
          replace("\\\\", 1);
          break;
        case '\b':
          replace("\\b", 1);
          break;
        case '\f':
          replace("\\f", 1);
          break;
        case '\n':
          replace("\\n", 1);
          break;
        case '\r':
          replace("\\r", 1);
          break;
        case '\t':
          replace("\\t", 1);
          break;
        default: {
          const char escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
          replace(std::string_view(escape, sizeof escape), 1);
        }
      }
      continue;
    }
    const DecodedRune rune = DecodeRune(text, i);
    if (rune.rune == kRuneError && rune.width == 1) {
      replace("\\ufffd", 1);
    } else if (rune.rune == 0x2028 || rune.rune == 0x2029) {
      replace(rune.rune == 0x2028 ? "\\u2028" : "\\u2029", rune.width);
    } else {
      i += rune.width;
    }
  }
  out.append(text.substr(start));
  out += '"';
}

}  // namespace pullsim
