#pragma once
// Time for the simulation. Nothing in sim/ reads the wall clock: back-off, QPS limits and token
// expiry ask a Clock, and scenarios drive a VirtualClock. Only the CLI wires a SystemClock.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "sim/core/result.h"

namespace pullsim {

using Duration = std::chrono::nanoseconds;
using Timestamp = std::chrono::sys_time<Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Timestamp Now() const = 0;
};

// Simulated time: stands still until advanced. Thread-safe so parallel pulls may read it.
class VirtualClock final : public Clock {
 public:
  // 2026-01-01T00:00:00Z: a fixed start keeps every run byte-for-byte the same.
  static constexpr Timestamp kDefaultStart{std::chrono::seconds{1767225600}};

  explicit VirtualClock(Timestamp start = kDefaultStart) : now_(start) {}
  [[nodiscard]] Timestamp Now() const override;
  // Moves time forward by `d`; a negative `d` is a bug in the caller.
  void Advance(Duration d);
  // Moves time forward to `t` if `t` is later than now; never moves back.
  void AdvanceTo(Timestamp t);

 private:
  mutable std::mutex mu_;
  Timestamp now_;
};

// Wall-clock time, for `pullsim serve` talking to real clients.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] Timestamp Now() const override;
};

// Parses a Go-style duration ("300ms", "1m30s", "2h", "0"; units ns us µs ms s m h).
// kInvalidArgument names the input and the expected form.
[[nodiscard]] Result<Duration> ParseDuration(std::string_view text);

// Formats a duration the way Go's time.Duration.String() does ("1m30s", "300ms", "0s").
[[nodiscard]] std::string FormatDuration(Duration d);

// RFC 3339 in UTC with millisecond precision when non-zero: "2026-01-01T00:00:05.250Z".
[[nodiscard]] std::string FormatTimestamp(Timestamp t);

}  // namespace pullsim
