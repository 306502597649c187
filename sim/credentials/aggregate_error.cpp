#include "sim/credentials/aggregate_error.h"

#include <set>
#include <string_view>

namespace pullsim::credentials {

std::string AggregateErrorText(const std::vector<std::string>& messages) {
  if (messages.empty()) return "";
  if (messages.size() == 1) return messages.front();
  std::set<std::string_view> seen;
  std::string joined;
  for (const std::string& message : messages) {
    if (!seen.insert(message).second) continue;
    if (seen.size() > 1) joined += ", ";
    joined += message;
  }
  if (seen.size() == 1) return joined;
  return "[" + joined + "]";
}

}  // namespace pullsim::credentials
