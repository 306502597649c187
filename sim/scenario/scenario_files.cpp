#include "sim/scenario/scenario_files.h"

#include <algorithm>
#include <system_error>

namespace pullsim::scenario {

bool IsSkippedFolder(const std::filesystem::path& folder) {
  std::string name = folder.filename().string();
  if (name.empty()) name = folder.parent_path().filename().string();  // "dir/"
  if (name == "data") return true;
  if (name.starts_with(".") && name != "." && name != "..") return true;
  std::filesystem::path normal = folder.lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal.filename() == "vectors" && normal.parent_path().filename() == "fixtures";
}

ScenarioFiles CollectScenarioFiles(const std::vector<std::filesystem::path>& paths) {
  ScenarioFiles out;
  for (const std::filesystem::path& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      std::filesystem::recursive_directory_iterator it(
          path, std::filesystem::directory_options::skip_permission_denied, error);
      for (; !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_directory(error)) {
          if (IsSkippedFolder(it->path())) it.disable_recursion_pending();
          continue;
        }
        if (it->path().extension() == ".yaml" && it->is_regular_file(error)) {
          found.push_back(it->path());
        }
      }
      std::sort(found.begin(), found.end());
      out.files.insert(out.files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, error)) {
      out.files.push_back(path);
    } else {
      out.missing.push_back(path.generic_string());
    }
  }
  return out;
}

}  // namespace pullsim::scenario
