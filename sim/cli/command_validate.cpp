// pullsim validate PATH...: loads scenario files strictly and reports every mistake found.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/core/rule_catalogue.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario_files.h"

namespace pullsim::cli {
namespace {

// Issue 7's convention for scenario commands: 0 all good, 2 when any input is invalid.
constexpr int kExitInvalid = 2;

void PrintValidateHelp(std::ostream& out) {
  out << "usage: pullsim validate [--rules FILE] PATH...\n\n"
         "Loads each scenario without running it and reports every mistake: unknown keys (with a\n"
         "suggestion), wrong types, missing fields, bad durations, platforms, references or rule\n"
         "ids, and names that point nowhere. PATH is a scenario file or a folder, searched for\n"
         "*.yaml files (skipping fixtures/vectors/ and folders named data/).\n\n"
         "Prints `OK path` for each valid scenario, and `file:line:col: field: message` for each\n"
         "error.\n\n"
         "options:\n"
         "  --rules FILE  the rule catalogue to check rule ids against (default: the nearest\n"
         "                conformance/rules.yaml above the first PATH or the current folder)\n"
         "  -h, --help    show this help\n\n"
         "exit status: 0 all scenarios valid, 2 any invalid (or a usage error).\n";
}

}  // namespace

int RunValidate(Args args) {
  std::vector<std::filesystem::path> paths;
  std::optional<std::filesystem::path> rules_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      PrintValidateHelp(std::cout);
      return kExitOk;
    }
    if (arg == "--rules" || arg.starts_with("--rules=")) {
      if (arg == "--rules") {
        if (i + 1 == args.size()) {
          std::cerr << "pullsim validate: --rules needs a file\n";
          return kExitUsage;
        }
        rules_path = std::filesystem::path(std::string(args[++i]));
      } else {
        rules_path = std::filesystem::path(std::string(arg.substr(8)));
      }
      continue;
    }
    if (arg.starts_with("-") && arg != "-") {
      std::cerr << "pullsim validate: unknown option \"" << arg
                << "\"; see 'pullsim validate --help'\n";
      return kExitUsage;
    }
    paths.emplace_back(std::string(arg));
  }
  if (paths.empty()) {
    std::cerr << "pullsim validate: give at least one scenario file or folder; see "
                 "'pullsim validate --help'\n";
    return kExitUsage;
  }

  if (!rules_path) rules_path = scenario::FindRuleCatalogue(paths.front());
  if (!rules_path) rules_path = scenario::FindRuleCatalogue(std::filesystem::current_path());
  std::optional<RuleCatalogue> catalogue;
  if (rules_path) {
    auto loaded = RuleCatalogue::Load(*rules_path);
    if (!loaded) {
      std::cerr << loaded.error().ToString() << "\n";
      return kExitInvalid;
    }
    catalogue = std::move(*loaded);
  } else {
    std::cerr << "pullsim validate: note: no conformance/rules.yaml found; rule ids are checked "
                 "for their form only (use --rules FILE)\n";
  }
  scenario::LoadOptions options;
  options.catalogue = catalogue ? &*catalogue : nullptr;

  scenario::ScenarioFiles found = scenario::CollectScenarioFiles(paths);
  std::size_t invalid = found.missing.size();
  for (const std::string& missing : found.missing) {
    std::cout << missing << ": no such file or folder\n";
  }
  if (found.files.empty() && found.missing.empty()) {
    std::cerr << "pullsim validate: no *.yaml scenario files found\n";
    return kExitInvalid;
  }
  for (const std::filesystem::path& file : found.files) {
    auto loaded = scenario::LoadScenarioFile(file, options);
    if (loaded) {
      std::cout << "OK " << file.generic_string() << "\n";
      continue;
    }
    ++invalid;
    for (const scenario::Diagnostic& diagnostic : loaded.error().diagnostics) {
      std::cout << diagnostic.ToString() << "\n";
    }
    if (loaded.error().omitted > 0) {
      std::cout << file.generic_string() << ": " << loaded.error().omitted
                << " more errors not shown\n";
    }
  }
  std::size_t total = found.files.size() + found.missing.size();
  std::cerr << "pullsim validate: " << total - invalid << " of " << total << " scenario"
            << (total == 1 ? "" : "s") << " valid\n";
  return invalid == 0 ? kExitOk : kExitInvalid;
}

}  // namespace pullsim::cli
