#include "sim/testing/vector_file.h"

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/testing/covers_rule.h"

namespace pullsim::testing {
namespace {

std::string At(const std::string& path, int line) { return path + ":" + std::to_string(line); }

// Reads one entry into `vector`; returns what is wrong with it, or "" when it is well formed.
// yaml-cpp throws on a wrong type; that is caught by the caller.
std::string ReadEntry(const YAML::Node& entry, Vector& vector) {
  if (!entry.IsMap()) return "a vector must be a map with id, rules, input and expected";
  const YAML::Node id = entry["id"];
  if (!id || !id.IsScalar() || id.Scalar().empty()) return "vector has no id";
  vector.id = id.Scalar();
  const std::string named = "vector \"" + vector.id + "\"";
  if (const YAML::Node kind = entry["kind"]) {
    if (!kind.IsScalar()) return named + ": kind must be a string";
    vector.kind = kind.Scalar();
  }
  if (const YAML::Node rules = entry["rules"]) {
    if (!rules.IsSequence()) return named + ": rules must be a list of rule ids";
    for (const YAML::Node& rule : rules) {
      if (!rule.IsScalar()) return named + ": rules must be a list of rule ids";
      vector.rules.push_back(rule.Scalar());
    }
  }
  // Checked before assigning: yaml-cpp throws when a Node is assigned an absent member.
  const YAML::Node input = entry["input"];
  const YAML::Node expected = entry["expected"];
  if (!input) return named + " has no input";
  if (!expected) return named + " has no expected";
  vector.input = input;
  vector.expected = expected;
  vector.entry = entry;
  return "";
}

VectorFile Load(const std::string& relative) {
  VectorFile file;
  file.path = relative;
  std::ifstream in(SourcePath(relative));
  if (!in) {
    file.errors.push_back(relative + ": cannot read the vector file");
    return file;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("- id:")) ++file.id_lines;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    file.errors.push_back(At(relative, e.mark.line + 1) + ": " + e.msg);
    return file;
  }
  if (!root.IsSequence()) {
    file.errors.push_back(relative + ": expected a list of vectors");
    return file;
  }
  for (const YAML::Node& entry : root) {
    const int line = entry.Mark().line + 1;
    Vector vector;
    vector.line = line;
    std::string problem;
    try {
      problem = ReadEntry(entry, vector);
    } catch (const YAML::Exception& e) {
      problem = e.msg;
    }
    if (problem.empty()) {
      file.vectors.push_back(std::move(vector));
    } else {
      file.errors.push_back(At(relative, line) + ": " + problem);
    }
  }
  return file;
}

std::string TestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace

void PrintTo(const Vector& vector, std::ostream* out) { *out << vector.id; }

const VectorFile& LoadVectorFile(std::string_view relative) {
  // std::map never moves its values, so the references handed out stay valid.
  static std::map<std::string, VectorFile, std::less<>> loaded;
  auto it = loaded.find(relative);
  if (it == loaded.end()) {
    const std::string path(relative);
    it = loaded.emplace(path, Load(path)).first;
  }
  return it->second;
}

std::vector<Vector> VectorsOfKind(const VectorFile& file, std::string_view kind) {
  std::vector<Vector> out;
  for (const Vector& vector : file.vectors) {
    if (vector.kind == kind) out.push_back(vector);
  }
  return out;
}

std::vector<Vector> VectorsExceptKind(const VectorFile& file, std::string_view kind) {
  std::vector<Vector> out;
  for (const Vector& vector : file.vectors) {
    if (vector.kind != kind) out.push_back(vector);
  }
  return out;
}

void ExpectEveryVectorLoaded(const VectorFile& file, std::size_t at_least) {
  for (const std::string& error : file.errors) ADD_FAILURE() << error;
  EXPECT_EQ(file.vectors.size(), file.id_lines)
      << file.path << ": every \"- id:\" line must load as one vector";
  EXPECT_GE(file.vectors.size(), at_least) << file.path << ": fewer vectors than the shared set";
}

std::string VectorIdName(const ::testing::TestParamInfo<Vector>& param) {
  return TestName(param.param.id);
}

std::string VectorIdAndRulesName(const ::testing::TestParamInfo<Vector>& param) {
  std::string name = param.param.id;
  for (const std::string& rule : param.param.rules) name += "_" + rule;
  return TestName(name);
}

std::string VectorRuleAndIdName(const ::testing::TestParamInfo<Vector>& param) {
  std::string name = param.param.rules.empty() ? "" : param.param.rules.front() + "_";
  return TestName(name + param.param.id);
}

}  // namespace pullsim::testing
