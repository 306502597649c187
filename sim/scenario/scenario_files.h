#pragma once
// Which files are scenarios: those given by name, and every *.yaml under the folders given,
// except rule vectors (fixtures/vectors/) and data beside scenarios (any folder named data/).

#include <filesystem>
#include <string>
#include <vector>

namespace pullsim::scenario {

struct ScenarioFiles {
  std::vector<std::filesystem::path> files;  // sorted within each folder; as given otherwise
  std::vector<std::string> missing;          // paths given that do not exist
};

[[nodiscard]] ScenarioFiles CollectScenarioFiles(const std::vector<std::filesystem::path>& paths);

// True for folders a search skips: ".../fixtures/vectors" and any "data" folder.
[[nodiscard]] bool IsSkippedFolder(const std::filesystem::path& folder);

}  // namespace pullsim::scenario
