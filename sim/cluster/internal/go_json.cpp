#include "sim/cluster/internal/go_json.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "sim/core/go_quote.h"
#include "sim/core/unicode.h"

namespace pullsim::cluster::internal {
namespace {

// encoding/json quoteChar: the byte read as a rune (string(c) in Go), quoted in single quotes.
std::string QuoteChar(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string rune;
  AppendRune(rune, c);
  const std::string quoted = GoQuote(rune);
  return "'" + quoted.substr(1, quoted.size() - 2) + "'";
}

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The syntax pass (encoding/json checkValid): the same grammar, read with an explicit stack so
// deep nesting cannot exhaust ours, reporting the first bad byte with the scanner's context words.
class Checker {
 public:
  explicit Checker(std::string_view data) : data_(data) {}

  // Error text, or "" when `data` is one valid JSON value with only spaces around it.
  std::string Check() {
    enum class State { kBeginValue, kBeginValueOrEmpty, kBeginKeyOrEmpty, kBeginKey, kEndValue };
    State state = State::kBeginValue;
    std::vector<char> stack;
    while (true) {
      SkipSpace();
      switch (state) {
        case State::kBeginValueOrEmpty:
          if (!AtEnd() && Peek() == ']') {
            ++pos_;
            stack.pop_back();
            state = State::kEndValue;
            continue;
          }
          [[fallthrough]];
        case State::kBeginValue: {
          if (AtEnd()) return kUnexpectedEnd;
          const unsigned char c = Peek();
          if (c == '{' || c == '[') {
            if (stack.size() >= kMaxDepth) return Invalid("exceeded max depth");
            stack.push_back(static_cast<char>(c));
            ++pos_;
            state = c == '{' ? State::kBeginKeyOrEmpty : State::kBeginValueOrEmpty;
            continue;
          }
          if (!Scalar()) return error_;
          state = State::kEndValue;
          continue;
        }
        case State::kBeginKeyOrEmpty:
          if (!AtEnd() && Peek() == '}') {
            ++pos_;
            stack.pop_back();
            state = State::kEndValue;
            continue;
          }
          [[fallthrough]];
        case State::kBeginKey:
          if (AtEnd()) return kUnexpectedEnd;
          if (Peek() != '"') return Invalid("looking for beginning of object key string");
          if (!String()) return error_;
          SkipSpace();
          if (AtEnd()) return kUnexpectedEnd;
          if (Peek() != ':') return Invalid("after object key");
          ++pos_;
          state = State::kBeginValue;
          continue;
        case State::kEndValue:
          if (stack.empty()) return AtEnd() ? std::string() : Invalid("after top-level value");
          if (AtEnd()) return kUnexpectedEnd;
          if (Peek() == ',') {
            ++pos_;
            state = stack.back() == '{' ? State::kBeginKey : State::kBeginValue;
            continue;
          }
          if (Peek() == (stack.back() == '{' ? '}' : ']')) {
            ++pos_;
            stack.pop_back();
            continue;
          }
          return Invalid(stack.back() == '{' ? "after object key:value pair"
                                             : "after array element");
      }
    }
  }

 private:
  static constexpr size_t kMaxDepth = 10000;
  static constexpr const char* kUnexpectedEnd = "unexpected end of JSON input";

  bool AtEnd() const { return pos_ >= data_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(data_[pos_]); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  std::string Invalid(std::string_view context) const {
    return "invalid character " + QuoteChar(Peek()) + " " + std::string(context);
  }
  // Inside a token Go's scanner meets the end of input as a space (scanner.eof steps ' '), so an
  // unfinished number, literal or escape reports "invalid character ' ' ...".
  bool FailInToken(std::string_view context) {
    error_ = AtEnd() ? "invalid character ' ' " + std::string(context) : Invalid(context);
    return false;
  }

  // A string, number or literal at pos_.
  bool Scalar() {
    switch (Peek()) {
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (Peek() == '-' || IsDigit(Peek())) return Number();
        error_ = Invalid("looking for beginning of value");
        return false;
    }
  }

  bool String() {
    ++pos_;  // '"'
    while (!AtEnd()) {
      const unsigned char c = Peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        error_ = Invalid("in string literal");
        return false;
      }
      ++pos_;
      if (c != '\\') continue;
      if (AtEnd()) return FailInToken("in string escape code");
      const unsigned char escape = Peek();
      if (escape == 'u') {
        ++pos_;
        for (int i = 0; i < 4; ++i) {
          if (AtEnd() || !IsHex(Peek())) {
            return FailInToken("in \\u hexadecimal character escape");
          }
          ++pos_;
        }
        continue;
      }
      if (std::string_view("bfnrt\\/\"").find(static_cast<char>(escape)) ==
          std::string_view::npos) {
        return FailInToken("in string escape code");
      }
      ++pos_;
    }
    error_ = kUnexpectedEnd;
    return false;
  }

  bool Literal(std::string_view word) {
    ++pos_;  // the first letter, already matched
    for (size_t i = 1; i < word.size(); ++i) {
      if (AtEnd() || Peek() != static_cast<unsigned char>(word[i])) {
        return FailInToken("in literal " + std::string(word) + " (expecting '" + word[i] + "')");
      }
      ++pos_;
    }
    return true;
  }

  // A byte after a complete number is judged by the enclosing context (kEndValue), as Go's
  // scanner does.
  bool Number() {
    if (Peek() == '-') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return FailInToken("in numeric literal");
    }
    if (Peek() == '0') {
      ++pos_;
    } else {
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) {
        return FailInToken("after decimal point in numeric literal");
      }
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (AtEnd() || !IsDigit(Peek())) return FailInToken("in exponent of numeric literal");
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
  std::string error_;
};

// The decoding pass over text already known to be valid JSON: the first number a float64 cannot
// hold (Go: `json: cannot unmarshal number 1e999 into Go value of type float64`).
std::optional<std::string> FirstOverflowingNumber(std::string_view data) {
  bool in_string = false;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !IsDigit(static_cast<unsigned char>(c))) continue;
    size_t end = i;
    while (end < data.size() &&
           std::string_view("+-.eE0123456789").find(data[end]) != std::string_view::npos) {
      ++end;
    }
    const std::string literal(data.substr(i, end - i));
    // strtod reads '.' as the decimal point only in the C locale, which the program runs in
    // unless it calls setlocale; JSON numbers use '.'.
    const double value = std::strtod(literal.c_str(), nullptr);
    if (std::isinf(value)) {
      return "json: cannot unmarshal number " + literal + " into Go value of type float64";
    }
    i = end - 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> GoUnmarshalObjectError(std::string_view data) {
  Checker checker(data);
  if (std::string error = checker.Check(); !error.empty()) return error;
  size_t first = 0;
  while (first < data.size() && IsSpace(static_cast<unsigned char>(data[first]))) ++first;
  const char lead = data[first];
  std::string_view kind;
  switch (lead) {
    case '{':
      break;
    case '[':
      kind = "array";
      break;
    case '"':
      kind = "string";
      break;
    case 't':
    case 'f':
      kind = "bool";
      break;
    case 'n':
      return std::nullopt;  // null leaves the map nil, without error
    default:
      kind = "number";
  }
  if (!kind.empty()) {
    return "json: cannot unmarshal " + std::string(kind) +
           " into Go value of type map[string]interface {}";
  }
  return FirstOverflowingNumber(data);
}

}  // namespace pullsim::cluster::internal
