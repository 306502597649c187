#include "sim/node/events.h"

namespace pullsim::node {

std::string ObjectReference::String() const {
  std::string text = namespace_name.empty() ? name : namespace_name + "/" + name;
  if (!field_path.empty()) text += " " + field_path;
  return text;
}

std::string ContainerFieldPath(std::string_view container_name, std::string_view list) {
  return "spec." + std::string(list) + "{" + std::string(container_name) + "}";
}

void EventRecorder::Record(Timestamp time, const ObjectReference& object, std::string_view type,
                           std::string_view reason, std::string message) {
  events_.push_back(
      Event{time, object, std::string(type), std::string(reason), std::move(message)});
}

std::vector<Event> EventRecorder::EventsFor(const ObjectReference& object) const {
  std::vector<Event> selected;
  for (const Event& event : events_) {
    if (event.object == object) selected.push_back(event);
  }
  return selected;
}

}  // namespace pullsim::node
