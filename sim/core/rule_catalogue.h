#pragma once
// The rule catalogue (conformance/rules.yaml): every rule id of spec/kubernetes-images.md with a
// one-line paraphrase. Tests, fixtures and reports name rules by these ids.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"

namespace pullsim {

struct Rule {
  std::string id;             // "KUB-02"
  std::string rule;           // one-line paraphrase
  std::string spec;           // spec section, "3 Kubelet image manager"
  std::string docs;           // section of the Kubernetes Images page
  std::string not_simulated;  // why behaviour cannot show it; empty when it can
};

class RuleCatalogue {
 public:
  // Reads and checks a catalogue: kInvalidArgument (with file:line:col) on a malformed id, a
  // duplicate id, an unknown or missing field; kNotFound when the file is absent.
  [[nodiscard]] static Result<RuleCatalogue> Load(const std::filesystem::path& path);

  // True for "REF-01", "KEP2535-04": a family prefix, '-', two digits.
  [[nodiscard]] static bool IsWellFormedId(std::string_view id);

  [[nodiscard]] const Rule* Find(std::string_view id) const;
  [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace pullsim
