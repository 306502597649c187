#include "sim/cluster/internal/meta_validation.h"

#include <string>

#include "sim/cluster/internal/names.h"

namespace pullsim::cluster::internal {
namespace {

constexpr size_t kTotalAnnotationSizeLimit = 256 * 1024;

std::vector<std::string> CheckName(NameRule rule, std::string_view value, bool prefix) {
  return rule == NameRule::kDNSLabel ? NameIsDNSLabel(value, prefix)
                                     : NameIsDNSSubdomain(value, prefix);
}

}  // namespace

void ValidateLabelsAndAnnotations(const ObjectMeta& meta, std::string_view path,
                                  ErrorList& errors) {
  const std::string base(path);
  for (const auto& [key, value] : meta.labels) {
    for (std::string& message : IsQualifiedName(key)) {
      errors.push_back(InvalidField(base + ".labels", key, std::move(message)));
    }
    for (std::string& message : IsValidLabelValue(value)) {
      errors.push_back(InvalidField(base + ".labels", value, std::move(message)));
    }
  }
  size_t total = 0;
  for (const auto& [key, value] : meta.annotations) {
    std::string lowered = key;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (std::string& message : IsQualifiedName(lowered)) {
      errors.push_back(InvalidField(base + ".annotations", key, std::move(message)));
    }
    total += key.size() + value.size();
  }
  if (total > kTotalAnnotationSizeLimit) {
    errors.push_back(TooLongField(base + ".annotations", kTotalAnnotationSizeLimit));
  }
}

void ValidateObjectMeta(const ObjectMeta& meta, bool namespaced, NameRule rule,
                        std::string_view path, ErrorList& errors) {
  const std::string base(path);
  if (!meta.generate_name.empty()) {
    for (std::string& message : CheckName(rule, meta.generate_name, true)) {
      errors.push_back(InvalidField(base + ".generateName", meta.generate_name, message));
    }
  }
  if (meta.name.empty()) {
    errors.push_back(RequiredField(base + ".name", "name or generateName is required"));
  } else {
    for (std::string& message : CheckName(rule, meta.name, false)) {
      errors.push_back(InvalidField(base + ".name", meta.name, message));
    }
  }
  if (namespaced) {
    if (meta.namespace_name.empty()) {
      errors.push_back(RequiredField(base + ".namespace"));
    } else {
      for (std::string& message : NameIsDNSLabel(meta.namespace_name, false)) {
        errors.push_back(InvalidField(base + ".namespace", meta.namespace_name, message));
      }
    }
  } else if (!meta.namespace_name.empty()) {
    errors.push_back(ForbiddenField(base + ".namespace", "not allowed on this type"));
  }
  ValidateLabelsAndAnnotations(meta, path, errors);
}

void ValidateObjectMetaUpdate(const ObjectMeta& new_meta, const ObjectMeta& old_meta,
                              ErrorList& errors) {
  if (new_meta.name != old_meta.name) {
    errors.push_back(InvalidField("metadata.name", new_meta.name, "field is immutable"));
  }
  if (new_meta.namespace_name != old_meta.namespace_name) {
    errors.push_back(
        InvalidField("metadata.namespace", new_meta.namespace_name, "field is immutable"));
  }
  if (new_meta.uid != old_meta.uid) {
    errors.push_back(InvalidField("metadata.uid", new_meta.uid, "field is immutable"));
  }
}

}  // namespace pullsim::cluster::internal
