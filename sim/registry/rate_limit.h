#pragma once
// A pull rate limit as Docker Hub applies it: manifest GETs (not HEADs) counted per client
// (a user, or an anonymous client's address) over a sliding window on the registry's Clock;
// past the limit the registry answers 429 TOOMANYREQUESTS. Responses carry
// `RateLimit-Limit: <n>;w=<seconds>` and `RateLimit-Remaining: <n>;w=<seconds>`.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/registry/names.h"

namespace pullsim::registry {

struct RateLimitRule {
  RepositoryGlob repositories;  // which repositories count ("**": all)
  std::uint32_t limit = 100;    // manifest GETs per window
  Duration window = std::chrono::hours(6);
};

struct RateLimitVerdict {
  bool applies = false;  // some rule covers the repository
  bool allowed = true;
  std::uint32_t limit = 0;
  std::uint32_t remaining = 0;
  Duration window{};
  Duration retry_after{};  // when !allowed: until the oldest counted pull leaves the window
};

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, std::vector<RateLimitRule> rules)
      : clock_(clock), rules_(std::move(rules)) {}

  // Counts one manifest GET by `client` on `repository` when `count` (HEAD passes false) and
  // says whether it may proceed.
  [[nodiscard]] RateLimitVerdict Check(std::string_view client, std::string_view repository,
                                       bool count);
  [[nodiscard]] bool empty() const { return rules_.empty(); }

 private:
  const Clock& clock_;
  std::vector<RateLimitRule> rules_;
  std::mutex mu_;
  std::map<std::pair<std::size_t, std::string>, std::deque<Timestamp>> pulls_;
};

}  // namespace pullsim::registry
