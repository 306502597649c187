#pragma once
// Error: what went wrong, in words a person can act on, and where (file:line:col field-path).

#include <string>
#include <string_view>

namespace pullsim {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kUnauthenticated,
  kPermissionDenied,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

// Stable lower-case name of a code ("invalid_argument"), for logs and JSON.
[[nodiscard]] std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // what is wrong and what was expected, naming the input
  std::string where;    // "fixtures/tenants.yaml:14:7 pods[0].imagePullPolicy"; may be empty

  // "where: message" as a compiler prints it, or just the message when `where` is empty.
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace pullsim
