#pragma once
// The checks of an `expect` step (fixtures/README.md "expect") evaluated against the world at one
// moment: a pod's container state, reason, message, events, start time, chosen platform and
// digest, admitted fields and credentials (KUB-03/04, CRED-13, ARCH-05, POL-01, ADM-05); a node's
// pulls, pulls by credential source and image store; a registry's request log. Each check that
// does not hold is one FailedExpectation naming where it was written, what was expected and what
// was found.

#include <vector>

#include "sim/scenario/results.h"
#include "sim/scenario/simulation.h"
#include "sim/scenario/step.h"

namespace pullsim::scenario {

// Every check of `expectation` that does not hold now; empty when all hold. `step` locates
// checks that carry no location of their own.
[[nodiscard]] std::vector<FailedExpectation> CheckExpectation(const Expectation& expectation,
                                                              const Simulation& world,
                                                              const SourceLocation& step);

// What an expectation names, for messages: "pod default/web", "node node-a", "registry
// registry.test" (joined with ", " when it names several).
[[nodiscard]] std::string SubjectOf(const Expectation& expectation);

}  // namespace pullsim::scenario
