#include "sim/oci/registry_transport.h"

#include <algorithm>
#include <cassert>

#include <nlohmann/json.hpp>

namespace pullsim::oci {

std::string_view HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kPatch:
      return "PATCH";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "GET";
}

// --- SharedBytes ---------------------------------------------------------------------------

SharedBytes::SharedBytes(std::string bytes)
    : buffer_(std::make_shared<const std::string>(std::move(bytes))), size_(buffer_->size()) {}

SharedBytes::SharedBytes(std::shared_ptr<const std::string> buffer, std::size_t offset,
                         std::size_t size)
    : buffer_(std::move(buffer)), offset_(offset), size_(size) {
  // Callers slice within a buffer they hold; a range outside it is a bug, not input.
  assert(buffer_ ? offset_ + size_ <= buffer_->size() : size_ == 0);
}

std::string_view SharedBytes::view() const {
  if (!buffer_) return {};
  return std::string_view(*buffer_).substr(offset_, size_);
}

SharedBytes SharedBytes::Slice(std::size_t offset, std::size_t size) const {
  if (offset > size_) offset = size_;
  size = std::min(size, size_ - offset);
  SharedBytes slice;
  slice.buffer_ = buffer_;
  slice.offset_ = offset_ + offset;
  slice.size_ = size;
  return slice;
}

bool SharedBytes::is_whole_buffer() const {
  return !buffer_ || (offset_ == 0 && size_ == buffer_->size());
}

// --- HttpHeaders ---------------------------------------------------------------------------

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void HttpHeaders::Add(std::string name, std::string value) {
  entries_.push_back(HttpHeader{std::move(name), std::move(value)});
}

void HttpHeaders::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(entries_, [&](const HttpHeader& h) { return EqualsIgnoreCase(h.name, name); });
}

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const HttpHeader& h : entries_) {
    if (EqualsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> HttpHeaders::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const HttpHeader& h : entries_) {
    if (EqualsIgnoreCase(h.name, name)) values.emplace_back(h.value);
  }
  return values;
}

// --- targets and query strings ------------------------------------------------------------

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                            (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                            u == '~' || u == ':' || u == '/';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (text[i] == '%') {
      const int hi = i + 2 < text.size() ? hex(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Fail(ErrorCode::kInvalidArgument, "\"" + std::string(text) + "\": '%' at offset " +
                                                     std::to_string(i) +
                                                     " is not followed by two hex digits");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

QueryParameters DecodeForm(std::string_view form) {
  QueryParameters pairs;
  while (!form.empty()) {
    const std::size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    const std::size_t eq = pair.find('=');
    Result<std::string> key = PercentDecode(pair.substr(0, eq), true);
    Result<std::string> value =
        PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (key && value) pairs.emplace_back(*std::move(key), *std::move(value));
    if (amp == std::string_view::npos) break;
    form.remove_prefix(amp + 1);
  }
  return pairs;
}

std::string EncodeQuery(const QueryParameters& query) {
  std::string out;
  for (const auto& [key, value] : query) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(key);
    out.push_back('=');
    out += PercentEncode(value);
  }
  return out;
}

namespace {

// "/v2/" + repository + suffix.
std::string RepositoryPath(const RegistryRequest& request, std::string_view suffix) {
  std::string path = "/v2/";
  path += request.repository;
  path += suffix;
  return path;
}

// Drops "scheme://authority" from an absolute URL, keeping path and query.
std::string_view PathOfUrl(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return url;
  const std::size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string_view::npos) return "/";
  return url.substr(path_start);
}

}  // namespace

std::string RequestTarget(const RegistryRequest& request) {
  std::string target;
  if (!request.url.empty()) {
    target = std::string(PathOfUrl(request.url));
  } else {
    switch (request.endpoint) {
      case RegistryEndpoint::kPing:
        target = "/v2/";
        break;
      case RegistryEndpoint::kManifest:
        target = RepositoryPath(request, "/manifests/") + request.reference;
        break;
      case RegistryEndpoint::kBlob:
        target = RepositoryPath(request, "/blobs/") + request.reference;
        break;
      case RegistryEndpoint::kUploadStart:
        target = RepositoryPath(request, "/blobs/uploads/");
        break;
      case RegistryEndpoint::kUploadSession:
        target = RepositoryPath(request, "/blobs/uploads/") + request.reference;
        break;
      case RegistryEndpoint::kTags:
        target = RepositoryPath(request, "/tags/list");
        break;
      case RegistryEndpoint::kReferrers:
        target = RepositoryPath(request, "/referrers/") + request.reference;
        break;
      case RegistryEndpoint::kCatalog:
        target = "/v2/_catalog";
        break;
      case RegistryEndpoint::kToken:
        target = "/token";
        break;
    }
  }
  if (!request.query.empty()) {
    target.push_back(target.find('?') == std::string::npos ? '?' : '&');
    target += EncodeQuery(request.query);
  }
  return target;
}

// --- error bodies ---------------------------------------------------------------------------

std::vector<RegistryErrorEntry> ParseErrorBody(std::string_view body) {
  std::vector<RegistryErrorEntry> entries;
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return entries;
  const auto errors = doc.find("errors");
  if (errors == doc.end() || !errors->is_array()) return entries;
  for (const nlohmann::json& item : *errors) {
    if (!item.is_object()) continue;
    RegistryErrorEntry entry;
    if (auto code = item.find("code"); code != item.end() && code->is_string()) {
      entry.code = code->get<std::string>();
    }
    if (auto message = item.find("message"); message != item.end() && message->is_string()) {
      entry.message = message->get<std::string>();
    }
    if (auto detail = item.find("detail"); detail != item.end() && !detail->is_null()) {
      entry.detail = detail->dump();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string FormatErrorBody(const std::vector<RegistryErrorEntry>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const RegistryErrorEntry& entry : errors) {
    nlohmann::json item = {{"code", entry.code}, {"message", entry.message}};
    if (!entry.detail.empty()) {
      nlohmann::json detail = nlohmann::json::parse(entry.detail, nullptr, false);
      item["detail"] = detail.is_discarded() ? nlohmann::json(entry.detail) : detail;
    }
    list.push_back(std::move(item));
  }
  return nlohmann::json{{"errors", std::move(list)}}.dump();
}

Error ResponseError(const RegistryResponse& response, std::string_view what) {
  ErrorCode code = ErrorCode::kFailedPrecondition;
  if (response.status == 401) {
    code = ErrorCode::kUnauthenticated;
  } else if (response.status == 403) {
    code = ErrorCode::kPermissionDenied;
  } else if (response.status == 404) {
    code = ErrorCode::kNotFound;
  } else if (response.status == 429) {
    code = ErrorCode::kResourceExhausted;
  } else if (response.status >= 500) {
    code = ErrorCode::kUnavailable;
  }
  std::string message(what);
  message += ": registry answered " + std::to_string(response.status);
  for (const RegistryErrorEntry& entry : response.errors) {
    message += ", " + entry.code;
    if (!entry.message.empty()) message += " (" + entry.message + ")";
  }
  return Error{code, std::move(message), {}};
}

// --- WWW-Authenticate -----------------------------------------------------------------------

namespace {

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void SkipSpaces(std::string_view text, std::size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<std::vector<AuthChallenge>> ParseAuthChallenges(std::string_view header) {
  std::vector<AuthChallenge> challenges;
  std::size_t i = 0;
  auto fail = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument, "WWW-Authenticate \"" + std::string(header) +
                                                 "\": " + std::string(why) + " at offset " +
                                                 std::to_string(i));
  };
  while (true) {
    SkipSpaces(header, i);
    while (i < header.size() && header[i] == ',') {
      ++i;
      SkipSpaces(header, i);
    }
    if (i >= header.size()) break;
    const std::size_t scheme_start = i;
    while (i < header.size() && IsTokenChar(header[i])) ++i;
    if (i == scheme_start) return fail("expected an auth scheme");
    AuthChallenge challenge;
    challenge.scheme = std::string(header.substr(scheme_start, i - scheme_start));
    // Parameters: name=value or name="quoted", comma-separated, until the next scheme.
    while (true) {
      SkipSpaces(header, i);
      const std::size_t name_start = i;
      while (i < header.size() && IsTokenChar(header[i])) ++i;
      if (i == name_start) break;
      const std::size_t after_name = i;
      SkipSpaces(header, i);
      if (i >= header.size() || header[i] != '=') {
        // A token not followed by '=' is the scheme of the next challenge.
        i = name_start;
        break;
      }
      const std::string name = Lower(header.substr(name_start, after_name - name_start));
      ++i;  // '='
      SkipSpaces(header, i);
      std::string value;
      if (i < header.size() && header[i] == '"') {
        ++i;
        bool closed = false;
        while (i < header.size()) {
          if (header[i] == '\\' && i + 1 < header.size()) {
            value.push_back(header[i + 1]);
            i += 2;
          } else if (header[i] == '"') {
            ++i;
            closed = true;
            break;
          } else {
            value.push_back(header[i++]);
          }
        }
        if (!closed) return fail("unterminated quoted string");
      } else {
        const std::size_t value_start = i;
        while (i < header.size() && IsTokenChar(header[i])) ++i;
        value = std::string(header.substr(value_start, i - value_start));
      }
      challenge.params[name] = std::move(value);
      SkipSpaces(header, i);
      if (i < header.size() && header[i] == ',') {
        ++i;
      } else if (i < header.size()) {
        return fail("expected ',' between parameters");
      }
    }
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

}  // namespace pullsim::oci
