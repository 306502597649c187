// `pullsim credentials` end to end: the output contract of issue 5 (one JSON object a line, the
// anonymous line last, never a password), namespace scoping of secrets (CRED-14), the node's
// first parsable docker config (CRED-02), a broken pull secret failing before any attempt
// (KUB-14) and the exit codes. Runs the built pullsim binary.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"
#include <sys/wait.h>
#include <unistd.h>

namespace pullsim::credentials {
namespace {

namespace fs = std::filesystem;
using pullsim::testing::CoversRule;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CredentialsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = fs::path(PULLSIM_BINARY_DIR) / "pullsim";
    ASSERT_TRUE(fs::exists(binary_)) << binary_ << " is not built";
    dir_ = fs::temp_directory_path() /
           ("pullsim-cred-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  CliRun Pullsim(const std::string& args) {
    CliRun run;
    fs::path err = dir_ / "stderr.txt";
    std::string command = binary_.string() + " credentials " + args + " 2>" + err.string();
    FILE* pipe = ::popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    if (pipe == nullptr) return run;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
      run.out.append(buffer, n);
    int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err);
    std::stringstream text;
    text << in.rdbuf();
    run.err = text.str();
    return run;
  }

  fs::path binary_;
  fs::path dir_;
};

constexpr const char* kRegcred = R"(apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"registry.example.com/team":{"username":"ci","password":"s3cret"}}}'
---
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: team-b}
type: kubernetes.io/dockercfg
data:
  .dockercfg: eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6ImIifX0=
)";

constexpr const char* kNodeConfig =
    R"({"auths":{"*.example.com":{"auth":"bm9kZTpub2RlLXB3"},"https://index.docker.io/v1/":{"auth":"aHViOmh1Yi1wdw=="}}})";

TEST_F(CredentialsCli, CRED_11_PrintsTheContractInLookupOrder) {
  CoversRule("CRED-11");
  std::string secrets = Write("regcred.yaml", kRegcred);
  std::string bad = Write("bad.json", R"({"auths":{"x":{"auth":"pants"}}})");
  std::string node = Write("config.json", kNodeConfig);
  CliRun run = Pullsim("registry.example.com/team/app:1.0 --secret " + secrets +
                       " --docker-config " + bad + " --docker-config=" + node);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "{\"registry\": \"registry.example.com/team\", \"username\": \"ci\", \"source\": "
            "\"secret default/regcred\"}\n"
            "{\"registry\": \"*.example.com\", \"username\": \"node\", \"source\": \"node " +
                node +
                "\"}\n"
                "{\"anonymous\": false}\n");
  EXPECT_EQ(run.out.find("s3cret"), std::string::npos);
  EXPECT_EQ(run.out.find("node-pw"), std::string::npos);
  // The other namespace's secret is ignored with a warning; the bad file is skipped.
  EXPECT_NE(run.err.find("secret team-b/other is ignored"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bad.json:1:23 auths[\"x\"].auth: illegal base64 data at input byte 4"),
            std::string::npos)
      << run.err;
}

TEST_F(CredentialsCli, CRED_14_OtherNamespacesSecretsAreNotOffered) {
  CoversRule("CRED-14");
  std::string secrets = Write("regcred.yaml", kRegcred);
  CliRun in_b = Pullsim("registry.example.com/app --namespace team-b --secret " + secrets);
  EXPECT_EQ(in_b.exit_code, 0) << in_b.err;
  EXPECT_EQ(in_b.out,
            "{\"registry\": \"registry.example.com\", \"username\": \"b\", \"source\": \"secret "
            "team-b/other\"}\n{\"anonymous\": false}\n");
  CliRun in_default = Pullsim("registry.example.com/app --secret " + secrets);
  EXPECT_EQ(in_default.out, "{\"anonymous\": true}\n");
}

TEST_F(CredentialsCli, CRED_09_DockerHubFallbackFromTheNodeConfig) {
  CoversRule("CRED-09");
  CliRun run = Pullsim("nginx --docker-config " + Write("config.json", kNodeConfig));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')),
            "{\"registry\": \"index.docker.io\", \"username\": \"hub\", \"source\": \"node " +
                (dir_ / "config.json").string() + "\"}");
}

TEST_F(CredentialsCli, KUB_14_ABrokenPullSecretFailsBeforeAnyAttempt) {
  CoversRule("KUB-14");
  std::string secret = Write("bad.yaml",
                             "apiVersion: v1\nkind: Secret\nmetadata: {name: s1}\n"
                             "type: kubernetes.io/dockerconfigjson\n"
                             "stringData: {.dockerconfigjson: '{not json'}\n");
  CliRun run = Pullsim("nginx --secret " + secret);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("secret default/s1 data[.dockerconfigjson]:1:2: invalid character 'n' "
                         "looking for beginning of object key string"),
            std::string::npos)
      << run.err;
}

TEST_F(CredentialsCli, ExitCodes) {
  EXPECT_EQ(Pullsim("--help").exit_code, 0);
  EXPECT_EQ(Pullsim("").exit_code, 2);
  EXPECT_EQ(Pullsim("a b").exit_code, 2);
  EXPECT_EQ(Pullsim("nginx --namespace").exit_code, 2);
  EXPECT_EQ(Pullsim("nginx --token x").exit_code, 2);
  EXPECT_EQ(Pullsim("Nginx").exit_code, 1);
  EXPECT_EQ(Pullsim("nginx --secret " + (dir_ / "missing.yaml").string()).exit_code, 1);
  EXPECT_EQ(Pullsim("nginx --docker-config " + dir_.string()).exit_code, 1);
  EXPECT_EQ(Pullsim("nginx --secret " + Write("pod.yaml", "apiVersion: v1\nkind: Pod\n")).exit_code,
            1);
}

}  // namespace
}  // namespace pullsim::credentials
