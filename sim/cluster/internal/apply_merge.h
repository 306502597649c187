#pragma once
// What `kubectl apply` sends for an object that exists: its patch only touches the fields the
// manifest writes, so fields the manifest leaves out keep the stored values, including the ones
// defaulting and admission set (imagePullPolicy, serviceAccountName, imagePullSecrets). POL-05:
// re-applying `nginx:1.25` over a pod created from `nginx` keeps imagePullPolicy Always.

#include "sim/cluster/objects.h"

namespace pullsim::cluster::internal {

// Fills the fields `applied` leaves out from `stored` (same kind). A field counts as written
// when the manifest has its key (SourceMap) or the value is not empty; containers are matched by
// name within their list.
void MergeForApply(Object& applied, const Object& stored);

}  // namespace pullsim::cluster::internal
