#pragma once
// The JSON of one scenario (pullsim.results/v1), shared by the JSON results file and the data
// the HTML report embeds for its lazily drawn details.

#include "sim/report/internal/json_writer.h"
#include "sim/scenario/results.h"

namespace pullsim::report::internal {

// The whole scenario object.
void WriteScenario(JsonWriter& json, const scenario::ScenarioResult& scenario);
// Only "virtualTimeMs", "world", "pods", "requests" and "requestsOmitted", as an object.
void WriteScenarioDetails(JsonWriter& json, const scenario::ScenarioResult& scenario);

}  // namespace pullsim::report::internal
