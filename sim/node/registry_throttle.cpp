#include "sim/node/registry_throttle.h"

#include <algorithm>

namespace pullsim::node {

RegistryThrottle::RegistryThrottle(std::int32_t qps, std::int32_t burst)
    : qps_(qps), burst_(std::max<std::int32_t>(burst, 0)), tokens_(static_cast<double>(burst_)) {}

double RegistryThrottle::Refilled(Timestamp now) const {
  if (!started_) return static_cast<double>(burst_);
  const Duration elapsed = now > last_ ? now - last_ : Duration::zero();
  // Whole seconds and the remainder apart, as golang.org/x/time/rate does, so that 0.2 s at
  // 5 QPS is exactly one token.
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(elapsed);
  const double nanos = static_cast<double>((elapsed - whole).count());
  const double gained = static_cast<double>(whole.count()) * qps_ + nanos * qps_ / 1e9;
  return std::min(tokens_ + gained, static_cast<double>(burst_));
}

double RegistryThrottle::Tokens(Timestamp now) const {
  return enabled() ? Refilled(now) : static_cast<double>(burst_);
}

bool RegistryThrottle::TryAccept(Timestamp now) {
  if (!enabled()) return true;
  const double available = Refilled(now);
  tokens_ = available;
  last_ = std::max(now, last_);
  started_ = true;
  if (available < 1.0) return false;
  tokens_ = available - 1.0;
  return true;
}

}  // namespace pullsim::node
