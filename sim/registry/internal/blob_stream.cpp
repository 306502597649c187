#include "sim/registry/internal/blob_stream.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace pullsim::registry::internal {

namespace {

constexpr std::size_t kRecvBufferBytes = 1024 * 1024;
constexpr int kSocketBufferBytes = 4 * 1024 * 1024;  // the kernel caps it at net.core.rmem_max

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// "host" and "port" of "http://host[:port]" ("[v6]" brackets removed).
struct Authority {
  std::string host;
  std::string port;
};

Result<Authority> ParseOrigin(std::string_view origin) {
  constexpr std::string_view kScheme = "http://";
  if (origin.substr(0, kScheme.size()) != kScheme || origin.size() == kScheme.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "origin \"" + std::string(origin) + "\": expected http://host[:port]");
  }
  std::string_view authority = origin.substr(kScheme.size());
  Authority out{.host = {}, .port = "80"};
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument,
                  "origin \"" + std::string(origin) + "\": unterminated IPv6 literal");
    }
    out.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() == ':') out.port = authority.substr(1);
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = authority.substr(colon + 1);
  }
  return out;
}

std::string Errno(std::string_view what) { return std::string(what) + ": " + std::strerror(errno); }

void SetTimeout(int fd, int option, int seconds) {
  timeval tv{.tv_sec = seconds, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof(tv));
}

Result<std::unique_ptr<Socket>> Connect(const Authority& authority,
                                        const BlobStreamOptions& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(authority.host.c_str(), authority.port.c_str(), &hints, &found);
      rc != 0) {
    return Fail(ErrorCode::kUnavailable, "resolve " + authority.host + ": " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  std::string last_error = "no address";
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    auto socket = std::make_unique<Socket>(
        ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol));
    const int fd = socket->fd();
    if (fd < 0) {
      last_error = Errno("socket");
      continue;
    }
    // Before connect(): the window scale is agreed in the handshake.
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBufferBytes, sizeof(kSocketBufferBytes));
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    // Non-blocking only for the connect, so its timeout holds; blocking afterwards.
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = ::connect(fd, address->ai_addr, address->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd waiting{.fd = fd, .events = POLLOUT, .revents = 0};
      do {
        rc = ::poll(&waiting, 1, options.connect_timeout_seconds * 1000);
      } while (rc < 0 && errno == EINTR);
      if (rc == 0) {
        last_error =
            "connect timed out after " + std::to_string(options.connect_timeout_seconds) + " s";
        continue;
      }
      if (rc < 0) {
        last_error = Errno("poll");
        continue;
      }
      int so_error = 0;
      socklen_t length = sizeof(so_error);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
      errno = so_error;
      rc = so_error == 0 ? 0 : -1;
    }
    if (rc != 0) {
      last_error = Errno("connect");
      continue;
    }
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (options.read_timeout_seconds > 0) {
      SetTimeout(fd, SO_RCVTIMEO, options.read_timeout_seconds);
      SetTimeout(fd, SO_SNDTIMEO, options.read_timeout_seconds);
    }
    return socket;
  }
  return Fail(ErrorCode::kUnavailable,
              "connect " + authority.host + ":" + authority.port + ": " + last_error);
}

Result<void> SendAll(int fd, std::string_view data, const BlobStreamOptions& options) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Fail(ErrorCode::kUnavailable,
                  "send timed out after " + std::to_string(options.read_timeout_seconds) + " s");
    }
    if (sent < 0) return Fail(ErrorCode::kUnavailable, Errno("send"));
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return {};
}

// One recv(): >0 bytes, 0 at end of stream, or an error (timeout named).
Result<std::size_t> RecvSome(int fd, char* buffer, std::size_t capacity,
                             const BlobStreamOptions& options) {
  while (true) {
    const ssize_t got = ::recv(fd, buffer, capacity, 0);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return Fail(
          ErrorCode::kUnavailable,
          "no data for " + std::to_string(options.read_timeout_seconds) + " s (read timeout)");
    }
    return Fail(ErrorCode::kUnavailable, Errno("recv"));
  }
}

bool IsTokenChar(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "HTTP/1.x SSS reason": the status, or an error quoting the line.
Result<int> ParseStatusLine(std::string_view line) {
  auto malformed = [&] {
    return Fail(ErrorCode::kUnavailable,
                "malformed status line \"" + std::string(line.substr(0, 80)) + "\"");
  };
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' ||
      line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) {
    return malformed();
  }
  int status = 0;
  const std::string_view digits = line.substr(9, 3);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), status);
  if (ec != std::errc() || end != digits.data() + digits.size() || status < 100) return malformed();
  return status;
}

// The status and header fields of `head` (the bytes before the blank line).
Result<void> ParseHead(std::string_view head, BlobStreamResponse& response) {
  std::size_t line_end = head.find("\r\n");
  auto status = ParseStatusLine(head.substr(0, line_end));
  if (!status) return std::unexpected(status.error());
  response.status = *status;
  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, line_end - start);
    const std::size_t colon = line.find(':');
    bool valid = colon != std::string_view::npos && colon > 0;
    for (std::size_t i = 0; valid && i < colon; ++i) valid = IsTokenChar(line[i]);
    const std::string_view value = valid ? TrimSpaces(line.substr(colon + 1)) : std::string_view();
    for (const char c : value)
      valid = valid && (c == '\t' || static_cast<unsigned char>(c) >= 0x20);
    if (!valid) {
      return Fail(ErrorCode::kUnavailable,
                  "malformed response header line \"" + std::string(line.substr(0, 80)) + "\"");
    }
    response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
  }
  return {};
}

// Content-Length: absent (nullopt), one non-negative integer, or an error (also for
// disagreeing duplicates).
Result<std::optional<std::uint64_t>> ContentLength(const oci::HttpHeaders& headers) {
  std::optional<std::uint64_t> length;
  for (const std::string_view value : headers.GetAll("Content-Length")) {
    std::uint64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
        (length && *length != parsed)) {
      return Fail(ErrorCode::kUnavailable,
                  "invalid Content-Length \"" + std::string(value.substr(0, 40)) + "\"");
    }
    length = parsed;
  }
  return length;
}

}  // namespace

Result<BlobStreamResponse> StreamBlobGet(std::string_view origin, std::string_view target,
                                         const oci::HttpHeaders& headers,
                                         const std::function<bool(std::string_view)>& sink,
                                         const BlobStreamOptions& options) {
  auto authority = ParseOrigin(origin);
  if (!authority) return std::unexpected(authority.error());
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\n";
  request += "Host: " + std::string(origin.substr(7)) + "\r\n";
  if (!headers.Has("Accept")) request += "Accept: */*\r\n";
  if (!headers.Has("User-Agent")) request += "User-Agent: cpp-httplib/0.11\r\n";
  for (const oci::HttpHeader& header : headers.entries()) {
    // A token from a hostile auth server must not smuggle header lines into the request.
    if (header.name.find_first_of(std::string_view(":\r\n\0", 4)) != std::string::npos ||
        header.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument,
                  "request header \"" + header.name.substr(0, 40) +
                      "\": a line break, NUL or colon where none may be");
    }
    if (oci::EqualsIgnoreCase(header.name, "Host") ||
        oci::EqualsIgnoreCase(header.name, "Connection")) {
      continue;
    }
    request += header.name + ": " + header.value + "\r\n";
  }
  // One request per connection: no idle connection to go stale, and the end of a body the
  // reader does not take is simply the closed socket.
  request += "Connection: close\r\n\r\n";

  // Connect only for a request that can be sent: a refused header opens no connection.
  auto socket = Connect(*authority, options);
  if (!socket) return std::unexpected(socket.error());
  const int fd = (*socket)->fd();
  if (auto sent = SendAll(fd, request, options); !sent) return std::unexpected(sent.error());

  const std::unique_ptr<char[]> buffer(new char[kRecvBufferBytes]);
  std::size_t filled = 0;
  std::size_t head_end = std::string_view::npos;
  while (head_end == std::string_view::npos) {
    if (filled > options.max_header_bytes) {
      return Fail(ErrorCode::kUnavailable,
                  "response headers exceed " + std::to_string(options.max_header_bytes) + " bytes");
    }
    auto got = RecvSome(fd, buffer.get() + filled, kRecvBufferBytes - filled, options);
    if (!got) return std::unexpected(got.error());
    if (*got == 0) {
      return Fail(ErrorCode::kUnavailable, filled == 0
                                               ? "connection closed before a response"
                                               : "connection closed inside the response headers");
    }
    const std::size_t search_from = filled >= 3 ? filled - 3 : 0;
    filled += *got;
    head_end = std::string_view(buffer.get(), filled).find("\r\n\r\n", search_from);
    if (head_end != std::string_view::npos && head_end > options.max_header_bytes) {
      return Fail(ErrorCode::kUnavailable,
                  "response headers exceed " + std::to_string(options.max_header_bytes) + " bytes");
    }
  }

  BlobStreamResponse response;
  if (auto parsed = ParseHead(std::string_view(buffer.get(), head_end), response); !parsed) {
    return std::unexpected(parsed.error());
  }
  auto content_length = ContentLength(response.headers);
  if (!content_length) return std::unexpected(content_length.error());
  const bool success = response.status >= 200 && response.status < 300;
  if (response.status < 200 || response.headers.Has("Transfer-Encoding") ||
      (response.headers.Has("Content-Encoding") &&
       !oci::EqualsIgnoreCase(*response.headers.Get("Content-Encoding"), "identity")) ||
      (!*content_length && response.status != 204 && response.status != 304) ||
      (!success && content_length->value_or(0) > options.max_error_body_bytes)) {
    response.outcome = BlobStreamResponse::Outcome::kFallback;
    return response;
  }

  const std::uint64_t length =
      (response.status == 204 || response.status == 304) ? 0 : content_length->value_or(0);
  std::uint64_t received = 0;
  auto deliver = [&](std::string_view piece) {
    piece = piece.substr(
        0, static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), length - received)));
    received += piece.size();
    if (!success) {
      response.body.append(piece);
      return true;
    }
    response.streamed_bytes += piece.size();
    return piece.empty() || sink(piece);
  };
  const std::size_t body_start = head_end + 4;
  bool accepted = deliver(std::string_view(buffer.get() + body_start, filled - body_start));
  while (accepted && received < length) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kRecvBufferBytes, length - received));
    auto got = RecvSome(fd, buffer.get(), want, options);
    if (!got) {
      return Fail(ErrorCode::kUnavailable, got.error().message + " after " +
                                               std::to_string(received) + " of " +
                                               std::to_string(length) + " body bytes");
    }
    if (*got == 0) {
      return Fail(ErrorCode::kUnavailable, "connection closed after " + std::to_string(received) +
                                               " of " + std::to_string(length) + " body bytes");
    }
    accepted = deliver(std::string_view(buffer.get(), *got));
  }
  if (!accepted) {
    return Fail(ErrorCode::kUnavailable, "the body sink stopped the transfer after " +
                                             std::to_string(received) + " body bytes");
  }
  return response;
}

}  // namespace pullsim::registry::internal
