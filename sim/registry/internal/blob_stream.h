#pragma once
// A minimal HTTP/1.1 GET for blob bodies over plain http://: one blocking socket, recv() straight
// into a 1 MiB buffer, each piece handed to the caller's sink. cpp-httplib 0.11 (as Debian
// compiles it) reads bodies 4 KiB at a time with a poll() before each read, which costs a
// verified pull about half its speed (issue 9). Only the common case is handled here: a response
// with Content-Length and no Transfer-Encoding/Content-Encoding. Anything else is reported as
// kFallback and the caller re-issues the request through its general client.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sim/core/result.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::registry::internal {

struct BlobStreamOptions {
  int connect_timeout_seconds = 10;
  int read_timeout_seconds = 60;  // per recv/send; 0 waits forever
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_error_body_bytes = 1024 * 1024;  // non-2xx bodies are kept, not streamed
};

struct BlobStreamResponse {
  enum class Outcome {
    kComplete,  // status, headers and body (2xx: streamed to the sink) are all here
    kFallback,  // valid but outside this reader's scope; nothing was handed to the sink
  };
  Outcome outcome = Outcome::kComplete;
  int status = 0;
  oci::HttpHeaders headers;
  std::string body;                  // non-2xx bodies only
  std::uint64_t streamed_bytes = 0;  // 2xx body bytes handed to the sink
};

// GET `target` ("/v2/...") from `origin` ("http://host[:port]") with `headers` (Host,
// User-Agent and Connection are added). kUnavailable when no complete response arrived:
// refused, timed out, malformed or oversized headers, body shorter than Content-Length, or the
// sink refused a piece.
[[nodiscard]] Result<BlobStreamResponse> StreamBlobGet(
    std::string_view origin, std::string_view target, const oci::HttpHeaders& headers,
    const std::function<bool(std::string_view)>& sink, const BlobStreamOptions& options);

}  // namespace pullsim::registry::internal
