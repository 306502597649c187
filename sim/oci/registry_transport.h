#pragma once
// The OCI Distribution API (distribution-spec v1.1) as values: what a registry client sends, what
// it gets back, and RegistryTransport, the one interface through which a node's registry client
// reaches a registry. Two implementations live in sim/registry: in-process calls and HTTP.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/result.h"

namespace pullsim::oci {

enum class HttpMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

// "GET", "HEAD", ...
[[nodiscard]] std::string_view HttpMethodName(HttpMethod method);

// What a request addresses (distribution-spec "Endpoints" table, plus the token endpoint of the
// Docker token-auth flow and the legacy catalog).
enum class RegistryEndpoint {
  kPing,           // GET /v2/
  kManifest,       // /v2/<name>/manifests/<reference>
  kBlob,           // /v2/<name>/blobs/<digest>
  kUploadStart,    // POST /v2/<name>/blobs/uploads/  (?digest= monolithic, ?mount=&from= mount)
  kUploadSession,  // /v2/<name>/blobs/uploads/<session>  GET status, PATCH, PUT ?digest=, DELETE
  kTags,           // GET /v2/<name>/tags/list?n=&last=
  kReferrers,      // GET /v2/<name>/referrers/<digest>?artifactType=
  kCatalog,        // GET /v2/_catalog?n=&last=
  kToken,          // the token realm of a Bearer challenge (always given as `url`)
};

// An immutable byte buffer shared by the content store, both transports and clients: a blob's
// bytes are allocated once; responses, ranges and copies of responses all refer to them.
class SharedBytes {
 public:
  SharedBytes() = default;
  // Takes ownership of `bytes` without copying them.
  explicit SharedBytes(std::string bytes);
  // A view of [offset, offset + size) of `buffer`; the range must lie inside it.
  SharedBytes(std::shared_ptr<const std::string> buffer, std::size_t offset, std::size_t size);

  [[nodiscard]] std::string_view view() const;
  [[nodiscard]] const char* data() const { return view().data(); }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  // Bytes [offset, offset + size) of this view, clamped to it; shares the buffer.
  [[nodiscard]] SharedBytes Slice(std::size_t offset, std::size_t size) const;
  // True when this view covers its whole buffer (so storing it keeps nothing extra alive).
  [[nodiscard]] bool is_whole_buffer() const;
  [[nodiscard]] const std::shared_ptr<const std::string>& buffer() const { return buffer_; }

 private:
  std::shared_ptr<const std::string> buffer_;
  std::size_t offset_ = 0;
  std::size_t size_ = 0;
};

struct HttpHeader {
  std::string name;
  std::string value;
};

// Header fields in the order given; names compare case-insensitively (RFC 9110).
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<HttpHeader> headers) : entries_(headers) {}

  void Add(std::string name, std::string value);
  // Replaces every field named `name` with one.
  void Set(std::string name, std::string value);
  void Remove(std::string_view name);
  // The first field named `name`.
  [[nodiscard]] std::optional<std::string_view> Get(std::string_view name) const;
  [[nodiscard]] std::vector<std::string_view> GetAll(std::string_view name) const;
  [[nodiscard]] bool Has(std::string_view name) const { return Get(name).has_value(); }
  [[nodiscard]] const std::vector<HttpHeader>& entries() const { return entries_; }

 private:
  std::vector<HttpHeader> entries_;
};

// True when `a` and `b` are equal ignoring ASCII case.
[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b);

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

struct RegistryRequest {
  HttpMethod method = HttpMethod::kGet;
  RegistryEndpoint endpoint = RegistryEndpoint::kPing;
  std::string repository;  // "team/app"; empty for ping, catalog and token
  // Manifest tag or digest; blob or referrers subject digest; upload session id.
  std::string reference;
  QueryParameters query;  // n, last, digest, mount, from, artifactType, service, scope...
  HttpHeaders headers;    // Accept, Authorization, Content-Type, Content-Range, Range...
  SharedBytes body;
  // A URL the registry handed out (an upload's Location, a challenge's token realm), absolute
  // ("https://host/token") or a path ("/v2/app/blobs/uploads/1"). When set it is the target and
  // `repository`/`reference` are not used; `query` is appended to it.
  std::string url;
  // For content the caller only verifies: a transport may hand a 2xx body to this sink piece by
  // piece, as it arrives, instead of keeping it in RegistryResponse::body (which then stays
  // empty; `streamed_bytes` counts what the sink got). Returning false aborts the transfer.
  // Transports that already hold the bytes (in-process) may ignore it.
  std::function<bool(std::string_view)> body_sink;
};

// Path and query as sent on the wire ("/v2/team/app/tags/list?n=10"), query percent-encoded.
// For an absolute `url` the scheme and authority are dropped.
[[nodiscard]] std::string RequestTarget(const RegistryRequest& request);

// "key=value&..." with RFC 3986 percent-encoding (':' and '/' left as they are).
[[nodiscard]] std::string EncodeQuery(const QueryParameters& query);
[[nodiscard]] std::string PercentEncode(std::string_view text);
// Decodes %XX, and '+' as a space when `plus_is_space` (form encoding); kInvalidArgument on a
// malformed escape.
[[nodiscard]] Result<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);
// The pairs of an application/x-www-form-urlencoded body ("grant_type=password&username=a+b"),
// in order, '+' read as a space; a pair without '=' has an empty value, and a pair whose key or
// value has a malformed escape is left out.
[[nodiscard]] QueryParameters DecodeForm(std::string_view form);

// One entry of the spec's error body {"errors":[{"code","message","detail"}]}.
struct RegistryErrorEntry {
  std::string code;     // "MANIFEST_UNKNOWN"
  std::string message;  // "manifest unknown"
  std::string detail;   // `detail` re-serialised as JSON; empty when absent
};

struct RegistryResponse {
  int status = 0;
  HttpHeaders headers;  // Content-Type, Docker-Content-Digest, WWW-Authenticate, Location, Range
  SharedBytes body;     // empty for HEAD, and when the body went to the request's body_sink
  // Parsed from an error body ({"errors":[...]}); empty for successes and non-spec bodies.
  std::vector<RegistryErrorEntry> errors;
  std::uint64_t streamed_bytes = 0;  // bytes handed to the request's body_sink

  [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
};

// Reads the spec's error body; anything else (not JSON, no "errors" array) gives no entries.
[[nodiscard]] std::vector<RegistryErrorEntry> ParseErrorBody(std::string_view body);

// Writes the spec's error body for `errors`. Each `detail` must be JSON text or empty.
[[nodiscard]] std::string FormatErrorBody(const std::vector<RegistryErrorEntry>& errors);

// An unsuccessful response as an Error (STYLE.md §2), keeping the registry's code in the message:
// 401 → kUnauthenticated, 403 → kPermissionDenied, 404 → kNotFound, 429 → kResourceExhausted,
// 5xx → kUnavailable, other statuses → kFailedPrecondition. `what` names the request.
[[nodiscard]] Error ResponseError(const RegistryResponse& response, std::string_view what);

// One challenge of a WWW-Authenticate header (RFC 9110 §11.6.1):
// `Bearer realm="https://auth.test/token",service="registry.test",scope="repository:a:pull"`.
struct AuthChallenge {
  std::string scheme;                         // "Bearer", "Basic"; as sent
  std::map<std::string, std::string> params;  // names lower-cased, values unquoted
};

// Parses a WWW-Authenticate value into its challenges; kInvalidArgument names the offending part.
[[nodiscard]] Result<std::vector<AuthChallenge>> ParseAuthChallenges(std::string_view header);

// Talks to one registry. Implementations: registry::InProcessTransport (plain calls) and
// registry::HttpTransport (cpp-httplib, any registry URL).
class RegistryTransport {
 public:
  virtual ~RegistryTransport() = default;
  // Sends one request and returns the registry's answer, whatever its status. kUnavailable when
  // no answer came (connection refused or dropped, truncated body, timeout).
  [[nodiscard]] virtual Result<RegistryResponse> RoundTrip(const RegistryRequest& request) = 0;
};

}  // namespace pullsim::oci
