#pragma once
// What a run hands to the reports (results.h): the world a scenario set up, each pod's
// containers, timeline and events, and the registries' request logs, as offsets from the
// scenario's start on its VirtualClock.

#include <cstddef>
#include <vector>

#include "sim/cluster/cluster.h"
#include "sim/scenario/results.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/simulation.h"

namespace pullsim::scenario {

// The settings, registries (with the images they hold now), nodes and objects of the scenario.
[[nodiscard]] WorldSummary SummarizeWorld(const Scenario& scenario, const Simulation& world,
                                          std::vector<ObjectSummary> objects);

// One line about an object the API server stored: a Secret's type, a Pod's node and images, a
// ServiceAccount's pull secrets. Empty when the object is gone.
[[nodiscard]] ObjectSummary SummarizeObject(const Manifest& manifest,
                                            const cluster::Cluster& cluster);

// Every pod of every node, in node order then the order each node was given them; intervals
// still open end now.
[[nodiscard]] std::vector<PodResult> SummarizePods(const Simulation& world);

// The request logs of all registries by time; past `max` entries only counted.
void SummarizeRequests(const Simulation& world, std::size_t max, ScenarioResult& result);

}  // namespace pullsim::scenario
