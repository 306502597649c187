// `pullsim serve` as a process: prints its URL, serves, stops cleanly on SIGINT/SIGTERM, writes
// the request log, refuses bad configs and bad command lines with the documented exit codes.
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "sim/registry/http_transport.h"
#include "sim/registry/internal/base64.h"
#include "sim/registry/testing_helpers.h"
#include "sim/registry/testing_processes.h"
#include <signal.h>
#include <sys/wait.h>

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

const std::string kPullsim = std::string(PULLSIM_BINARY_DIR) + "/pullsim";

class ServeProcess {
 public:
  ServeProcess(const TempDir& dir, std::vector<std::string> args) : dir_(dir) {
    args.insert(args.begin(), {kPullsim, "serve"});
    std::vector<std::string> argv = {"/bin/sh", "-c", ""};
    std::string command;
    for (const std::string& a : args) command += "'" + a + "' ";
    // stdout and stderr apart: the first stdout line is the URL.
    argv[2] = "exec " + command + "2>'" + (dir.path() / "stderr").string() + "'";
    pid_ = Spawn(argv, dir.path() / "stdout");
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  // The first stdout line, once written (at most 10 s), or "" when the process ended first.
  std::string Url() {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const std::string out = ReadText(dir_.path() / "stdout");
      if (const std::size_t nl = out.find('\n'); nl != std::string::npos) return out.substr(0, nl);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = -1;
        return {};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }

  // Sends `signal` and waits for the exit code.
  int Stop(int signal) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      pid_ = -1;
    }
    return exit_code_;
  }

  int exit_code() const { return exit_code_; }
  std::string Stderr() const { return ReadText(dir_.path() / "stderr"); }

 private:
  const TempDir& dir_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!IsExecutable(kPullsim.c_str())) GTEST_SKIP() << kPullsim << " is not built";
  }
  TempDir dir_{"pullsim-serve"};
};

TEST_F(Serve, WithoutConfigAnyoneMayPushAndPull) {
  ServeProcess serve(dir_, {});
  const std::string url = serve.Url();
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url << serve.Stderr();
  auto transport = HttpTransport::Create(url);
  ASSERT_TRUE(transport.has_value());
  PushImage(**transport, "anyone/app", MakeImage("serve"), "1");
  EXPECT_EQ(
      Send(**transport, Request(HttpMethod::kGet, RegistryEndpoint::kTags, "anyone/app")).status,
      200);
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
  EXPECT_NE(serve.Stderr().find("SIGTERM, stopping"), std::string::npos) << serve.Stderr();
}

TEST_F(Serve, LoadsConfigWritesTheRequestLogAndStopsOnSigint) {
  std::ofstream(dir_.path() / "registry.yaml")
      << "auth: basic\n"
         "users: [{name: alice, password: alice-pw}]\n"
         "images: [{repository: team/app, tag: '1.0', platforms: [linux/amd64, linux/arm64]}]\n";
  const std::string log = (dir_.path() / "requests.jsonl").string();
  ServeProcess serve(dir_, {"--config", (dir_.path() / "registry.yaml").string(), "--request-log",
                            log, "--threads", "4"});
  const std::string url = serve.Url();
  ASSERT_FALSE(url.empty()) << serve.Stderr();
  auto transport = HttpTransport::Create(url);
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "team/app", "1.0");
  EXPECT_EQ(Send(**transport, request).status, 401);
  request.headers.Set("Authorization", "Basic " + internal::Base64Encode("alice:alice-pw"));
  auto index = Send(**transport, request);
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.Get("Content-Type"), "application/vnd.oci.image.index.v1+json");
  transport->reset();
  EXPECT_EQ(serve.Stop(SIGINT), 0);
  const std::string lines = ReadText(log);
  EXPECT_NE(lines.find(R"("identity":"alice")"), std::string::npos) << lines;
  EXPECT_NE(lines.find(R"("status":401)"), std::string::npos) << lines;
}

TEST_F(Serve, ServesTls) {
  ServeProcess serve(dir_, {"--tls", "--listen", "127.0.0.1:0"});
  const std::string url = serve.Url();
  ASSERT_EQ(url.rfind("https://127.0.0.1:", 0), 0u) << url << serve.Stderr();
  auto transport = HttpTransport::Create(url);
  EXPECT_EQ(Send(**transport, Request(HttpMethod::kGet, RegistryEndpoint::kPing)).status, 200);
  transport->reset();
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
}

TEST_F(Serve, InvalidConfigExitsOneNamingThePlace) {
  std::ofstream(dir_.path() / "bad.yaml") << "auth: basic\nusers:\n  - {name: a, pasword: b}\n";
  ServeProcess serve(dir_, {"--config", (dir_.path() / "bad.yaml").string()});
  EXPECT_EQ(serve.Url(), "");
  EXPECT_EQ(serve.exit_code(), 1);
  EXPECT_NE(serve.Stderr().find("bad.yaml:3:15 users[0].pasword: unknown key"), std::string::npos)
      << serve.Stderr();
}

TEST_F(Serve, UnusableAddressExitsOne) {
  ServeProcess first(dir_, {});
  const std::string url = first.Url();
  ASSERT_FALSE(url.empty());
  TempDir other_dir("pullsim-serve-second");
  ServeProcess second(other_dir, {"--listen", url.substr(7)});
  EXPECT_EQ(second.Url(), "");
  EXPECT_EQ(second.exit_code(), 1);
  EXPECT_NE(second.Stderr().find("cannot listen"), std::string::npos) << second.Stderr();
}

TEST_F(Serve, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--listen", "nowhere"},
                                             {"--listen", "127.0.0.1:99999"},
                                             {"--threads", "0"},
                                             {"--config"},
                                             {"extra"}}) {
    ServeProcess serve(dir_, args);
    EXPECT_EQ(serve.Url(), "");
    EXPECT_EQ(serve.exit_code(), 2) << args[0];
    EXPECT_NE(serve.Stderr().find("usage: pullsim serve"), std::string::npos) << serve.Stderr();
  }
}

}  // namespace
}  // namespace pullsim::registry
