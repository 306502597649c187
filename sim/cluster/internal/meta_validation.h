#pragma once
// Object metadata checks shared by every kind's validation (apimachinery ValidateObjectMeta,
// ValidateObjectMetaUpdate).

#include <string_view>

#include "sim/cluster/api_errors.h"
#include "sim/cluster/objects.h"

namespace pullsim::cluster::internal {

enum class NameRule { kDNSSubdomain, kDNSLabel };

// metadata.generateName, name, namespace (required when `namespaced`, forbidden otherwise),
// labels and annotation keys, under `path` ("metadata", "spec.template.metadata").
void ValidateObjectMeta(const ObjectMeta& meta, bool namespaced, NameRule rule,
                        std::string_view path, ErrorList& errors);

// Labels and annotations alone (pod templates have no name of their own).
void ValidateLabelsAndAnnotations(const ObjectMeta& meta, std::string_view path, ErrorList& errors);

// name, namespace and uid may not change ("field is immutable").
void ValidateObjectMetaUpdate(const ObjectMeta& new_meta, const ObjectMeta& old_meta,
                              ErrorList& errors);

}  // namespace pullsim::cluster::internal
