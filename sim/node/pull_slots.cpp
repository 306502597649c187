#include "sim/node/pull_slots.h"

#include <cassert>

namespace pullsim::node {

PullSlots::PullSlots(bool serialize, std::optional<std::int32_t> max_parallel, int queue_capacity)
    : serialize_(serialize),
      queue_capacity_(queue_capacity > 0 ? static_cast<std::size_t>(queue_capacity) : 0) {
  if (serialize) {
    limit_ = 1;
  } else if (max_parallel && *max_parallel >= 1) {
    limit_ = static_cast<std::size_t>(*max_parallel);
  }
}

PullSlots::Admission PullSlots::Arrive(RequestId id) {
  // The worker (or a semaphore slot) is free only when nobody waits before this request.
  if (queue_.empty() && blocked_.empty() && HasFreeSlot()) {
    running_.insert(id);
    return Admission::kStarted;
  }
  if (serialize_ && queue_.size() >= queue_capacity_) {
    blocked_.push_back(id);
    return Admission::kBlocked;
  }
  queue_.push_back(id);
  return Admission::kQueued;
}

PullSlots::Progress PullSlots::Finish(RequestId id) {
  [[maybe_unused]] const std::size_t erased = running_.erase(id);
  assert(erased == 1 && "only a running pull can finish");
  Progress progress;
  while (HasFreeSlot()) {
    std::deque<RequestId>& source = !queue_.empty() ? queue_ : blocked_;
    if (source.empty()) break;
    progress.started.push_back(source.front());
    running_.insert(source.front());
    source.pop_front();
    // The serial worker took a request out of the channel: one blocked caller gets in.
    if (!blocked_.empty() && queue_.size() < queue_capacity_) {
      progress.enqueued.push_back(blocked_.front());
      queue_.push_back(blocked_.front());
      blocked_.pop_front();
    }
  }
  return progress;
}

}  // namespace pullsim::node
