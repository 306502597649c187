#include "sim/node/backoff.h"

#include <algorithm>
#include <cmath>

namespace pullsim::node {

std::string ImageBackOffKey(std::string_view pod_uid, std::string_view image) {
  std::string key(pod_uid);
  key += '_';
  key += image;
  return key;
}

bool Backoff::HasExpired(const Entry& entry, Timestamp now) const {
  // KUB-08: strictly more than twice the maximum counts as a stable (expired) entry.
  return now - entry.last_update > 2 * max_;
}

bool Backoff::IsInBackOffSinceUpdate(std::string_view key, Timestamp now) const {
  const Entry* entry = Find(key);
  if (entry == nullptr || HasExpired(*entry, now)) return false;
  return now - entry->last_update < entry->backoff;
}

void Backoff::Next(std::string_view key, Timestamp now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(std::string(key), Entry{}).first;
    it->second.backoff = initial_;
  } else if (HasExpired(it->second, now)) {
    it->second.backoff = initial_;
  } else {
    it->second.backoff = std::min(2 * it->second.backoff, max_);
  }
  it->second.last_update = now;
}

void Backoff::GC(Timestamp now) {
  std::erase_if(entries_,
                [&](const auto& item) { return now - item.second.last_update > 2 * max_; });
}

Duration Backoff::Get(std::string_view key) const {
  const Entry* entry = Find(key);
  return entry == nullptr ? Duration::zero() : entry->backoff;
}

const Backoff::Entry* Backoff::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void Backoff::Reset(std::string_view key) {
  auto it = entries_.find(key);
  if (it != entries_.end()) entries_.erase(it);
}

RetryWindow PodResyncWindow(bool sync_failed, Duration sync_frequency) {
  const Duration base = sync_failed ? kSyncErrorRequeuePeriod : sync_frequency;
  const auto extra =
      std::chrono::duration_cast<Duration>(std::chrono::duration<double, Duration::period>(
          static_cast<double>(base.count()) * kWorkerJitterFactor));
  return RetryWindow{base, base + extra};
}

Duration PodResyncDelay(bool sync_failed, double fraction, Duration sync_frequency) {
  const RetryWindow window = PodResyncWindow(sync_failed, sync_frequency);
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const auto span = static_cast<double>((window.max - window.min).count());
  return window.min + Duration(static_cast<Duration::rep>(std::llround(span * clamped)));
}

bool IsBackOffWaitingReason(std::string_view error) {
  return error == kErrImagePullBackOff || error == "CrashLoopBackOff";
}

}  // namespace pullsim::node
