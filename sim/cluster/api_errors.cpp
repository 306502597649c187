#include "sim/cluster/api_errors.h"

#include "sim/core/go_quote.h"
#include "sim/credentials/aggregate_error.h"

namespace pullsim::cluster {

std::string FieldError::Body() const {
  std::string body;
  switch (type) {
    case FieldErrorType::kRequired:
      body = "Required value";
      break;
    case FieldErrorType::kForbidden:
      body = "Forbidden";
      break;
    case FieldErrorType::kTooLong:
      body = "Too long";
      break;
    case FieldErrorType::kInvalid:
      body = "Invalid value";
      break;
    case FieldErrorType::kNotSupported:
      body = "Unsupported value";
      break;
    case FieldErrorType::kDuplicate:
      body = "Duplicate value";
      break;
    case FieldErrorType::kNotFound:
      body = "Not found";
      break;
  }
  // Required, Forbidden and TooLong never print the value (field.Error.ErrorBody).
  const bool prints_value = type == FieldErrorType::kInvalid ||
                            type == FieldErrorType::kNotSupported ||
                            type == FieldErrorType::kDuplicate || type == FieldErrorType::kNotFound;
  if (prints_value && value) body += ": " + GoQuote(*value);
  if (!detail.empty()) body += ": " + detail;
  return body;
}

std::string FieldError::ToString() const { return path + ": " + Body(); }

FieldError RequiredField(std::string path, std::string detail) {
  return {FieldErrorType::kRequired, std::move(path), std::nullopt, std::move(detail)};
}

FieldError InvalidField(std::string path, std::string value, std::string detail) {
  return {FieldErrorType::kInvalid, std::move(path), std::move(value), std::move(detail)};
}

FieldError NotSupportedField(std::string path, std::string value,
                             const std::vector<std::string_view>& supported) {
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < supported.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += GoQuote(supported[i]);
    }
  }
  return {FieldErrorType::kNotSupported, std::move(path), std::move(value), std::move(detail)};
}

FieldError DuplicateField(std::string path, std::string value) {
  return {FieldErrorType::kDuplicate, std::move(path), std::move(value), {}};
}

FieldError NotFoundField(std::string path, std::string value) {
  return {FieldErrorType::kNotFound, std::move(path), std::move(value), {}};
}

FieldError ForbiddenField(std::string path, std::string detail) {
  return {FieldErrorType::kForbidden, std::move(path), std::nullopt, std::move(detail)};
}

FieldError TooLongField(std::string path, size_t max_bytes) {
  return {
      FieldErrorType::kTooLong, std::move(path), std::nullopt,
      "may not be more than " + std::to_string(max_bytes) + (max_bytes == 1 ? " byte" : " bytes")};
}

std::vector<std::string> ErrorStrings(const ErrorList& errors) {
  std::vector<std::string> out;
  out.reserve(errors.size());
  for (const FieldError& error : errors) out.push_back(error.ToString());
  return out;
}

ApiStatus BadRequestStatus(std::string message) { return {400, "BadRequest", std::move(message)}; }

ApiStatus ForbiddenStatus(std::string_view resource, std::string_view name,
                          std::string_view reason) {
  return {403, "Forbidden",
          std::string(resource) + " " + GoQuote(name) + " is forbidden: " + std::string(reason)};
}

ApiStatus NotFoundStatus(std::string_view resource, std::string_view name) {
  return {404, "NotFound", std::string(resource) + " " + GoQuote(name) + " not found"};
}

ApiStatus AlreadyExistsStatus(std::string_view resource, std::string_view name) {
  return {409, "AlreadyExists", std::string(resource) + " " + GoQuote(name) + " already exists"};
}

ApiStatus InvalidStatus(std::string_view qualified_kind, std::string_view name,
                        const ErrorList& errors) {
  return {422, "Invalid",
          std::string(qualified_kind) + " " + GoQuote(name) +
              " is invalid: " + credentials::AggregateErrorText(ErrorStrings(errors))};
}

Error ToError(const ApiStatus& status, std::string where) {
  ErrorCode code = ErrorCode::kInternal;
  switch (status.code) {
    case 400:
    case 422:
      code = ErrorCode::kInvalidArgument;
      break;
    case 403:
      code = ErrorCode::kPermissionDenied;
      break;
    case 404:
      code = ErrorCode::kNotFound;
      break;
    case 409:
      code = ErrorCode::kFailedPrecondition;
      break;
    default:
      break;
  }
  return Error{code, status.message, std::move(where)};
}

}  // namespace pullsim::cluster
