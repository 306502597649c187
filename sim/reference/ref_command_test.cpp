// `pullsim ref` (sim/cli/command_ref.cpp, compiled into this test): its output agrees with the
// REF vectors, and hostile arguments get one valid JSON line each, never a crash.
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::cli {
// Declared as main.cpp declares it (commands.h's Args is this span); not included, so that the
// reference module's sources name no module above it.
int RunRef(std::span<const std::string_view> args);
}  // namespace pullsim::cli

namespace pullsim::reference {
namespace {

struct RefOutput {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<nlohmann::json> lines;  // stdout, one parsed object per line
};

// Runs `pullsim ref ARGS...` in-process with std::cout and std::cerr captured; unless `json` is
// false (--help), every stdout line must be a JSON object.
RefOutput RunRefCommand(const std::vector<std::string>& args, bool json = true) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  RefOutput run;
  run.exit_code = cli::RunRef(views);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  run.out = out.str();
  run.err = err.str();
  if (!json) return run;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line.substr(0, 200);
    EXPECT_TRUE(parsed.is_object());
    run.lines.push_back(std::move(parsed));
  }
  return run;
}

TEST(RefCommand, REF_02_PrintsOneObjectPerImage) {
  testing::CoversRules({"REF-02", "REF-08", "POL-01"});
  const std::string digest = "sha256:" + std::string(64, 'e');
  const RefOutput run = RunRefCommand({"nginx", "ghcr.io/team/app:v1@" + digest});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "{\"input\":\"nginx\",\"name\":\"docker.io/library/nginx\",\"domain\":\"docker.io\","
            "\"path\":\"library/nginx\",\"familiar\":\"nginx\",\"defaultPullPolicy\":\"Always\"}\n"
            "{\"input\":\"ghcr.io/team/app:v1@" +
                digest +
                "\",\"name\":\"ghcr.io/team/app\",\"domain\":\"ghcr.io\",\"path\":\"team/app\","
                "\"tag\":\"v1\",\"digest\":\"" +
                digest + "\",\"familiar\":\"ghcr.io/team/app:v1@" + digest +
                "\",\"defaultPullPolicy\":\"IfNotPresent\"}\n");
}

TEST(RefCommand, REF_03_InvalidImageExitsOne) {
  testing::CoversRule("REF-03");
  const RefOutput run = RunRefCommand({"nginx", "Nginx", "--", "-docker"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.lines.size(), 3u);
  EXPECT_EQ(run.lines[1], (nlohmann::json{{"input", "Nginx"},
                                          {"error",
                                           "invalid reference format: repository name "
                                           "(library/Nginx) must be lowercase"}}));
  EXPECT_EQ(run.lines[2],
            (nlohmann::json{{"input", "-docker"}, {"error", "invalid reference format"}}));
}

TEST(RefCommand, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"--"}, {"-x"}, {"nginx", "--bogus"}, {"-docker"}}) {
    const RefOutput run = RunRefCommand(args);
    EXPECT_EQ(run.exit_code, 2) << ::testing::PrintToString(args);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err, "");
  }
  const RefOutput help = RunRefCommand({"--help"}, /*json=*/false);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(help.out.starts_with("usage: pullsim ref")) << help.out;
}

// The CLI agrees with every vector: the fields it prints are those the vectors expect.
TEST(RefCommand, REF_02_AgreesWithTheVectors) {
  testing::CoversRules({"REF-02", "REF-03", "REF-08", "POL-01"});
  YAML::Node vectors;
  try {
    vectors = YAML::LoadFile(testing::SourcePath("fixtures/vectors/ref.yaml").string());
  } catch (const YAML::Exception& e) {
    FAIL() << "fixtures/vectors/ref.yaml: " << e.what();
  }
  std::vector<std::string> inputs;
  for (const YAML::Node& vector : vectors) inputs.push_back(vector["input"].as<std::string>());
  ASSERT_GE(inputs.size(), 126u);
  inputs.insert(inputs.begin(), "--");  // some inputs start with '-'
  const RefOutput run = RunRefCommand(inputs);
  EXPECT_EQ(run.exit_code, 1);  // the vectors include invalid images
  ASSERT_EQ(run.lines.size(), inputs.size() - 1);
  std::size_t i = 0;
  for (const YAML::Node& vector : vectors) {
    const nlohmann::json& line = run.lines[i++];
    const YAML::Node want = vector["expected"]["parse_normalized_named"];
    SCOPED_TRACE(vector["id"].as<std::string>());
    EXPECT_EQ(line["input"], vector["input"].as<std::string>());
    if (want["error"]) {
      EXPECT_EQ(line, (nlohmann::json{{"input", vector["input"].as<std::string>()},
                                      {"error", want["error"].as<std::string>()}}));
      continue;
    }
    nlohmann::json expected = {
        {"input", vector["input"].as<std::string>()},
        {"name", want["name"].as<std::string>()},
        {"domain", want["domain"].as<std::string>()},
        {"path", want["path"].as<std::string>()},
        {"familiar", want["familiar_string"].as<std::string>()},
        {"defaultPullPolicy",
         vector["expected"]["kubelet"]["default_pull_policy"].as<std::string>()},
    };
    if (want["tag"]) expected["tag"] = want["tag"].as<std::string>();
    if (want["digest"]) expected["digest"] = want["digest"].as<std::string>();
    EXPECT_EQ(line, expected);
  }
}

// Hostile arguments: each still gets exactly one valid JSON line with an "error" or a "name".
TEST(RefCommand, REF_03_HostileArgumentsGetValidJson) {
  testing::CoversRules({"REF-01", "REF-03"});
  std::vector<std::string> args = {
      "--",
      "",
      std::string("\0", 1),
      std::string("nginx\0latest", 12),
      "\xff\xfe",
      "nginx\xc3",
      "\xc3\x89t\xc3\xa9",
      std::string(1000, ':'),
      std::string(10 * 1024 * 1024, 'a'),
      "nginx:" + std::string(10 * 1024 * 1024, 't'),
      "\"quoted\"\\back\\slash\n",
  };
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "a/";
  args.push_back(deep + "a");
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 300; ++i) {
    std::string noise(static_cast<std::size_t>(byte(random)), '\0');
    for (char& c : noise) c = static_cast<char>(byte(random));
    args.push_back(noise);
  }
  const RefOutput run = RunRefCommand(args);
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.lines.size(), args.size() - 1);
  for (const nlohmann::json& line : run.lines) {
    ASSERT_TRUE(line.contains("input"));
    EXPECT_NE(line.contains("error"), line.contains("name")) << line.dump().substr(0, 200);
  }
  // Non-UTF-8 bytes come out as U+FFFD; NUL as \u0000.
  EXPECT_EQ(run.lines[3]["input"], "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(run.lines[2]["input"], std::string("nginx\0latest", 12));
  EXPECT_EQ(run.lines[7]["error"], "repository name must not be more than 255 characters");
}

}  // namespace
}  // namespace pullsim::reference
