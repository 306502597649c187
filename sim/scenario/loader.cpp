#include "sim/scenario/loader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/scenario/internal/reader.h"
#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"
#include "sim/scenario/internal/yaml_guard.h"

namespace pullsim::scenario {
namespace {

using internal::Context;
using internal::Field;

constexpr std::string_view kTopLevelHint =
    "expected a mapping with name, description, rules, registries, nodes and steps";

bool IsScenarioName(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void ReadRules(internal::LoadState& state, const Field& field) {
  Context& context = state.context;
  auto items = context.List(field);
  if (!items) return;
  if (items->empty()) context.Error(field, "list at least one rule id this scenario checks");
  std::vector<std::string_view> known;
  if (state.options.catalogue != nullptr) {
    for (const Rule& rule : state.options.catalogue->rules()) known.push_back(rule.id);
  }
  for (const Field& item : *items) {
    auto id = context.NonEmptyString(item);
    if (!id) continue;
    if (state.options.catalogue != nullptr) {
      if (state.options.catalogue->Find(*id) == nullptr) {
        context.Error(item, "unknown rule id \"" + *id + "\" (not in the rule catalogue)" +
                                Context::Hint(*id, known));
        continue;
      }
    } else if (!RuleCatalogue::IsWellFormedId(*id)) {
      context.Error(item, "malformed rule id \"" + *id + "\" (expected e.g. KUB-02, KEP2535-04)");
      continue;
    }
    auto same = std::find_if(state.scenario.rules.begin(), state.scenario.rules.end(),
                             [&](const Located<std::string>& seen) { return seen.value == *id; });
    if (same != state.scenario.rules.end()) {
      context.Error(item, "rule " + *id + " is listed twice");
      continue;
    }
    state.scenario.rules.push_back(Located<std::string>{*id, context.Location(item)});
  }
}

void ReadXfail(internal::LoadState& state, const Field& field) {
  Context& context = state.context;
  auto text = context.NonEmptyString(field);
  if (!text) return;
  std::size_t hash = text->rfind('#');
  bool has_issue = hash != std::string::npos && hash + 1 < text->size() &&
                   std::all_of(text->begin() + static_cast<std::ptrdiff_t>(hash) + 1, text->end(),
                               [](char c) { return c >= '0' && c <= '9'; });
  if (!has_issue || hash < 3) {
    context.Error(field,
                  "xfail needs a reason and an issue, such as \"the registry sends no "
                  "Docker-Content-Digest, #12\"");
    return;
  }
  state.scenario.xfail = Located<std::string>{*text, context.Location(field)};
}

void ReadScenario(internal::LoadState& state, const YAML::Node& root) {
  Context& context = state.context;
  Field top{YAML::Node(), root, ""};
  auto map = context.Map(top,
                         {"name", "description", "rules", "xfail", "seed", "transport",
                          "registries", "cluster", "nodes", "objects", "steps"},
                         {"name", "description", "rules", "steps"});
  if (!map) return;
  Scenario& scenario = state.scenario;
  if (auto f = map->Get("name")) {
    if (auto name = context.NonEmptyString(*f)) {
      if (!IsScenarioName(*name)) {
        context.Error(*f,
                      "a scenario name is lower-case words joined by '-', such as "
                      "\"always-resolves-cached-tag\"; got \"" +
                          *name + "\"");
      }
      scenario.name = *name;
    }
  }
  if (auto f = map->Get("description"))
    scenario.description = context.NonEmptyString(*f).value_or("");
  if (auto f = map->Get("rules")) ReadRules(state, *f);
  if (auto f = map->Get("xfail")) ReadXfail(state, *f);
  if (auto f = map->Get("seed")) {
    if (auto seed = context.Integer(*f, 0, std::numeric_limits<std::int64_t>::max())) {
      scenario.seed = static_cast<std::uint64_t>(*seed);
    }
  }
  if (auto f = map->Get("transport")) {
    if (auto text = context.String(*f)) {
      if (*text == "inProcess") {
        scenario.transport = Transport::kInProcess;
      } else if (*text == "http") {
        scenario.transport = Transport::kHttp;
      } else {
        static constexpr std::array<std::string_view, 2> kTransports = {"inProcess", "http"};
        context.UnknownWord(*f, *text, kTransports, "transport");
      }
    }
  }
  // Fixed order, whatever the file's: later parts check names against earlier ones.
  if (auto f = map->Get("registries")) internal::ReadRegistries(state, *f);
  if (auto f = map->Get("cluster")) internal::ReadCluster(state, *f);
  if (auto f = map->Get("nodes")) internal::ReadNodes(state, *f);
  if (auto f = map->Get("objects")) scenario.objects = internal::ReadManifests(state, *f);
  if (auto f = map->Get("steps")) internal::ReadSteps(state, *f);
}

// Diagnostics in file order: by file as first reported, then line and column.
void SortDiagnostics(LoadError& error) {
  std::vector<std::string> files;
  for (const Diagnostic& d : error.diagnostics) {
    if (std::find(files.begin(), files.end(), d.location.file) == files.end()) {
      files.push_back(d.location.file);
    }
  }
  auto rank = [&](const Diagnostic& d) {
    return std::find(files.begin(), files.end(), d.location.file) - files.begin();
  };
  std::stable_sort(error.diagnostics.begin(), error.diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::make_tuple(rank(a), a.location.line, a.location.column) <
                            std::make_tuple(rank(b), b.location.line, b.location.column);
                   });
}

}  // namespace

LoadResult<Scenario> LoadScenarioText(std::string_view text, std::string_view file_name,
                                      const std::filesystem::path& directory,
                                      const LoadOptions& options) {
  internal::Diagnostics sink(std::max<std::size_t>(options.max_errors, 1));
  Context context(std::string(file_name), sink);
  internal::YamlLimits limits{options.max_bytes, options.max_nodes, options.max_depth};
  Scenario scenario;
  scenario.file = std::filesystem::path(file_name);
  scenario.directory = directory;
  auto documents = internal::ParseYaml(text, limits, context);
  if (documents) {
    if (documents->empty() || (documents->size() == 1 && documents->front().IsNull())) {
      context.Error(YAML::Mark(), "", "the file is empty; " + std::string(kTopLevelHint));
    } else if (documents->size() > 1) {
      context.Error((*documents)[1].Mark(), "",
                    "a scenario file holds one YAML document; this is a second one (after ---)");
    } else if (!documents->front().IsMap()) {
      context.Error(documents->front().Mark(), "",
                    std::string(kTopLevelHint) + ", got " + Context::Describe(documents->front()));
    } else {
      internal::LoadState state{context, options, limits, scenario, {}};
      ReadScenario(state, documents->front());
    }
  }
  if (!sink.empty()) {
    LoadError error = sink.Take();
    SortDiagnostics(error);
    return std::unexpected(std::move(error));
  }
  return scenario;
}

LoadResult<Scenario> LoadScenarioFile(const std::filesystem::path& path,
                                      const LoadOptions& options) {
  auto fail = [&](ErrorCode code, std::string message) {
    LoadError error;
    error.diagnostics.push_back(
        Diagnostic{code, SourceLocation{path.generic_string(), 0, 0}, "", std::move(message)});
    return std::unexpected(std::move(error));
  };
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return fail(ErrorCode::kNotFound, "no such file");
  if (!std::filesystem::is_regular_file(path, error)) {
    return fail(ErrorCode::kInvalidArgument, "not a regular file");
  }
  auto size = std::filesystem::file_size(path, error);
  if (error) return fail(ErrorCode::kNotFound, "cannot read the file: " + error.message());
  if (size > options.max_bytes) {
    return fail(ErrorCode::kInvalidArgument, "the file has " + std::to_string(size) +
                                                 " bytes; the limit is " +
                                                 std::to_string(options.max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::path directory = path.parent_path();
  if (directory.empty()) directory = ".";
  return LoadScenarioText(text.str(), path.generic_string(), directory, options);
}

std::optional<std::filesystem::path> FindRuleCatalogue(const std::filesystem::path& start) {
  std::error_code error;
  std::filesystem::path at = std::filesystem::absolute(start, error);
  if (error) return std::nullopt;
  if (!std::filesystem::is_directory(at, error)) at = at.parent_path();
  for (; !at.empty(); at = at.parent_path()) {
    std::filesystem::path candidate = at / "conformance" / "rules.yaml";
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    if (at == at.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace pullsim::scenario
