#pragma once
// Result<T>: a value or an Error (STYLE.md §2). One alias, so only this file changes if the
// toolchain does.

#include <expected>

#include "sim/core/error.h"

namespace pullsim {

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for the error branch: `return Fail(ErrorCode::kNotFound, "...");`
[[nodiscard]] inline std::unexpected<Error> Fail(ErrorCode code, std::string message,
                                                 std::string where = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(where)});
}

}  // namespace pullsim
