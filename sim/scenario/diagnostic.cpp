#include "sim/scenario/diagnostic.h"

namespace pullsim::scenario {

std::string SourceLocation::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::ToString() const {
  std::string text = location.ToString();
  if (!field.empty()) text += (text.empty() ? "" : ": ") + field;
  return text + (text.empty() ? "" : ": ") + message;
}

Error Diagnostic::ToError() const {
  std::string where = location.ToString();
  if (!field.empty()) where += (where.empty() ? "" : " ") + field;
  return Error{code, message, where};
}

Error LoadError::ToError() const {
  if (diagnostics.empty()) return Error{ErrorCode::kInternal, "scenario failed to load", ""};
  Error error = diagnostics.front().ToError();
  std::size_t more = diagnostics.size() - 1 + omitted;
  if (more > 0) {
    error.message += " (and " + std::to_string(more) + " more error" + (more == 1 ? "" : "s") + ")";
  }
  return error;
}

}  // namespace pullsim::scenario
