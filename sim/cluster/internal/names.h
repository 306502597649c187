#pragma once
// Name and key checks of k8s.io/apimachinery/pkg/util/validation, with upstream's messages: each
// function returns the list of problems, empty when the value is valid.

#include <string>
#include <string_view>
#include <vector>

namespace pullsim::cluster::internal {

// RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters (container and namespace
// names).
[[nodiscard]] std::vector<std::string> IsDNS1123Label(std::string_view value);
// RFC 1123 subdomain: labels joined by '.', at most 253 characters (pod, secret, service account,
// node names).
[[nodiscard]] std::vector<std::string> IsDNS1123Subdomain(std::string_view value);
// A secret or config map data key: [-._a-zA-Z0-9]+, at most 253, not "." or "..", no ".." prefix.
[[nodiscard]] std::vector<std::string> IsConfigMapKey(std::string_view value);
// A label or annotation key: [prefix/]name.
[[nodiscard]] std::vector<std::string> IsQualifiedName(std::string_view value);
// A label value: empty or a qualified name part, at most 63 characters.
[[nodiscard]] std::vector<std::string> IsValidLabelValue(std::string_view value);

// The object-name checks (apimachinery NameIsDNSSubdomain / NameIsDNSLabel); `prefix` is true for
// metadata.generateName, whose trailing '-' is allowed.
[[nodiscard]] std::vector<std::string> NameIsDNSSubdomain(std::string_view value, bool prefix);
[[nodiscard]] std::vector<std::string> NameIsDNSLabel(std::string_view value, bool prefix);

}  // namespace pullsim::cluster::internal
