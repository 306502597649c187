#pragma once
// The API server's error vocabulary: field errors (`spec.containers[0].image: Required value`,
// k8s.io/apimachinery field.Error) and status errors (`pods "web" is forbidden: ...`,
// `Pod "web" is invalid: [...]`), worded as upstream words them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/error.h"

namespace pullsim::cluster {

enum class FieldErrorType {
  kRequired,
  kInvalid,
  kNotSupported,
  kDuplicate,
  kNotFound,
  kForbidden,
  kTooLong,
};

struct FieldError {
  FieldErrorType type = FieldErrorType::kInvalid;
  std::string path;                  // "spec.containers[0].image"
  std::optional<std::string> value;  // the bad value, printed Go-quoted; nullopt: not printed
  std::string detail;

  // "Required value", `Invalid value: " nginx": must not have ...`.
  [[nodiscard]] std::string Body() const;
  // path ": " Body()
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};
using ErrorList = std::vector<FieldError>;

[[nodiscard]] FieldError RequiredField(std::string path, std::string detail = {});
[[nodiscard]] FieldError InvalidField(std::string path, std::string value, std::string detail);
[[nodiscard]] FieldError NotSupportedField(std::string path, std::string value,
                                           const std::vector<std::string_view>& supported);
[[nodiscard]] FieldError DuplicateField(std::string path, std::string value);
[[nodiscard]] FieldError NotFoundField(std::string path, std::string value);
[[nodiscard]] FieldError ForbiddenField(std::string path, std::string detail);
[[nodiscard]] FieldError TooLongField(std::string path, size_t max_bytes);

// ToString() of each error.
[[nodiscard]] std::vector<std::string> ErrorStrings(const ErrorList& errors);

// A failed API request: metav1.Status of an error response.
struct ApiStatus {
  int code = 500;       // HTTP status
  std::string reason;   // "BadRequest", "Forbidden", "NotFound", "AlreadyExists", "Invalid"
  std::string message;  // the full message the client prints
  friend bool operator==(const ApiStatus&, const ApiStatus&) = default;
};

// 400 with `message`.
[[nodiscard]] ApiStatus BadRequestStatus(std::string message);
// 403 `<resource> "<name>" is forbidden: <reason>`.
[[nodiscard]] ApiStatus ForbiddenStatus(std::string_view resource, std::string_view name,
                                        std::string_view reason);
// 404 `<resource> "<name>" not found`.
[[nodiscard]] ApiStatus NotFoundStatus(std::string_view resource, std::string_view name);
// 409 `<resource> "<name>" already exists`.
[[nodiscard]] ApiStatus AlreadyExistsStatus(std::string_view resource, std::string_view name);
// 422 `<Kind> "<name>" is invalid: <aggregate of errors>`.
[[nodiscard]] ApiStatus InvalidStatus(std::string_view qualified_kind, std::string_view name,
                                      const ErrorList& errors);

// The status as a pullsim Error (400/422 kInvalidArgument, 403 kPermissionDenied, 404 kNotFound,
// 409 kFailedPrecondition, else kInternal).
[[nodiscard]] Error ToError(const ApiStatus& status, std::string where = {});

}  // namespace pullsim::cluster
