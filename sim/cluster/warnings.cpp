#include "sim/cluster/warnings.h"

#include <set>

#include "sim/core/go_quote.h"

namespace pullsim::cluster {

std::vector<std::string> PullSecretWarnings(const PodSpec& spec, std::string_view template_path) {
  std::string base = template_path.empty() ? std::string() : std::string(template_path) + ".";
  base += "spec.imagePullSecrets";
  const auto item = [&](size_t i) { return base + "[" + std::to_string(i) + "].name"; };
  std::vector<std::string> warnings;
  const auto& secrets = spec.image_pull_secrets;
  if (secrets.size() > 1) {
    std::set<std::string, std::less<>> seen;
    for (size_t i = 0; i < secrets.size(); ++i) {
      if (!seen.insert(secrets[i].name).second) {
        warnings.push_back(item(i) + ": duplicate name " + GoQuote(secrets[i].name));
      }
    }
  }
  for (size_t i = 0; i < secrets.size(); ++i) {
    if (secrets[i].name.empty()) warnings.push_back(item(i) + ": invalid empty name \"\"");
  }
  return warnings;
}

std::vector<std::string> WarningsFor(const Object& object) {
  if (const auto* pod = std::get_if<Pod>(&object)) return PullSecretWarnings(pod->spec, "");
  if (const auto* workload = std::get_if<Workload>(&object)) {
    return PullSecretWarnings(workload->template_spec, workload->template_path);
  }
  return {};
}

}  // namespace pullsim::cluster
