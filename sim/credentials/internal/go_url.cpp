#include "sim/credentials/internal/go_url.h"

#include "sim/core/go_quote.h"

namespace pullsim::credentials::internal {
namespace {

enum class Mode { kPath, kHost, kZone, kUserPassword, kFragment };

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsHex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned char Unhex(unsigned char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned char>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned char>(c - 'a' + 10);
  return static_cast<unsigned char>(c - 'A' + 10);
}

// Go's shouldEscape, for the modes url.Parse uses while unescaping.
bool ShouldEscape(unsigned char c, Mode mode) {
  if (IsAlnum(c)) return false;
  if (mode == Mode::kHost || mode == Mode::kZone) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case Mode::kPath:
          return c == '?';
        case Mode::kUserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Mode::kFragment:
          return false;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (mode == Mode::kFragment) {
    switch (c) {
      case '!':
      case '(':
      case ')':
      case '*':
        return false;
      default:
        break;
    }
  }
  return true;
}

// Go's unescape for the given mode; kInvalidArgument with Go's EscapeError or InvalidHostError.
Result<std::string> Unescape(std::string_view s, Mode mode) {
  std::size_t percents = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      ++percents;
      if (i + 2 >= s.size() || !IsHex(static_cast<unsigned char>(s[i + 1])) ||
          !IsHex(static_cast<unsigned char>(s[i + 2]))) {
        std::string_view bad = s.substr(i, 3);
        return Fail(ErrorCode::kInvalidArgument, "invalid URL escape " + GoQuote(bad));
      }
      std::string_view escape = s.substr(i, 3);
      if (mode == Mode::kHost && Unhex(static_cast<unsigned char>(s[i + 1])) < 8 &&
          escape != "%25") {
        return Fail(ErrorCode::kInvalidArgument, "invalid URL escape " + GoQuote(escape));
      }
      if (mode == Mode::kZone) {
        auto v = static_cast<unsigned char>(Unhex(static_cast<unsigned char>(s[i + 1])) << 4 |
                                            Unhex(static_cast<unsigned char>(s[i + 2])));
        if (escape != "%25" && v != ' ' && ShouldEscape(v, Mode::kHost)) {
          return Fail(ErrorCode::kInvalidArgument, "invalid URL escape " + GoQuote(escape));
        }
      }
      i += 3;
      continue;
    }
    if ((mode == Mode::kHost || mode == Mode::kZone) && c < 0x80 && ShouldEscape(c, mode)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "invalid character " + GoQuote(s.substr(i, 1)) + " in host name");
    }
    ++i;
  }
  if (percents == 0) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      out.push_back(static_cast<char>(Unhex(static_cast<unsigned char>(s[i + 1])) << 4 |
                                      Unhex(static_cast<unsigned char>(s[i + 2]))));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<std::string> ParseHost(std::string_view host) {
  if (host.starts_with('[')) {
    // An IP literal: "[fe80::1]", "[fe80::1%25en0]:80".
    std::size_t close = host.rfind(']');
    if (close == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, "missing ']' in host");
    }
    std::string_view colon_port = host.substr(close + 1);
    if (!ValidOptionalPort(colon_port)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "invalid port " + GoQuote(colon_port) + " after host");
    }
    std::size_t zone = host.substr(0, close).find("%25");
    if (zone != std::string_view::npos) {
      auto part1 = Unescape(host.substr(0, zone), Mode::kHost);
      if (!part1) return part1;
      auto part2 = Unescape(host.substr(zone, close - zone), Mode::kZone);
      if (!part2) return part2;
      auto part3 = Unescape(host.substr(close), Mode::kHost);
      if (!part3) return part3;
      return *part1 + *part2 + *part3;
    }
  } else if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    std::string_view colon_port = host.substr(colon);
    if (!ValidOptionalPort(colon_port)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "invalid port " + GoQuote(colon_port) + " after host");
    }
  }
  return Unescape(host, Mode::kHost);
}

bool ValidUserinfo(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsAlnum(c)) continue;
    switch (c) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case '%':
      case '@':
        continue;
      default:
        return false;  // includes every non-ASCII byte, as Go's rune loop rejects them
    }
  }
  return true;
}

// Go's parseAuthority; only the host is kept, but the userinfo is validated as Go does.
Result<std::string> ParseAuthority(std::string_view authority) {
  std::size_t at = authority.rfind('@');
  auto host = ParseHost(at == std::string_view::npos ? authority : authority.substr(at + 1));
  if (!host) return host;
  if (at == std::string_view::npos) return host;
  std::string_view userinfo = authority.substr(0, at);
  if (!ValidUserinfo(userinfo)) {
    return Fail(ErrorCode::kInvalidArgument, "net/url: invalid userinfo");
  }
  std::size_t colon = userinfo.find(':');
  auto user = Unescape(userinfo.substr(0, colon), Mode::kUserPassword);
  if (!user) return std::unexpected(user.error());
  if (colon != std::string_view::npos) {
    auto password = Unescape(userinfo.substr(colon + 1), Mode::kUserPassword);
    if (!password) return std::unexpected(password.error());
  }
  return host;
}

Result<GoUrl> ParseWithoutFragment(std::string_view raw) {
  for (char ch : raw) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      return Fail(ErrorCode::kInvalidArgument, "net/url: invalid control character in URL");
    }
  }
  GoUrl url;
  if (raw == "*") {
    url.path = "*";
    return url;
  }
  // getScheme
  std::string_view rest = raw;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return Fail(ErrorCode::kInvalidArgument, "missing protocol scheme");
      url.scheme = std::string(raw.substr(0, i));
      for (char& s : url.scheme) {
        if (s >= 'A' && s <= 'Z') s = static_cast<char>(s - 'A' + 'a');
      }
      rest = raw.substr(i + 1);
    }
    break;
  }
  // Query: cut at the first '?', or drop a lone trailing one.
  if (rest.ends_with('?') && rest.find('?') == rest.size() - 1) {
    rest.remove_suffix(1);
  } else if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    rest = rest.substr(0, q);
  }
  if (!rest.starts_with('/')) {
    if (!url.scheme.empty()) return url;  // opaque: scheme:opaque
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, "first path segment in URL cannot contain colon");
    }
  }
  if ((!url.scheme.empty() || !rest.starts_with("///")) && rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (std::size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    auto host = ParseAuthority(authority);
    if (!host) return std::unexpected(host.error());
    url.host = *std::move(host);
  }
  auto path = Unescape(rest, Mode::kPath);
  if (!path) return std::unexpected(path.error());
  url.path = *std::move(path);
  return url;
}

}  // namespace

Result<GoUrl> ParseGoUrl(std::string_view raw) {
  std::size_t hash = raw.find('#');
  std::string_view without_fragment = raw.substr(0, hash);
  auto url = ParseWithoutFragment(without_fragment);
  if (!url) {
    return Fail(ErrorCode::kInvalidArgument,
                "parse " + GoQuote(without_fragment) + ": " + url.error().message);
  }
  if (hash != std::string_view::npos && hash + 1 < raw.size()) {
    auto fragment = Unescape(raw.substr(hash + 1), Mode::kFragment);
    if (!fragment) {
      return Fail(ErrorCode::kInvalidArgument,
                  "parse " + GoQuote(raw) + ": " + fragment.error().message);
    }
  }
  return url;
}

HostAndPort SplitUrlHost(std::string_view hostport) {
  HostAndPort whole{std::string(hostport), ""};
  std::size_t last_colon = hostport.rfind(':');
  if (last_colon == std::string_view::npos) return whole;  // missing port
  std::string_view host;
  std::size_t j = 0;
  std::size_t k = 0;
  if (hostport[0] == '[') {
    std::size_t end = hostport.find(']');
    if (end == std::string_view::npos) return whole;
    if (end + 1 == hostport.size()) return whole;  // missing port
    if (end + 1 != last_colon) return whole;       // too many colons or missing port
    host = hostport.substr(1, end - 1);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.substr(0, last_colon);
    if (host.find(':') != std::string_view::npos) return whole;  // too many colons
  }
  if (hostport.substr(j).find('[') != std::string_view::npos) return whole;
  if (hostport.substr(k).find(']') != std::string_view::npos) return whole;
  return {std::string(host), std::string(hostport.substr(last_colon + 1))};
}

}  // namespace pullsim::credentials::internal
