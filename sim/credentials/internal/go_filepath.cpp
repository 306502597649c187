#include "sim/credentials/internal/go_filepath.h"

#include "sim/core/unicode.h"

namespace pullsim::credentials::internal {
namespace {

// Go's scanChunk: an optional run of stars, then the text up to the next star outside [].
struct Chunk {
  bool star;
  std::string_view chunk;
  std::string_view rest;
};

Chunk ScanChunk(std::string_view pattern) {
  bool star = false;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    star = true;
  }
  bool in_range = false;
  std::size_t i = 0;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (c == '[') {
      in_range = true;
    } else if (c == ']') {
      in_range = false;
    } else if (c == '*' && !in_range) {
      break;
    }
  }
  return {star, pattern.substr(0, i), pattern.substr(i)};
}

// Go's getEsc: one possibly escaped character of a character class.
bool GetEscaped(std::string_view& chunk, char32_t& rune) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') return false;
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) return false;
  }
  DecodedRune d = DecodeRune(chunk);
  if (d.rune == kRuneError && d.width == 1) return false;
  chunk.remove_prefix(d.width);
  rune = d.rune;
  return !chunk.empty();
}

struct ChunkResult {
  bool ok = false;
  bool bad = false;
  std::string_view rest;
};

// Go's matchChunk (with the "failed" flag that keeps validating the pattern after a mismatch).
ChunkResult MatchChunk(std::string_view chunk, std::string_view s) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    char c = chunk[0];
    if (c == '[') {
      char32_t r = 0;
      if (!failed) {
        DecodedRune d = DecodeRune(s);
        r = d.rune;
        s.remove_prefix(d.width);
      }
      chunk.remove_prefix(1);
      bool negated = false;
      if (!chunk.empty() && chunk[0] == '^') {
        negated = true;
        chunk.remove_prefix(1);
      }
      bool match = false;
      int ranges = 0;
      while (true) {
        if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
          chunk.remove_prefix(1);
          break;
        }
        char32_t lo = 0;
        if (!GetEscaped(chunk, lo)) return {false, true, {}};
        char32_t hi = lo;
        if (chunk[0] == '-') {
          chunk.remove_prefix(1);
          if (!GetEscaped(chunk, hi)) return {false, true, {}};
        }
        if (lo <= r && r <= hi) match = true;
        ++ranges;
      }
      if (match == negated) failed = true;
    } else if (c == '?') {
      if (!failed) {
        if (s[0] == '/') failed = true;
        s.remove_prefix(DecodeRune(s).width);
      }
      chunk.remove_prefix(1);
    } else {
      if (c == '\\') {
        chunk.remove_prefix(1);
        if (chunk.empty()) return {false, true, {}};
      }
      if (!failed) {
        if (chunk[0] != s[0]) failed = true;
        s.remove_prefix(1);
      }
      chunk.remove_prefix(1);
    }
  }
  if (failed) return {};
  return {true, false, s};
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view name, bool* bad_pattern) {
  if (bad_pattern != nullptr) *bad_pattern = false;
  auto bad = [&] {
    if (bad_pattern != nullptr) *bad_pattern = true;
    return false;
  };
  while (!pattern.empty()) {
    Chunk scanned = ScanChunk(pattern);
    pattern = scanned.rest;
    if (scanned.star && scanned.chunk.empty()) {
      // A trailing star matches the rest unless it has a separator.
      return name.find('/') == std::string_view::npos;
    }
    ChunkResult here = MatchChunk(scanned.chunk, name);
    if (here.ok && (here.rest.empty() || !pattern.empty())) {
      name = here.rest;
      continue;
    }
    if (here.bad) return bad();
    bool advanced = false;
    if (scanned.star) {
      for (std::size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        ChunkResult later = MatchChunk(scanned.chunk, name.substr(i + 1));
        if (later.ok) {
          if (pattern.empty() && !later.rest.empty()) continue;
          name = later.rest;
          advanced = true;
          break;
        }
        if (later.bad) return bad();
      }
    }
    if (advanced) continue;
    // Before answering "no", check that the rest of the pattern is well formed.
    while (!pattern.empty()) {
      Chunk next = ScanChunk(pattern);
      pattern = next.rest;
      if (MatchChunk(next.chunk, "").bad) return bad();
    }
    return false;
  }
  return name.empty();
}

bool HasGlobMeta(std::string_view text) {
  return text.find_first_of("*?[\\") != std::string_view::npos;
}

std::string CleanPath(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  std::string out;
  std::size_t r = 0;
  std::size_t dotdot = 0;
  if (rooted) {
    out.push_back('/');
    r = 1;
    dotdot = 1;
  }
  const std::size_t n = path.size();
  while (r < n) {
    if (path[r] == '/') {
      ++r;
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        out.pop_back();
        while (out.size() > dotdot && out.back() != '/') out.pop_back();
        if (out.size() > dotdot && out.back() == '/') out.pop_back();
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      while (r < n && path[r] != '/') out.push_back(path[r++]);
    }
  }
  if (out.empty()) return ".";
  return out;
}

std::string AbsoluteJoin(std::string_view cwd, std::string_view dir, std::string_view name) {
  std::string joined;
  for (std::string_view part : {dir, name}) {
    if (part.empty()) continue;
    if (!joined.empty()) joined.push_back('/');
    joined.append(part);
  }
  std::string cleaned = CleanPath(joined);
  if (cleaned.starts_with('/')) return cleaned;
  return CleanPath(std::string(cwd) + "/" + cleaned);
}

}  // namespace pullsim::credentials::internal
