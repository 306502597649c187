#include "sim/registry/http_transport.h"

#include <mutex>

#include <httplib.h>

#include "sim/registry/internal/blob_stream.h"
#include <signal.h>

namespace pullsim::registry {

namespace {

// "scheme://authority" of an absolute URL; empty when `url` is a path.
std::string OriginOf(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t path_start = url.find('/', scheme_end + 3);
  return std::string(url.substr(0, path_start));
}

constexpr int kMaxRedirects = 10;

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Moves `origin`/`path` to a redirect's Location; true when it left the host (credentials stay
// behind).
bool FollowLocation(const std::string& location, std::string& origin, std::string& path) {
  std::string next_origin = OriginOf(location);
  std::string next_path = location;
  if (next_origin.empty()) {
    next_origin = origin;  // a path on the same host
  } else {
    next_path = location.substr(next_origin.size());
    if (next_path.empty()) next_path = "/";
  }
  const bool left_host = next_origin != origin;
  origin = std::move(next_origin);
  path = std::move(next_path);
  return left_host;
}

bool IsPlainHttp(std::string_view origin) { return origin.rfind("http://", 0) == 0; }

}  // namespace

HttpTransport::HttpTransport(std::string base_url, HttpTransportOptions options)
    : base_url_(std::move(base_url)), options_(options) {}

HttpTransport::~HttpTransport() = default;

Result<std::unique_ptr<HttpTransport>> HttpTransport::Create(std::string base_url,
                                                             HttpTransportOptions options) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  const bool http = base_url.rfind("http://", 0) == 0;
  const bool https = base_url.rfind("https://", 0) == 0;
  const std::size_t authority_start = http ? 7 : 8;
  if ((!http && !https) || base_url.size() <= authority_start ||
      base_url.find('/', authority_start) != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "registry URL \"" + base_url +
                    "\": expected http://host[:port] or https://host[:port] without a path");
  }
  // cpp-httplib 0.11 writes without MSG_NOSIGNAL; a registry closing the connection mid-request
  // must fail this request, not raise SIGPIPE in the whole process.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(base_url), options));
}

httplib::Client& HttpTransport::ClientFor(const std::string& origin) {
  auto it = clients_.find(origin);
  if (it != clients_.end()) return *it->second;
  auto client = std::make_unique<httplib::Client>(origin);
  client->set_keep_alive(true);
  client->set_connection_timeout(options_.connect_timeout_seconds);
  client->set_read_timeout(options_.read_timeout_seconds);
  client->set_write_timeout(options_.read_timeout_seconds);
  client->enable_server_certificate_verification(options_.verify_tls);
  client->set_decompress(true);
  return *clients_.emplace(origin, std::move(client)).first->second;
}

Result<oci::RegistryResponse> HttpTransport::RoundTrip(const oci::RegistryRequest& request) {
  std::string origin = OriginOf(request.url);
  if (origin.empty()) origin = base_url_;
  std::string path = oci::RequestTarget(request);
  oci::HttpHeaders headers = request.headers;
  std::lock_guard lock(mu_);
  // Blob GETs over plain HTTP: our own reader (internal/blob_stream.h), several times faster
  // than httplib's 4 KiB reads. It hands back anything but a Content-Length response, and the
  // request continues below from wherever it got to.
  for (int hop = 0;
       request.body_sink && request.method == oci::HttpMethod::kGet && IsPlainHttp(origin); ++hop) {
    const internal::BlobStreamOptions stream_options{
        .connect_timeout_seconds = options_.connect_timeout_seconds,
        .read_timeout_seconds = options_.read_timeout_seconds};
    auto streamed =
        internal::StreamBlobGet(origin, path, headers, request.body_sink, stream_options);
    if (!streamed) {
      return Fail(ErrorCode::kUnavailable,
                  "GET " + origin + path + ": " + streamed.error().message);
    }
    if (streamed->outcome == internal::BlobStreamResponse::Outcome::kFallback) break;
    const std::optional<std::string_view> location = streamed->headers.Get("Location");
    if (hop < kMaxRedirects && IsRedirect(streamed->status) && location) {
      if (FollowLocation(std::string(*location), origin, path)) headers.Remove("Authorization");
      continue;
    }
    oci::RegistryResponse response;
    response.status = streamed->status;
    response.headers = std::move(streamed->headers);
    response.streamed_bytes = streamed->streamed_bytes;
    response.body = oci::SharedBytes(std::move(streamed->body));
    if (response.status >= 400) response.errors = oci::ParseErrorBody(response.body.view());
    return response;
  }
  httplib::Request req;
  req.method = std::string(oci::HttpMethodName(request.method));
  req.path = std::move(path);
  for (const oci::HttpHeader& header : headers.entries()) {
    req.headers.emplace(header.name, header.value);
  }
  if (!request.body.empty() || request.method == oci::HttpMethod::kPut ||
      request.method == oci::HttpMethod::kPost || request.method == oci::HttpMethod::kPatch) {
    // httplib sends req.body; one copy into it is the price of the client library.
    req.body = std::string(request.body.view());
    if (!req.has_header("Content-Type")) {
      req.headers.emplace("Content-Type", "application/octet-stream");
    }
  }
  // A body the caller only verifies goes to its sink as it arrives: a 512 MiB layer is never
  // held in memory, and no buffer grows (and faults in fresh pages) while it is read. Only 2xx
  // bodies are streamed; error bodies stay small and are parsed below.
  int streamed_status = 0;
  std::uint64_t streamed_bytes = 0;
  std::string unstreamed_body;
  if (request.body_sink && req.method == "GET") {
    req.response_handler = [&](const httplib::Response& head) {
      streamed_status = head.status;
      streamed_bytes = 0;
      unstreamed_body.clear();
      return true;
    };
    req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      if (streamed_status < 200 || streamed_status >= 300) {
        unstreamed_body.append(data, size);
        return true;
      }
      streamed_bytes += size;
      return request.body_sink(std::string_view(data, size));
    };
  }
  httplib::Result result = ClientFor(origin).send(req);
  // Blob GETs of real registries redirect to storage (S3, a CDN). Follow GET/HEAD redirects
  // here rather than in httplib: credentials must not travel to another host.
  for (int hop = 0; result && hop < kMaxRedirects && IsRedirect(result->status) &&
                    (req.method == "GET" || req.method == "HEAD") && result->has_header("Location");
       ++hop) {
    if (FollowLocation(result->get_header_value("Location"), origin, req.path)) {
      req.headers.erase("Authorization");
    }
    result = ClientFor(origin).send(req);
  }
  if (!result) {
    return Fail(ErrorCode::kUnavailable,
                req.method + " " + origin + req.path + ": " + httplib::to_string(result.error()));
  }
  oci::RegistryResponse response;
  response.status = result->status;
  for (const auto& [name, value] : result->headers) response.headers.Add(name, value);
  if (req.content_receiver) {
    response.streamed_bytes = streamed_bytes;
    response.body = oci::SharedBytes(std::move(unstreamed_body));
  } else if (request.method != oci::HttpMethod::kHead) {
    response.body = oci::SharedBytes(std::move(result->body));
  }
  if (response.status >= 400) response.errors = oci::ParseErrorBody(response.body.view());
  return response;
}

}  // namespace pullsim::registry
