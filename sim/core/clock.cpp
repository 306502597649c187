#include "sim/core/clock.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace pullsim {

Timestamp VirtualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void VirtualClock::Advance(Duration d) {
  assert(d >= Duration::zero() && "virtual time never runs backwards");
  std::lock_guard lock(mu_);
  now_ += d;
}

void VirtualClock::AdvanceTo(Timestamp t) {
  std::lock_guard lock(mu_);
  if (t > now_) now_ = t;
}

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

namespace {

struct Unit {
  std::string_view name;
  std::int64_t nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // µs (U+00B5)
    {"\xCE\xBCs", 1'000},  // μs (U+03BC), as Go also accepts
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

Result<Duration> DurationError(std::string_view text, std::string_view why) {
  return Fail(ErrorCode::kInvalidArgument,
              "invalid duration \"" + std::string(text) + "\": " + std::string(why) +
                  " (expected a number and a unit, e.g. \"300ms\", \"1m30s\", \"2h\")");
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration::zero();
  if (s.empty()) return DurationError(text, "empty");
  long double total = 0;
  while (!s.empty()) {
    // number: digits with an optional fraction
    std::size_t i = 0;
    long double value = 0;
    bool any_digit = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i] - '0');
      any_digit = true;
      ++i;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i] - '0') * scale;
        scale /= 10;
        any_digit = true;
        ++i;
      }
    }
    if (!any_digit) return DurationError(text, "missing number");
    s.remove_prefix(i);
    std::size_t unit_len = 0;
    while (unit_len < s.size() && s[unit_len] != '.' && (s[unit_len] < '0' || s[unit_len] > '9')) {
      ++unit_len;
    }
    if (unit_len == 0) return DurationError(text, "missing unit");
    std::string_view unit_name = s.substr(0, unit_len);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == unit_name) unit = &u;
    }
    if (unit == nullptr) {
      return DurationError(text, "unknown unit \"" + std::string(unit_name) + "\"");
    }
    total += value * static_cast<long double>(unit->nanos);
    if (total > static_cast<long double>(std::numeric_limits<std::int64_t>::max())) {
      return DurationError(text, "out of range");
    }
    s.remove_prefix(unit_len);
  }
  auto nanos = static_cast<std::int64_t>(std::llround(total));
  return Duration(negative ? -nanos : nanos);
}

std::string FormatDuration(Duration d) {
  std::int64_t n = d.count();
  if (n == 0) return "0s";
  std::string sign = n < 0 ? "-" : "";
  // Work in unsigned to format the most negative value too.
  std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  auto fraction = [](std::uint64_t value, std::uint64_t scale) {
    std::string whole = std::to_string(value / scale);
    std::uint64_t rest = value % scale;
    if (rest == 0) return whole;
    std::string digits = std::to_string(rest);
    std::string padded =
        std::string(std::to_string(scale).size() - 1 - digits.size(), '0') + digits;
    while (!padded.empty() && padded.back() == '0') padded.pop_back();
    return whole + "." + padded;
  };
  if (u < 1'000) return sign + std::to_string(u) + "ns";
  if (u < 1'000'000) return sign + fraction(u, 1'000) + "\xC2\xB5s";
  if (u < 1'000'000'000) return sign + fraction(u, 1'000'000) + "ms";
  std::string out = sign;
  std::uint64_t hours = u / 3'600'000'000'000ULL;
  u %= 3'600'000'000'000ULL;
  std::uint64_t minutes = u / 60'000'000'000ULL;
  u %= 60'000'000'000ULL;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += fraction(u, 1'000'000'000) + "s";
  return out;
}

std::string FormatTimestamp(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss<Duration> tod{t - days};
  auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  std::string out = std::to_string(static_cast<int>(ymd.year())) + "-" +
                    two(static_cast<long>(static_cast<unsigned>(ymd.month()))) + "-" +
                    two(static_cast<long>(static_cast<unsigned>(ymd.day()))) + "T" +
                    two(tod.hours().count()) + ":" + two(tod.minutes().count()) + ":" +
                    two(static_cast<long>(tod.seconds().count()));
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(tod.subseconds()).count();
  if (millis != 0) {
    std::string m = std::to_string(millis);
    out += "." + std::string(3 - m.size(), '0') + m;
  }
  return out + "Z";
}

}  // namespace pullsim
