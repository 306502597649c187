#pragma once
// Test-only: running real programs beside the registry (skopeo, docker-registry) from tests.
// Processes get their own temporary directory as HOME, output captured to files.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/result.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/testing_helpers.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pullsim::registry::testing {

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix) {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() /
        (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool IsExecutable(const char* path) { return ::access(path, X_OK) == 0; }

// A free TCP port on 127.0.0.1 (bound, read, released).
inline int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Starts `argv` with stdout and stderr into `log`; the pid, or -1.
inline pid_t Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
                   const std::filesystem::path& home = {}) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!home.empty() && std::string_view(*e).starts_with("HOME=")) continue;
    env_storage.emplace_back(*e);
  }
  if (!home.empty()) env_storage.push_back("HOME=" + home.string());
  std::vector<char*> env;
  for (std::string& e : env_storage) env.push_back(e.data());
  env.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = log.string();
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

struct ProcessResult {
  int exit_code = -1;  // -1: did not finish in time (killed) or could not start
  std::string output;  // stdout and stderr together
};

// Runs `argv` to completion (at most `timeout` of wall time, then SIGKILL).
inline ProcessResult RunProcess(const std::vector<std::string>& argv,
                                const std::filesystem::path& work,
                                std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto log = work / ("run-" + std::to_string(::getpid()) + ".log");
  ProcessResult result;
  const pid_t pid = Spawn(argv, log, work);
  if (pid < 0) {
    result.output = "cannot start " + argv[0];
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.output = ReadText(log) + "\n(killed after " + std::to_string(timeout.count()) + "s)";
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = ReadText(log);
  return result;
}

// Debian's docker-registry (CNCF distribution 2.8) on 127.0.0.1, from a temporary config and
// storage; with `htpasswd` content, Basic auth over it. Stopped (SIGTERM) on destruction.
class DockerRegistryProcess {
 public:
  static constexpr const char* kBinary = "/usr/bin/docker-registry";

  DockerRegistryProcess() = default;
  ~DockerRegistryProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  DockerRegistryProcess(const DockerRegistryProcess&) = delete;
  DockerRegistryProcess& operator=(const DockerRegistryProcess&) = delete;

  // kNotFound when docker-registry is not installed; kUnavailable when it does not come up.
  [[nodiscard]] Result<std::string> Start(const std::filesystem::path& dir, const std::string& name,
                                          const std::string& htpasswd = {}) {
    if (!IsExecutable(kBinary)) {
      return Fail(ErrorCode::kNotFound,
                  "docker-registry is not installed (scripts/install-deps.sh installs it)");
    }
    const int port = FreePort();
    std::filesystem::create_directories(dir);
    const auto config = dir / (name + ".yml");
    std::ofstream out(config);
    out << "version: 0.1\nlog:\n  level: error\n  accesslog: {disabled: true}\n"
        << "storage:\n  filesystem: {rootdirectory: " << (dir / (name + "-data")).string()
        << "}\n  delete: {enabled: true}\n"
        << "http:\n  addr: 127.0.0.1:" << port << "\n";
    if (!htpasswd.empty()) {
      std::ofstream(dir / (name + ".htpasswd")) << htpasswd;
      out << "auth:\n  htpasswd: {realm: basic-realm, path: "
          << (dir / (name + ".htpasswd")).string() << "}\n";
    }
    out.close();
    log_ = dir / (name + ".log");
    pid_ = Spawn({kBinary, "serve", config.string()}, log_);
    if (pid_ < 0) return Fail(ErrorCode::kUnavailable, "cannot start docker-registry");
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    // An external process: wait (at most 10 s of wall time) until it answers /v2/.
    auto transport = HttpTransport::Create(url);
    for (int attempt = 0; attempt < 200; ++attempt) {
      if ((*transport)->RoundTrip(Request(HttpMethod::kGet, RegistryEndpoint::kPing))) {
        authority_ = "127.0.0.1:" + std::to_string(port);
        return url;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Fail(ErrorCode::kUnavailable,
                "docker-registry did not answer on " + url + ": " + ReadText(log_));
  }

  [[nodiscard]] const std::string& authority() const { return authority_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  std::string authority_;
};

}  // namespace pullsim::registry::testing
