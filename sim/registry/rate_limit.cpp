#include "sim/registry/rate_limit.h"

namespace pullsim::registry {

RateLimitVerdict RateLimiter::Check(std::string_view client, std::string_view repository,
                                    bool count) {
  RateLimitVerdict verdict;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const RateLimitRule& rule = rules_[i];
    if (!rule.repositories.Matches(repository)) continue;
    verdict.applies = true;
    verdict.limit = rule.limit;
    verdict.window = rule.window;
    const Timestamp now = clock_.Now();
    std::lock_guard lock(mu_);
    std::deque<Timestamp>& pulls = pulls_[{i, std::string(client)}];
    while (!pulls.empty() && pulls.front() + rule.window <= now) pulls.pop_front();
    if (pulls.size() >= rule.limit) {
      verdict.allowed = false;
      verdict.remaining = 0;
      verdict.retry_after = pulls.empty() ? rule.window : pulls.front() + rule.window - now;
      return verdict;
    }
    if (count) pulls.push_back(now);
    verdict.remaining = rule.limit - static_cast<std::uint32_t>(pulls.size());
    return verdict;  // the first matching rule decides
  }
  return verdict;
}

}  // namespace pullsim::registry
