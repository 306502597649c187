#pragma once
// KUB-10: who may pull now. Serial pulls: one worker and a request queue of capacity 10, callers
// blocked beyond it. Parallel pulls: one goroutine per request, limited by a semaphore of
// maxParallelImagePulls when set. Requests are served first come, first served (Go's channel and
// semaphore order is not specified; FIFO keeps the simulation deterministic).
// This class only keeps the order; the image manager puts it on the virtual clock.

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <vector>

#include "sim/node/kubelet_constants.h"

namespace pullsim::node {

class PullSlots {
 public:
  using RequestId = std::uint64_t;

  enum class Admission {
    kStarted,  // a worker or semaphore slot was free: the pull starts now
    kQueued,   // waiting in the serial queue or on the semaphore
    kBlocked,  // serial queue full: the caller blocks until the queue has room
  };

  // serialize = serializeImagePulls; max_parallel = maxParallelImagePulls (nullopt or < 1 =
  // unlimited, for parallel pulls only).
  PullSlots(bool serialize, std::optional<std::int32_t> max_parallel,
            int queue_capacity = kMaxImagePullRequests);

  // A request arrives.
  Admission Arrive(RequestId id);
  // A running pull ended. Returns the requests that start now (at most one) and those that
  // moved from blocked into the queue.
  struct Progress {
    std::vector<RequestId> started;
    std::vector<RequestId> enqueued;
  };
  Progress Finish(RequestId id);

  [[nodiscard]] std::size_t running() const { return running_.size(); }
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }
  [[nodiscard]] std::size_t blocked() const { return blocked_.size(); }
  // How many pulls may run at once; nullopt = unlimited.
  [[nodiscard]] std::optional<std::size_t> limit() const { return limit_; }

 private:
  [[nodiscard]] bool HasFreeSlot() const { return !limit_ || running_.size() < *limit_; }

  bool serialize_;  // only blocked_ callers of a serial puller exist
  std::optional<std::size_t> limit_;
  std::size_t queue_capacity_;  // serial only
  std::set<RequestId> running_;
  std::deque<RequestId> queue_;
  std::deque<RequestId> blocked_;
};

}  // namespace pullsim::node
