#pragma once
// KUB-09: the token bucket the kubelet wraps around its image service (registryPullQPS,
// registryBurst): it starts full, refills at QPS tokens per second up to the burst, and never
// waits. QPS 0 turns it off.

#include <cstdint>

#include "sim/core/clock.h"

namespace pullsim::node {

class RegistryThrottle {
 public:
  // `qps` <= 0 disables throttling (upstream only wraps the service when QPS != 0; validation
  // rejects negative values). A burst of 0 with QPS > 0 accepts nothing, as upstream.
  RegistryThrottle(std::int32_t qps, std::int32_t burst);

  // Takes one token at `now` if one is available. Times must not run backwards.
  [[nodiscard]] bool TryAccept(Timestamp now);
  // Tokens available at `now` (without taking one).
  [[nodiscard]] double Tokens(Timestamp now) const;

  [[nodiscard]] bool enabled() const { return qps_ > 0; }
  [[nodiscard]] std::int32_t qps() const { return qps_; }
  [[nodiscard]] std::int32_t burst() const { return burst_; }

 private:
  [[nodiscard]] double Refilled(Timestamp now) const;

  std::int32_t qps_;
  std::int32_t burst_;
  double tokens_;
  bool started_ = false;  // the bucket is full until first used
  Timestamp last_{};
};

}  // namespace pullsim::node
