// Hostile input: whatever bytes a scenario file holds, loading ends quickly with diagnostics,
// never a crash, a hang or unbounded memory (issue 7: "never crashes").
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"

namespace pullsim::scenario {
namespace {

struct Outcome {
  std::vector<std::string> diagnostics;
  double seconds = 0;
};

Outcome Load(const std::string& text, const LoadOptions& options = {}) {
  auto start = std::chrono::steady_clock::now();
  auto loaded = LoadScenarioText(text, "h.yaml", ".", options);
  Outcome outcome;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!loaded) {
    for (const Diagnostic& d : loaded.error().diagnostics)
      outcome.diagnostics.push_back(d.ToString());
  }
  return outcome;
}

constexpr const char* kEmptyMessage =
    "the file is empty; expected a mapping with name, description, rules, registries, nodes and "
    "steps";

TEST(HostileInput, EmptyFile) {
  EXPECT_EQ(Load("").diagnostics,
            std::vector<std::string>{"h.yaml:1:1: " + std::string(kEmptyMessage)});
  EXPECT_EQ(Load("# only a comment\n\n").diagnostics,
            std::vector<std::string>{"h.yaml:1:1: " + std::string(kEmptyMessage)});
  EXPECT_EQ(Load("---\n...\n").diagnostics,
            std::vector<std::string>{"h.yaml:1:1: " + std::string(kEmptyMessage)});
}

TEST(HostileInput, BinaryBytes) {
  std::string bytes;
  std::uint32_t state = 12345;
  for (int i = 0; i < 100'000; ++i) {
    state = state * 1103515245 + 12345;
    bytes += static_cast<char>(state >> 24);
  }
  Outcome outcome = Load(bytes);
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_NE(outcome.diagnostics[0].find("is this a binary file?"), std::string::npos)
      << outcome.diagnostics[0];
}

TEST(HostileInput, NulByteNamesItsPosition) {
  EXPECT_EQ(Load(std::string("name: t\ndescription: a\0b\n", 25)).diagnostics,
            std::vector<std::string>{
                "h.yaml:2:15: control character 0x00 is not allowed (is this a binary file?)"});
}

TEST(HostileInput, InvalidUtf8NamesItsPosition) {
  EXPECT_EQ(
      Load("name: t\ndescription: caf\xc3\x28\n").diagnostics,
      std::vector<std::string>{"h.yaml:2:17: the file is not UTF-8 text (is this a binary file?)"});
  // Valid UTF-8 is fine anywhere text is.
  EXPECT_EQ(
      Load("name: t\ndescription: café ☕\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n").diagnostics,
      std::vector<std::string>{});
}

TEST(HostileInput, TenMegabytesOfOneString) {
  Outcome outcome = Load("description: \"" + std::string(10 << 20, 'a') + "\"\n");
  EXPECT_EQ(outcome.diagnostics.size(), 3u);  // name, rules and steps are missing
  EXPECT_LT(outcome.seconds, 30.0);
}

TEST(HostileInput, TenMegabytesOfListItemsStopAtTheNodeBudget) {
  std::string text = "nodes: [";
  while (text.size() < (10u << 20)) text += "1,";
  text += "1]\n";
  Outcome outcome = Load(text);
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_NE(outcome.diagnostics[0].find("expands to more than 500000 YAML nodes"),
            std::string::npos)
      << outcome.diagnostics[0];
  EXPECT_LT(outcome.seconds, 30.0);
}

TEST(HostileInput, FilesOverTheByteLimitAreNotParsed) {
  LoadOptions options;
  options.max_bytes = 1 << 20;
  Outcome outcome = Load(std::string(2 << 20, '#'), options);
  EXPECT_EQ(outcome.diagnostics,
            std::vector<std::string>{"h.yaml: the file has 2097152 bytes; the limit is 1048576"});
}

TEST(HostileInput, DeepNesting) {
  EXPECT_EQ(
      Load(std::string(100'000, '[') + std::string(100'000, ']')).diagnostics,
      std::vector<std::string>{"h.yaml:1:65: lists and mappings are nested deeper than 64 levels"});
  std::string maps;
  for (int i = 0; i < 5000; ++i) maps += "{a: ";
  maps += "1" + std::string(5000, '}');
  EXPECT_EQ(Load(maps).diagnostics.size(), 1u);
}

TEST(HostileInput, BillionLaughs) {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
    text += "]\n";
  }
  Outcome outcome = Load(text);
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0],
            "h.yaml:6:25: the file expands to more than 500000 YAML nodes (too large, or aliases "
            "that multiply)");
  EXPECT_LT(outcome.seconds, 2.0);
}

TEST(HostileInput, AliasBombInsideAFileContent) {
  // Below the budget the aliases expand where the scenario writes JSON, and nowhere else.
  std::string text =
      "name: t\ndescription: d\nrules: [KUB-02]\nx: &x [1, 2, 3]\n"
      "nodes:\n  - name: node-a\n    files:\n      - {path: /a.json, json: [*x, *x, *x]}\n"
      "steps: [{advance: 1s}]\n";
  Outcome outcome = Load(text);
  ASSERT_EQ(outcome.diagnostics.size(), 1u);
  EXPECT_EQ(outcome.diagnostics[0].substr(0, 21), "h.yaml:4:1: x: unknow");
}

TEST(HostileInput, RecursiveAlias) {
  EXPECT_EQ(Load("a: &a [*a]\n").diagnostics,
            std::vector<std::string>{
                "h.yaml:1:8: an alias refers to a node that contains it (recursive alias)"});
  EXPECT_EQ(Load("a: &a {b: *a}\n").diagnostics.size(), 1u);
}

TEST(HostileInput, ManyKeysStayFast) {
  std::string text =
      "name: t\ndescription: d\nrules: [KUB-02]\nnodes:\n  - name: node-a\n    env:\n";
  for (int i = 0; i < 100'000; ++i) text += "      K" + std::to_string(i) + ": v\n";
  text += "steps: [{advance: 1s}]\n";
  Outcome outcome = Load(text);
  EXPECT_TRUE(outcome.diagnostics.empty()) << outcome.diagnostics.front();
  EXPECT_LT(outcome.seconds, 30.0);
}

TEST(HostileInput, ManyMistakesAreCappedAndCounted) {
  std::string text = "name: t\ndescription: d\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n";
  for (int i = 0; i < 100'000; ++i) text += "k" + std::to_string(i) + ": v\n";
  auto start = std::chrono::steady_clock::now();
  auto loaded = LoadScenarioText(text, "h.yaml", ".");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().diagnostics.size(), 20u);
  EXPECT_EQ(loaded.error().omitted, 100'000u - 20u);
  EXPECT_LT(seconds, 30.0);
}

TEST(HostileInput, OddYamlFeaturesGetPlainErrors) {
  // Tags the format does not use, complex keys, and a document that is only a scalar.
  EXPECT_EQ(
      Load("name: !custom t\ndescription: d\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n")
          .diagnostics,
      std::vector<std::string>{"h.yaml:1:7: name: expected a string, got \"t\" tagged !custom"});
  EXPECT_EQ(Load("? [a, b]\n: c\n").diagnostics.size(), 5u);  // the key, and four missing fields
  EXPECT_EQ(Load("just text\n").diagnostics,
            std::vector<std::string>{"h.yaml:1:1: expected a mapping with name, description, "
                                     "rules, registries, nodes and steps, got \"just text\""});
}

}  // namespace
}  // namespace pullsim::scenario
