#pragma once
// The reference grammar of distribution/reference (REF-01) as a hand-written, linear scanner, and
// the two case questions upstream asks of Go strings (REF-02, REF-03). Internal to reference.

#include <optional>
#include <string>
#include <string_view>

namespace pullsim::reference::internal {

// The pieces of a string that matches the whole-string ReferenceRegexp. Views into the input.
struct ReferenceMatch {
  std::string_view name;    // domain "/" path, or just path
  std::string_view domain;  // "" unless the name has >= 2 components and the first is a host
  std::string_view path;
  std::string_view tag;     // "" when absent
  std::string_view digest;  // "" when absent; algorithm ":" hex, not yet checked by go-digest
};

// REF-01: `text` against `name [":" tag] ["@" digest]`, anchored at both ends; nullopt when it does
// not match. O(n) in the length of `text`, no recursion, no allocation.
[[nodiscard]] std::optional<ReferenceMatch> MatchReference(std::string_view text);

// REF-01 pieces, each anchored.
[[nodiscard]] bool IsDomainAndPort(std::string_view text);  // host [":" port]
[[nodiscard]] bool IsPathComponent(std::string_view text);
[[nodiscard]] bool IsTag(std::string_view text);
[[nodiscard]] bool IsDigestPattern(std::string_view text);  // grammar only, before go-digest
// REF-06: exactly 64 lower-case hex characters.
[[nodiscard]] bool IsIdentifier(std::string_view text);

// Go's `strings.ToLower(s) != s`: true when `text` has an upper- or title-case letter (ASCII or
// not) or any byte sequence that is not valid UTF-8 (Go replaces those with U+FFFD).
[[nodiscard]] bool GoToLowerChanges(std::string_view text);

// Go's strings.ToLower(s), as far as the reference grammar can tell: ASCII letters lowered, and
// the two non-ASCII letters whose lower case is ASCII (U+212A KELVIN SIGN -> 'k', U+0130 -> 'i')
// replaced. Every other non-ASCII byte is kept, since the grammar rejects it either way.
[[nodiscard]] std::string GoToLowerForGrammar(std::string_view text);

// Whether GoToLowerForGrammar(text) differs from `text` at all (a cheap scan, no allocation).
[[nodiscard]] bool GoToLowerForGrammarChanges(std::string_view text);

}  // namespace pullsim::reference::internal
