#pragma once
// The kubelet's image pull back-off (KUB-08, client-go flowcontrol.Backoff without jitter) and the
// pod worker's retry cadence (KUB-12). Times are passed in, read by the caller from a Clock, so
// the same code runs on a VirtualClock in scenarios and tests.

#include <map>
#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/node/kubelet_constants.h"

namespace pullsim::node {

// KUB-08: the back-off key, `<pod UID>_<image as written in the spec>`.
[[nodiscard]] std::string ImageBackOffKey(std::string_view pod_uid, std::string_view image);

class Backoff {
 public:
  struct Entry {
    Duration backoff{};
    Timestamp last_update{};
  };

  explicit Backoff(Duration initial = kImageBackOffInitial, Duration max = kImageBackOffMax)
      : initial_(initial), max_(max) {}

  // True while `now` is less than `backoff` after the entry's last update, and the entry has not
  // expired (idle for more than 2 × max).
  [[nodiscard]] bool IsInBackOffSinceUpdate(std::string_view key, Timestamp now) const;
  // Records a failure at `now`: a new or expired entry starts at `initial`, otherwise the
  // back-off doubles up to `max`.
  void Next(std::string_view key, Timestamp now);
  // Deletes every entry idle for more than 2 × max at `now` (run after each successful pull; a
  // success does not reset its own entry).
  void GC(Timestamp now);
  // The current back-off of `key`, zero when there is no entry (flowcontrol Backoff.Get).
  [[nodiscard]] Duration Get(std::string_view key) const;
  // The entry of `key`, or nullptr.
  [[nodiscard]] const Entry* Find(std::string_view key) const;
  // Forgets `key`.
  void Reset(std::string_view key);

  [[nodiscard]] Duration initial() const { return initial_; }
  [[nodiscard]] Duration max() const { return max_; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  [[nodiscard]] bool HasExpired(const Entry& entry, Timestamp now) const;

  Duration initial_;
  Duration max_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// KUB-12: how long the pod worker waits before the next sync, as [min, max] of the jittered
// delay: 10–15 s after a sync that returned an error, 60–90 s (syncFrequency) otherwise. During
// ImagePullBackOff the sync reports no error, so the slow cadence applies.
struct RetryWindow {
  Duration min{};
  Duration max{};
};
[[nodiscard]] RetryWindow PodResyncWindow(bool sync_failed,
                                          Duration sync_frequency = kDefaultSyncFrequency);
// The delay for `fraction` in [0, 1] of the jitter (0 = the minimum), so scenarios pick a point
// deterministically instead of drawing a random number.
[[nodiscard]] Duration PodResyncDelay(bool sync_failed, double fraction,
                                      Duration sync_frequency = kDefaultSyncFrequency);
// True when the waiting reason `error` makes SyncPod report no error (ImagePullBackOff and
// CrashLoopBackOff are expected waits).
[[nodiscard]] bool IsBackOffWaitingReason(std::string_view error);

}  // namespace pullsim::node
