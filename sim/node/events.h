#pragma once
// Kubernetes Events the fake kubelet records (KUB-03): the object they are about, type, reason
// and message, stamped with simulated time.

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"

namespace pullsim::node {

// What an event is about: a Pod, or one of its containers (field_path "spec.containers{app}").
struct ObjectReference {
  std::string kind = "Pod";
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::string field_path;  // empty for the Pod itself

  // "default/web" or "default/web spec.containers{app}", for logs and test output.
  [[nodiscard]] std::string String() const;
  friend bool operator==(const ObjectReference&, const ObjectReference&) = default;
};

// The field path of a container: "spec.containers{name}" (initContainers and
// ephemeralContainers have their own lists).
[[nodiscard]] std::string ContainerFieldPath(std::string_view container_name,
                                             std::string_view list = "containers");

struct Event {
  Timestamp time{};
  ObjectReference object;
  std::string type;    // kEventTypeNormal / kEventTypeWarning
  std::string reason;  // kReasonPulling, ...
  std::string message;
  friend bool operator==(const Event&, const Event&) = default;
};

// Collects events in the order they happen.
class EventRecorder {
 public:
  void Record(Timestamp time, const ObjectReference& object, std::string_view type,
              std::string_view reason, std::string message);
  [[nodiscard]] const std::vector<Event>& events() const { return events_; }
  // The events about `object` (exact match, field path included).
  [[nodiscard]] std::vector<Event> EventsFor(const ObjectReference& object) const;
  void Clear() { events_.clear(); }

 private:
  std::vector<Event> events_;
};

}  // namespace pullsim::node
