#include "sim/registry/names.h"

#include <vector>

namespace pullsim::registry {

namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Result<void> NameError(std::string_view name, std::string why) {
  return Fail(ErrorCode::kInvalidArgument,
              "repository name \"" + std::string(name) + "\": " + std::move(why) +
                  " (expected lowercase components [a-z0-9] joined by '.', '_', '__' or '-', "
                  "separated by '/')");
}

// One path component: alphanumeric runs joined by exactly ".", "_", "__" or any run of '-'.
Result<void> CheckComponent(std::string_view name, std::string_view component, std::size_t index) {
  const std::string where = "component " + std::to_string(index + 1);
  if (component.empty()) return NameError(name, where + " is empty");
  if (component == "." || component == "..") {
    return NameError(name, where + " \"" + std::string(component) + "\" is not allowed");
  }
  std::size_t i = 0;
  while (i < component.size()) {
    const std::size_t run_start = i;
    while (i < component.size() && IsLowerAlnum(component[i])) ++i;
    if (i == run_start) {
      const char c = component[i];
      const bool upper = c >= 'A' && c <= 'Z';
      return NameError(name, where + " \"" + std::string(component) + "\" has " +
                                 (upper ? "an uppercase letter" : "an unexpected character") +
                                 " '" + std::string(1, c) + "' at offset " + std::to_string(i));
    }
    if (i == component.size()) break;
    // separator
    const std::size_t sep_start = i;
    const char c = component[i];
    if (c == '.') {
      ++i;
    } else if (c == '_') {
      ++i;
      if (i < component.size() && component[i] == '_') ++i;
    } else if (c == '-') {
      while (i < component.size() && component[i] == '-') ++i;
    } else {
      const bool upper = c >= 'A' && c <= 'Z';
      return NameError(name, where + " \"" + std::string(component) + "\" has " +
                                 (upper ? "an uppercase letter" : "an invalid character") + " '" +
                                 std::string(1, c) + "'");
    }
    if (i == component.size() || !IsLowerAlnum(component[i])) {
      return NameError(name, where + " \"" + std::string(component) + "\": separator \"" +
                                 std::string(component.substr(sep_start, i - sep_start)) +
                                 "\" must sit between alphanumerics");
    }
  }
  return {};
}

}  // namespace

Result<void> CheckRepositoryName(std::string_view name) {
  if (name.empty()) return NameError(name, "empty");
  if (name.size() > 255) {
    return NameError(name.substr(0, 40),
                     "longer than 255 characters (" + std::to_string(name.size()) + ")");
  }
  std::size_t index = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = name.find('/', start);
    const std::string_view component = name.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (auto ok = CheckComponent(name, component, index); !ok) return ok;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
    ++index;
  }
  return {};
}

Result<void> CheckTag(std::string_view tag) {
  auto fail = [&](std::string why) -> Result<void> {
    return Fail(ErrorCode::kInvalidArgument, "tag \"" + std::string(tag) + "\": " + std::move(why) +
                                                 " (expected [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})");
  };
  if (tag.empty()) return fail("empty");
  if (tag.size() > 128) return fail("longer than 128 characters");
  for (std::size_t i = 0; i < tag.size(); ++i) {
    const char c = tag[i];
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (word) continue;
    if (i > 0 && (c == '.' || c == '-')) continue;
    return fail("unexpected '" + std::string(1, c) + "' at offset " + std::to_string(i));
  }
  return {};
}

bool GlobMatches(std::string_view pattern, std::string_view text) {
  // Fast paths for the common shapes, checked on every request: "**", a literal name, and
  // "prefix/**".
  if (pattern == "**") return true;
  const std::size_t first_wildcard = pattern.find_first_of("*?");
  if (first_wildcard == std::string_view::npos) return pattern == text;
  if (first_wildcard + 2 == pattern.size() && pattern.substr(first_wildcard) == "**") {
    return text.size() >= first_wildcard &&
           text.substr(0, first_wildcard) == pattern.substr(0, first_wildcard);
  }
  // reachable[t]: the pattern prefix consumed so far can match text[0, t). One pass per pattern
  // element keeps it O(|pattern| * |text|) whatever the stars.
  std::vector<char> reachable(text.size() + 1, 0);
  reachable[0] = 1;
  std::size_t p = 0;
  while (p < pattern.size()) {
    std::vector<char> next(text.size() + 1, 0);
    if (pattern[p] == '*') {
      const bool crosses = p + 1 < pattern.size() && pattern[p + 1] == '*';
      p += crosses ? 2 : 1;
      bool carry = false;
      for (std::size_t t = 0; t <= text.size(); ++t) {
        if (reachable[t]) carry = true;
        next[t] = carry ? 1 : 0;
        // A single star may extend over text[t] only when it is not a '/'.
        if (t < text.size() && !crosses && text[t] == '/') carry = false;
      }
    } else {
      const char c = pattern[p];
      for (std::size_t t = 0; t < text.size(); ++t) {
        if (reachable[t] && (c == text[t] || (c == '?' && text[t] != '/'))) next[t + 1] = 1;
      }
      ++p;
    }
    reachable = std::move(next);
  }
  return reachable[text.size()] != 0;
}

Result<RepositoryGlob> RepositoryGlob::Parse(std::string_view pattern) {
  if (pattern.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "repository pattern is empty (expected e.g. \"tenant-a/**\" or \"library/*\")");
  }
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    const bool ok =
        IsLowerAlnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '*' || c == '?';
    if (!ok) {
      return Fail(ErrorCode::kInvalidArgument,
                  "repository pattern \"" + std::string(pattern) + "\": '" + std::string(1, c) +
                      "' at offset " + std::to_string(i) +
                      " cannot occur in a repository name (use lowercase, '/', '*', '**', '?')");
    }
  }
  return RepositoryGlob(std::string(pattern));
}

bool RepositoryGlob::Matches(std::string_view repository) const {
  return GlobMatches(pattern_, repository);
}

}  // namespace pullsim::registry
