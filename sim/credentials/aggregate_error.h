#pragma once
// The text of k8s.io/apimachinery's utilerrors.NewAggregate(errs).Error(): the kubelet's pull
// error after every credential failed (CRED-13), its configuration validation, the API server's
// "is invalid" and admission messages, and field.ErrorList.ToAggregate() all word a list of
// errors this way.

#include <string>
#include <vector>

namespace pullsim::credentials {

// One distinct message bare, several as "[m1, m2]" in first-seen order with repeats dropped;
// "" for none.
[[nodiscard]] std::string AggregateErrorText(const std::vector<std::string>& messages);

}  // namespace pullsim::credentials
