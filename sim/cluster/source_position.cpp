#include "sim/cluster/source_position.h"

namespace pullsim::cluster {

std::string SourcePosition::ToString() const {
  if (!known()) return file;
  std::string text = file.empty() ? std::string("<input>") : file;
  text += ":" + std::to_string(line + 1);
  if (column >= 0) text += ":" + std::to_string(column + 1);
  return text;
}

void SourceMap::Record(std::string path, SourcePosition position) {
  positions_.insert_or_assign(std::move(path), std::move(position));
}

bool SourceMap::Has(std::string_view path) const { return positions_.contains(path); }

namespace {

// "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
std::string_view Parent(std::string_view path) {
  // A key subscript may itself hold dots: "data[.dockercfg]".
  const size_t cut =
      !path.empty() && path.back() == ']' ? path.rfind('[') : path.find_last_of(".[");
  if (cut == std::string_view::npos) return {};
  return path.substr(0, cut);
}

}  // namespace

SourcePosition SourceMap::Find(std::string_view path) const {
  while (true) {
    if (auto it = positions_.find(path); it != positions_.end()) return it->second;
    if (path.empty()) return {};
    path = Parent(path);
  }
}

}  // namespace pullsim::cluster
