#include "sim/reference/internal/grammar.h"

#include <array>

#include "sim/core/unicode.h"

namespace pullsim::reference::internal {
namespace {

constexpr std::size_t kMaxTagLength = 128;  // REF-04: [\w][\w.-]{0,127}
constexpr std::size_t kMinDigestHex = 32;   // REF-01: [[:xdigit:]]{32,}

// Character classes of the grammar, one table lookup per byte.
enum CharClass : unsigned char {
  kLowerAlnum = 1U << 0U,  // [a-z0-9]: path components
  kAlnum = 1U << 1U,       // [a-zA-Z0-9]: domain components, digest algorithms
  kAlpha = 1U << 2U,       // [a-zA-Z]
  kDigit = 1U << 3U,       // [0-9]: ports
  kWord = 1U << 4U,        // [a-zA-Z0-9_]: tags
  kHex = 1U << 5U,         // [0-9a-fA-F]: digest hex in the grammar
};

constexpr auto kClasses = [] {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    unsigned bits = 0;
    const bool lower = c >= 'a' && c <= 'z';
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (lower || digit) bits |= kLowerAlnum;
    if (lower || upper || digit) bits |= kAlnum | kWord;
    if (lower || upper) bits |= kAlpha;
    if (digit) bits |= kDigit;
    if (c == '_') bits |= kWord;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHex;
    table[static_cast<std::size_t>(c)] = static_cast<unsigned char>(bits);
  }
  return table;
}();

bool Is(char c, CharClass cls) { return (kClasses[static_cast<unsigned char>(c)] & cls) != 0; }
bool IsLowerAlnum(char c) { return Is(c, kLowerAlnum); }
bool IsAlnum(char c) { return Is(c, kAlnum); }
bool IsAlpha(char c) { return Is(c, kAlpha); }
bool IsDigit(char c) { return Is(c, kDigit); }
bool IsWord(char c) { return Is(c, kWord); }
bool IsHex(char c) { return Is(c, kHex); }

// domain-name: domain-component ("." domain-component)*, where domain-component is
// [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]. One pass: a '.' must follow an alphanumeric,
// a '-' must not start a component, and the name must end alphanumeric.
bool IsDomainName(std::string_view text) {
  char previous = '.';
  for (char c : text) {
    if (c == '.') {
      if (!IsAlnum(previous)) return false;
    } else if (c == '-') {
      if (previous == '.') return false;
    } else if (!IsAlnum(c)) {
      return false;
    }
    previous = c;
  }
  return IsAlnum(previous);  // also false for ""
}

// port: [0-9]+ (after the ':')
bool IsPort(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// digest algorithm: [A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*
bool IsDigestAlgorithm(std::string_view text) {
  std::size_t i = 0;
  while (true) {
    if (i == text.size() || !IsAlpha(text[i])) return false;
    ++i;
    while (i < text.size() && IsAlnum(text[i])) ++i;
    if (i == text.size()) return true;
    const char c = text[i];
    if (c != '-' && c != '_' && c != '+' && c != '.') return false;
    ++i;
  }
}

}  // namespace

bool IsDomainAndPort(std::string_view text) {
  std::string_view host = text;
  if (!text.empty() && text.front() == '[') {
    // IPv6 literal: \[(?:[a-fA-F0-9:]+)\], then an optional port. No zone, no dots.
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : text.substr(1, close - 1)) {
      if (!IsHex(c) && c != ':') return false;
    }
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return true;
    return rest.front() == ':' && IsPort(rest.substr(1));
  }
  // A domain name has no ':', so the first one starts the port. (Loops, not find(): these
  // strings are short, and a call to memchr per search showed in the benchmark.)
  std::size_t colon = 0;
  while (colon < text.size() && text[colon] != ':') ++colon;
  if (colon < text.size()) {
    if (!IsPort(text.substr(colon + 1))) return false;
    host = text.substr(0, colon);
  }
  return IsDomainName(host);
}

namespace {

// path-component: [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*, and with `allow_slash` several of
// them joined by '/'. Every run of separators must sit between two alphanumerics.
bool ScanPath(std::string_view text, bool allow_slash) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (true) {
    if (i == n || !IsLowerAlnum(text[i])) return false;  // each run starts alphanumeric
    while (i < n && IsLowerAlnum(text[i])) ++i;
    if (i == n) return true;
    switch (text[i]) {
      case '/':
        if (!allow_slash) return false;
        ++i;
        break;
      case '.':
        ++i;
        break;
      case '_':
        ++i;
        if (i < n && text[i] == '_') ++i;  // "_" or "__", never "___"
        break;
      case '-':
        while (i < n && text[i] == '-') ++i;
        break;
      default:
        return false;
    }
  }
}

}  // namespace

bool IsPathComponent(std::string_view text) { return ScanPath(text, /*allow_slash=*/false); }

bool IsTag(std::string_view text) {
  if (text.empty() || text.size() > kMaxTagLength || !IsWord(text.front())) return false;
  for (char c : text.substr(1)) {
    if (!IsWord(c) && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsDigestPattern(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || !IsDigestAlgorithm(text.substr(0, colon))) return false;
  const std::string_view hex = text.substr(colon + 1);
  if (hex.size() < kMinDigestHex) return false;
  for (char c : hex) {
    if (!IsHex(c)) return false;
  }
  return true;
}

bool IsIdentifier(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

std::optional<ReferenceMatch> MatchReference(std::string_view text) {
  // One pass up to the first '@' finds the '/' and ':' that split the rest. Neither tag, digest
  // nor any part of a name holds '@', so one '@' at most splits off the digest.
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t first_slash = kNone;
  std::size_t tag_colon = kNone;  // the first ':' after the last '/'
  std::size_t at = kNone;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/') {
      if (first_slash == kNone) first_slash = i;
      tag_colon = kNone;
    } else if (c == ':') {
      if (tag_colon == kNone) tag_colon = i;
    } else if (c == '@') {
      at = i;
      break;
    }
  }
  ReferenceMatch match;
  std::string_view rest = text;
  if (at != kNone) {
    match.digest = text.substr(at + 1);
    if (!IsDigestPattern(match.digest)) return std::nullopt;
    rest = text.substr(0, at);
  }
  // Neither tag nor digest holds '/': the name runs at least to the last '/'. After it, a path
  // component (no ':') and then an optional ":" tag (no ':' either).
  if (tag_colon != kNone) {
    match.tag = rest.substr(tag_colon + 1);
    if (!IsTag(match.tag)) return std::nullopt;
    rest = rest.substr(0, tag_colon);
  }
  match.name = rest;
  // name: [domain "/"] path-component ("/" path-component)*. The domain is taken whenever the
  // first of two or more components is a host (the regexp's optional group is greedy).
  std::string_view path = rest;
  if (first_slash != kNone && IsDomainAndPort(rest.substr(0, first_slash))) {
    match.domain = rest.substr(0, first_slash);
    path = rest.substr(first_slash + 1);
  }
  if (!ScanPath(path, /*allow_slash=*/true)) return std::nullopt;
  match.path = path;
  return match;
}

bool GoToLowerChanges(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80U) {
      if (byte >= 'A' && byte <= 'Z') return true;
      ++i;
      continue;
    }
    const DecodedRune decoded = DecodeRune(text, i);
    // An invalid byte comes out of strings.ToLower as U+FFFD: the string changes.
    if (decoded.rune == kRuneError && decoded.width == 1) return true;
    if (LowerChanges(decoded.rune)) return true;
    i += decoded.width;
  }
  return false;
}

bool GoToLowerForGrammarChanges(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= 'A' && c <= 'Z') || (c == '\xE2' && text.substr(i, 3) == "\xE2\x84\xAA") ||
        (c == '\xC4' && text.substr(i, 2) == "\xC4\xB0")) {
      return true;
    }
  }
  return false;
}

std::string GoToLowerForGrammar(std::string_view text) {
  std::string lowered;
  lowered.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      lowered.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c == '\xE2' && text.substr(i, 3) == "\xE2\x84\xAA") {  // U+212A KELVIN SIGN
      lowered.push_back('k');
      i += 2;
    } else if (c == '\xC4' &&
               text.substr(i, 2) == "\xC4\xB0") {  // U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE
      lowered.push_back('i');
      i += 1;
    } else {
      lowered.push_back(c);
    }
  }
  return lowered;
}

}  // namespace pullsim::reference::internal
