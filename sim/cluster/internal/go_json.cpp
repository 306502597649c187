#include "sim/cluster/internal/go_json.h"

#include <cmath>
#include <cstdlib>

#include "sim/core/go_json.h"

namespace pullsim::cluster::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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
    if (c != '-' && !IsDigit(c)) continue;
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
      GoDecodeError error;
      error.value = "number " + literal;
      error.type = "float64";
      return error.Message();
    }
    i = end - 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> GoUnmarshalObjectError(std::string_view data) {
  if (auto syntax = CheckJsonSyntax(data)) return syntax->message;
  JsonReader reader(data);
  const JsonKind kind = reader.Peek();
  if (kind == JsonKind::kNull) return std::nullopt;  // null leaves the map nil, without error
  if (kind != JsonKind::kObject) {
    GoDecodeError error;
    error.value = std::string(GoValueWord(kind));
    error.type = "map[string]interface {}";
    return error.Message();
  }
  return FirstOverflowingNumber(data);
}

}  // namespace pullsim::cluster::internal
