#include "sim/credentials/internal/go_json.h"

#include <cassert>
#include <cstdint>

#include "sim/credentials/internal/go_text.h"

namespace pullsim::credentials::internal {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Go's quoteChar: the byte read as a Latin-1 rune, in single quotes.
std::string QuoteChar(unsigned char c) {
  if (c == '\'') return R"('\'')";
  if (c == '"') return R"('"')";
  std::string utf8;
  AppendRune(utf8, c);
  std::string quoted = GoQuote(utf8);
  return "'" + quoted.substr(1, quoted.size() - 2) + "'";
}

// The states of Go's JSON scanner, one per step function of encoding/json/scanner.go.
enum class State : std::uint8_t {
  kBeginValue,
  kBeginValueOrEmpty,
  kBeginStringOrEmpty,
  kBeginString,
  kEndValue,
  kEndTop,
  kInString,
  kInStringEsc,
  kInStringEscU,  // uses hex_left_
  kNeg,
  kDigits,  // state1: after a non-zero leading digit
  kZero,    // state0
  kDot,
  kDotDigits,
  kExp,
  kExpSign,
  kExpDigits,
  kLiteral,  // inside true/false/null, uses literal_ and literal_pos_
  kError,
};

enum class Parse : std::uint8_t { kObjectKey, kObjectValue, kArrayValue };

class Scanner {
 public:
  // Feeds one byte; false once an error is recorded.
  bool Step(unsigned char c, std::size_t offset) {
    offset_ = offset;
    switch (state_) {
      case State::kBeginValueOrEmpty:
        if (IsSpace(c)) return true;
        if (c == ']') return EndValue(c);
        return BeginValue(c);
      case State::kBeginValue:
        return BeginValue(c);
      case State::kBeginStringOrEmpty:
        if (IsSpace(c)) return true;
        if (c == '}') {
          stack_.back() = Parse::kObjectValue;
          return EndValue(c);
        }
        return BeginString(c);
      case State::kBeginString:
        return BeginString(c);
      case State::kEndValue:
        return EndValue(c);
      case State::kEndTop:
        return EndTop(c);
      case State::kInString:
        if (c == '"') {
          state_ = State::kEndValue;
        } else if (c == '\\') {
          state_ = State::kInStringEsc;
        } else if (c < 0x20) {
          return Fail(c, "in string literal");
        }
        return true;
      case State::kInStringEsc:
        switch (c) {
          case 'b':
          case 'f':
          case 'n':
          case 'r':
          case 't':
          case '\\':
          case '/':
          case '"':
            state_ = State::kInString;
            return true;
          case 'u':
            state_ = State::kInStringEscU;
            hex_left_ = 4;
            return true;
          default:
            return Fail(c, "in string escape code");
        }
      case State::kInStringEscU:
        if (!IsHex(c)) return Fail(c, "in \\u hexadecimal character escape");
        if (--hex_left_ == 0) state_ = State::kInString;
        return true;
      case State::kNeg:
        if (c == '0') {
          state_ = State::kZero;
          return true;
        }
        if (c >= '1' && c <= '9') {
          state_ = State::kDigits;
          return true;
        }
        return Fail(c, "in numeric literal");
      case State::kDigits:
        if (IsDigit(c)) return true;
        return Zero(c);
      case State::kZero:
        return Zero(c);
      case State::kDot:
        if (IsDigit(c)) {
          state_ = State::kDotDigits;
          return true;
        }
        return Fail(c, "after decimal point in numeric literal");
      case State::kDotDigits:
        if (IsDigit(c)) return true;
        if (c == 'e' || c == 'E') {
          state_ = State::kExp;
          return true;
        }
        return EndValue(c);
      case State::kExp:
        if (c == '+' || c == '-') {
          state_ = State::kExpSign;
          return true;
        }
        return ExpSign(c);
      case State::kExpSign:
        return ExpSign(c);
      case State::kExpDigits:
        if (IsDigit(c)) return true;
        return EndValue(c);
      case State::kLiteral:
        if (c != static_cast<unsigned char>(literal_[literal_pos_])) {
          return Fail(c, "in literal " + std::string(literal_) + " (expecting '" +
                             std::string(1, literal_[literal_pos_]) + "')");
        }
        if (++literal_pos_ == literal_.size()) state_ = State::kEndValue;
        return true;
      case State::kError:
        return false;
    }
    return false;
  }

  // Go's scanner.eof().
  bool Eof(std::size_t size) {
    if (error_) return false;
    if (end_top_) return true;
    Step(' ', size);
    if (end_top_) return true;
    if (!error_) error_ = JsonSyntaxError{"unexpected end of JSON input", size};
    return false;
  }

  std::optional<JsonSyntaxError>& error() { return error_; }

 private:
  bool Fail(unsigned char c, const std::string& context) {
    state_ = State::kError;
    error_ = JsonSyntaxError{"invalid character " + QuoteChar(c) + " " + context, offset_};
    return false;
  }

  bool Push(unsigned char c, Parse parse) {
    stack_.push_back(parse);
    if (stack_.size() <= kMaxJsonNesting) return true;
    return Fail(c, "exceeded max depth");
  }

  void Pop() {
    stack_.pop_back();
    if (stack_.empty()) {
      state_ = State::kEndTop;
      end_top_ = true;
    } else {
      state_ = State::kEndValue;
    }
  }

  bool BeginValue(unsigned char c) {
    if (IsSpace(c)) return true;
    switch (c) {
      case '{':
        state_ = State::kBeginStringOrEmpty;
        return Push(c, Parse::kObjectKey);
      case '[':
        state_ = State::kBeginValueOrEmpty;
        return Push(c, Parse::kArrayValue);
      case '"':
        state_ = State::kInString;
        return true;
      case '-':
        state_ = State::kNeg;
        return true;
      case '0':
        state_ = State::kZero;
        return true;
      case 't':
        return StartLiteral("true");
      case 'f':
        return StartLiteral("false");
      case 'n':
        return StartLiteral("null");
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      state_ = State::kDigits;
      return true;
    }
    return Fail(c, "looking for beginning of value");
  }

  bool StartLiteral(std::string_view literal) {
    state_ = State::kLiteral;
    literal_ = literal;
    literal_pos_ = 1;
    return true;
  }

  bool BeginString(unsigned char c) {
    if (IsSpace(c)) return true;
    if (c == '"') {
      state_ = State::kInString;
      return true;
    }
    return Fail(c, "looking for beginning of object key string");
  }

  bool Zero(unsigned char c) {
    if (c == '.') {
      state_ = State::kDot;
      return true;
    }
    if (c == 'e' || c == 'E') {
      state_ = State::kExp;
      return true;
    }
    return EndValue(c);
  }

  bool ExpSign(unsigned char c) {
    if (IsDigit(c)) {
      state_ = State::kExpDigits;
      return true;
    }
    return Fail(c, "in exponent of numeric literal");
  }

  bool EndValue(unsigned char c) {
    if (stack_.empty()) {
      state_ = State::kEndTop;
      end_top_ = true;
      return EndTop(c);
    }
    if (IsSpace(c)) {
      state_ = State::kEndValue;
      return true;
    }
    switch (stack_.back()) {
      case Parse::kObjectKey:
        if (c == ':') {
          stack_.back() = Parse::kObjectValue;
          state_ = State::kBeginValue;
          return true;
        }
        return Fail(c, "after object key");
      case Parse::kObjectValue:
        if (c == ',') {
          stack_.back() = Parse::kObjectKey;
          state_ = State::kBeginString;
          return true;
        }
        if (c == '}') {
          Pop();
          return true;
        }
        return Fail(c, "after object key:value pair");
      case Parse::kArrayValue:
        if (c == ',') {
          state_ = State::kBeginValue;
          return true;
        }
        if (c == ']') {
          Pop();
          return true;
        }
        return Fail(c, "after array element");
    }
    return Fail(c, "");
  }

  bool EndTop(unsigned char c) {
    if (!IsSpace(c)) return Fail(c, "after top-level value");
    return true;
  }

  State state_ = State::kBeginValue;
  std::vector<Parse> stack_;
  bool end_top_ = false;
  int hex_left_ = 0;
  std::string_view literal_;
  std::size_t literal_pos_ = 0;
  std::size_t offset_ = 0;
  std::optional<JsonSyntaxError> error_;
};

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
    if (!IsHex(static_cast<unsigned char>(s[i]))) return -1;
    value = value * 16 + HexValue(s[i]);
  }
  return value;
}

}  // namespace

std::optional<JsonSyntaxError> CheckJsonSyntax(std::string_view text) {
  Scanner scanner;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Go stops at the first error, so the offending byte is the last one read.
    if (!scanner.Step(static_cast<unsigned char>(text[i]), i)) return scanner.error();
  }
  if (!scanner.Eof(text.size())) return scanner.error();
  return std::nullopt;
}

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
  while (pos_ < text_.size() && IsSpace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
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
    DecodedRune d = DecodeRune(text_.substr(pos_));
    if (d.rune == kRuneError && d.size == 1) {
      AppendRune(out, kRuneError);
    } else {
      out.append(text_.substr(pos_, d.size));
    }
    pos_ += d.size;
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
          if (IsSpace(b) || b == ',' || b == '}' || b == ']' || b == ':') break;
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

}  // namespace pullsim::credentials::internal
