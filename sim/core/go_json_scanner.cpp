// Go's JSON scanner (encoding/json/scanner.go): the syntax check and its error texts.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/go_json.h"
#include "sim/core/go_quote.h"
#include "sim/core/internal/json_bytes.h"
#include "sim/core/unicode.h"

namespace pullsim {
namespace {

using internal::IsDigit;
using internal::IsHexDigit;
using internal::IsJsonSpace;

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
        if (IsJsonSpace(c)) return true;
        if (c == ']') return EndValue(c);
        return BeginValue(c);
      case State::kBeginValue:
        return BeginValue(c);
      case State::kBeginStringOrEmpty:
        if (IsJsonSpace(c)) return true;
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
        if (!IsHexDigit(c)) return Fail(c, "in \\u hexadecimal character escape");
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
    if (IsJsonSpace(c)) return true;
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
    if (IsJsonSpace(c)) return true;
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
    if (IsJsonSpace(c)) {
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
    if (!IsJsonSpace(c)) return Fail(c, "after top-level value");
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

}  // namespace pullsim
