#pragma once
// Where an object or one of its fields was written: file, line and column, so errors about a
// Kubernetes object can point at the manifest line (STYLE.md §2: `where`).

#include <map>
#include <string>
#include <string_view>

namespace pullsim::cluster {

// A position in a manifest. line and column are 0-based, as yaml-cpp's Mark gives them; ToString()
// prints them 1-based the way compilers and editors expect.
struct SourcePosition {
  std::string file;
  int line = -1;
  int column = -1;

  [[nodiscard]] bool known() const { return line >= 0; }
  // "file:line:col" (1-based), "file" without a line, "" when nothing is known.
  [[nodiscard]] std::string ToString() const;
  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

// Positions of an object's fields by field path ("" is the object itself,
// "spec.containers[0].image" a field). Objects built in code have an empty map.
class SourceMap {
 public:
  void Record(std::string path, SourcePosition position);
  // True when the manifest wrote `path` (even with an empty or null value).
  [[nodiscard]] bool Has(std::string_view path) const;
  // The position of `path`, else of its closest recorded parent ("spec.containers[0]", "spec",
  // then the object); an unknown position when nothing was recorded.
  [[nodiscard]] SourcePosition Find(std::string_view path) const;
  [[nodiscard]] bool empty() const { return positions_.empty(); }

 private:
  std::map<std::string, SourcePosition, std::less<>> positions_;
};

}  // namespace pullsim::cluster
