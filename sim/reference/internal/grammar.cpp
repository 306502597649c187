#include "sim/reference/internal/grammar.h"

#include "sim/reference/internal/unicode.h"

namespace pullsim::reference::internal {
namespace {

constexpr std::size_t kMaxTagLength = 128;  // REF-04: [\w][\w.-]{0,127}
constexpr std::size_t kMinDigestHex = 32;   // REF-01: [[:xdigit:]]{32,}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWord(char c) { return IsAlnum(c) || c == '_'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// domain-component: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool IsDomainComponent(std::string_view text) {
  if (text.empty() || !IsAlnum(text.front()) || !IsAlnum(text.back())) return false;
  for (char c : text) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

// domain-name: domain-component ("." domain-component)*
bool IsDomainName(std::string_view text) {
  while (true) {
    const std::size_t dot = text.find('.');
    if (!IsDomainComponent(text.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    text.remove_prefix(dot + 1);
  }
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
  // A domain name has no ':', so the first one starts the port.
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    if (!IsPort(text.substr(colon + 1))) return false;
    host = text.substr(0, colon);
  }
  return IsDomainName(host);
}

// path-component: [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
bool IsPathComponent(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (true) {
    if (i == n || !IsLowerAlnum(text[i])) return false;  // each run starts alphanumeric
    while (i < n && IsLowerAlnum(text[i])) ++i;
    if (i == n) return true;
    switch (text[i]) {
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
  ReferenceMatch match;
  // Neither tag, digest nor any part of a name may hold '@', so one '@' at most splits the digest.
  std::string_view rest = text;
  if (const std::size_t at = text.find('@'); at != std::string_view::npos) {
    match.digest = text.substr(at + 1);
    if (!IsDigestPattern(match.digest)) return std::nullopt;
    rest = text.substr(0, at);
  }
  // Neither tag nor digest holds '/': the name runs at least to the last '/'. After it, a path
  // component (no ':') and then an optional ":" tag (no ':' either).
  const std::size_t last_slash = rest.rfind('/');
  const std::size_t tail_start = last_slash == std::string_view::npos ? 0 : last_slash + 1;
  if (const std::size_t colon = rest.find(':', tail_start); colon != std::string_view::npos) {
    match.tag = rest.substr(colon + 1);
    if (!IsTag(match.tag)) return std::nullopt;
    rest = rest.substr(0, colon);
  }
  match.name = rest;
  // name: [domain "/"] path-component ("/" path-component)*. The domain is taken whenever the
  // first of two or more components is a host (the regexp's optional group is greedy).
  const std::size_t first_slash = rest.find('/');
  std::string_view path = rest;
  if (first_slash != std::string_view::npos && IsDomainAndPort(rest.substr(0, first_slash))) {
    match.domain = rest.substr(0, first_slash);
    path = rest.substr(first_slash + 1);
  }
  match.path = path;
  while (true) {
    const std::size_t slash = path.find('/');
    if (!IsPathComponent(path.substr(0, slash))) return std::nullopt;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
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
