#include "sim/core/rule_catalogue.h"

#include <array>
#include <set>

#include <yaml-cpp/yaml.h>

namespace pullsim {
namespace {

constexpr std::array<std::string_view, 7> kFamilies = {"REF",  "POL", "KUB", "KEP2535",
                                                       "CRED", "ADM", "ARCH"};

std::string Where(const std::filesystem::path& path, const YAML::Mark& mark) {
  // yaml-cpp marks are 0-based; editors count from 1.
  return path.string() + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

}  // namespace

bool RuleCatalogue::IsWellFormedId(std::string_view id) {
  for (std::string_view family : kFamilies) {
    if (id.size() == family.size() + 3 && id.starts_with(family) && id[family.size()] == '-' &&
        id[family.size() + 1] >= '0' && id[family.size() + 1] <= '9' &&
        id[family.size() + 2] >= '0' && id[family.size() + 2] <= '9') {
      return true;
    }
  }
  return false;
}

Result<RuleCatalogue> RuleCatalogue::Load(const std::filesystem::path& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::BadFile&) {
    return Fail(ErrorCode::kNotFound, "cannot read rule catalogue", path.string());
  } catch (const YAML::ParserException& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(path, e.mark));
  }
  if (!root.IsSequence()) {
    return Fail(ErrorCode::kInvalidArgument, "rule catalogue must be a list of rules",
                Where(path, root.Mark()));
  }
  RuleCatalogue catalogue;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const YAML::Node& node = root[i];
    std::string field_path = "[" + std::to_string(i) + "]";
    if (!node.IsMap()) {
      return Fail(ErrorCode::kInvalidArgument, "each rule must be a map", Where(path, node.Mark()));
    }
    Rule rule;
    for (const auto& entry : node) {
      auto key = entry.first.as<std::string>();
      if (!entry.second.IsScalar()) {
        return Fail(ErrorCode::kInvalidArgument, "field \"" + key + "\" must be a string",
                    Where(path, entry.second.Mark()) + " " + field_path + "." + key);
      }
      auto value = entry.second.as<std::string>();
      if (key == "id") {
        rule.id = value;
      } else if (key == "rule") {
        rule.rule = value;
      } else if (key == "spec") {
        rule.spec = value;
      } else if (key == "docs") {
        rule.docs = value;
      } else if (key == "not_simulated") {
        rule.not_simulated = value;
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    "unknown field \"" + key + "\" (expected id, rule, spec, docs, not_simulated)",
                    Where(path, entry.first.Mark()) + " " + field_path);
      }
    }
    if (!IsWellFormedId(rule.id)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "malformed rule id \"" + rule.id + "\" (expected e.g. REF-01, KEP2535-04)",
                  Where(path, node.Mark()) + " " + field_path + ".id");
    }
    if (rule.rule.empty() || rule.spec.empty() || rule.docs.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "rule " + rule.id + " needs non-empty rule, spec and docs fields",
                  Where(path, node.Mark()) + " " + field_path);
    }
    if (!seen.insert(rule.id).second) {
      return Fail(ErrorCode::kInvalidArgument, "duplicate rule id \"" + rule.id + "\"",
                  Where(path, node.Mark()) + " " + field_path + ".id");
    }
    catalogue.rules_.push_back(std::move(rule));
  }
  return catalogue;
}

const Rule* RuleCatalogue::Find(std::string_view id) const {
  for (const Rule& rule : rules_) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

}  // namespace pullsim
