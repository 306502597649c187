#include "sim/scenario/internal/yaml_guard.h"

#include <cstdint>
#include <sstream>
#include <string>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

namespace pullsim::scenario::internal {
namespace {

// Thrown from the event handler to stop yaml-cpp's parser at once.
struct Refused {
  YAML::Mark mark;
  std::string message;
};

// Counts the nodes a document expands to without building it: each anchor remembers the size of
// its subtree and an alias adds that size, so the count costs one pass over the text.
class BudgetHandler : public YAML::EventHandler {
 public:
  explicit BudgetHandler(const YamlLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {
    anchors_.clear();
    stack_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || anchors_[anchor] == kOpen) {
      throw Refused{mark, "an alias refers to a node that contains it (recursive alias)"};
    }
    Add(mark, anchors_[anchor]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

  [[nodiscard]] std::size_t documents() const { return documents_; }
  void CountDocument() { ++documents_; }

 private:
  static constexpr std::uint64_t kOpen = UINT64_MAX;

  struct Frame {
    YAML::anchor_t anchor;
    std::uint64_t size;
  };

  void SetAnchor(YAML::anchor_t anchor, std::uint64_t size) {
    if (anchor == YAML::NullAnchor) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, 0);
    anchors_[anchor] = size;
  }

  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    SetAnchor(anchor, 1);
    Add(mark, 1);
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() >= limits_.max_depth) {
      throw Refused{mark, "lists and mappings are nested deeper than " +
                              std::to_string(limits_.max_depth) + " levels"};
    }
    SetAnchor(anchor, kOpen);
    Add(mark, 1);
    stack_.push_back(Frame{anchor, 1});
  }

  void Close() {
    Frame frame = stack_.back();
    stack_.pop_back();
    SetAnchor(frame.anchor, frame.size);
    // The collection itself was counted into its parent when it opened; now its contents.
    if (!stack_.empty()) stack_.back().size += frame.size - 1;
  }

  // Counts `size` nodes into every open collection and the total.
  void Add(const YAML::Mark& mark, std::uint64_t size) {
    total_ += size;
    if (total_ > limits_.max_nodes) {
      throw Refused{mark, "the file expands to more than " + std::to_string(limits_.max_nodes) +
                              " YAML nodes (too large, or aliases that multiply)"};
    }
    if (!stack_.empty()) stack_.back().size += size;
  }

  const YamlLimits& limits_;
  std::vector<std::uint64_t> anchors_;
  std::vector<Frame> stack_;
  std::uint64_t total_ = 0;
  std::size_t documents_ = 0;
};

// First byte that makes `text` not YAML text (invalid UTF-8, NUL and other control characters).
std::optional<std::size_t> FindBadByte(std::string_view text, std::string* why) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        static constexpr char kHex[] = "0123456789abcdef";
        *why = std::string("control character 0x") + kHex[c >> 4] + kHex[c & 0xf] +
               " is not allowed (is this a binary file?)";
        return i;
      }
      ++i;
      continue;
    }
    std::size_t length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    bool ok = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; ok && k < length; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (ok && length == 3) {
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);  // overlong, surrogates
    }
    if (ok && length == 4) {
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);  // overlong, > U+10FFFF
    }
    if (!ok) {
      *why = "the file is not UTF-8 text (is this a binary file?)";
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

YAML::Mark MarkAt(std::string_view text, std::size_t offset) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(offset);
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++mark.line;
      mark.column = 0;
    } else {
      ++mark.column;
    }
  }
  return mark;
}

}  // namespace

std::optional<std::vector<YAML::Node>> ParseYaml(std::string_view text, const YamlLimits& limits,
                                                 Context& context) {
  if (text.size() > limits.max_bytes) {
    context.Error(YAML::Mark::null_mark(), "",
                  "the file has " + std::to_string(text.size()) + " bytes; the limit is " +
                      std::to_string(limits.max_bytes));
    return std::nullopt;
  }
  std::string why;
  if (auto bad = FindBadByte(text, &why)) {
    context.Error(MarkAt(text, *bad), "", why);
    return std::nullopt;
  }
  std::string copy(text);
  try {
    std::istringstream in(copy);
    YAML::Parser parser(in);
    BudgetHandler budget(limits);
    while (parser.HandleNextDocument(budget)) budget.CountDocument();
  } catch (const Refused& refused) {
    context.Error(refused.mark, "", refused.message);
    return std::nullopt;
  } catch (const YAML::DeepRecursion& e) {
    context.Error(e.mark, "", "lists and mappings are nested too deeply");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    context.Error(e.mark, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  try {
    return YAML::LoadAll(copy);
  } catch (const YAML::Exception& e) {
    context.Error(e.mark, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

}  // namespace pullsim::scenario::internal
