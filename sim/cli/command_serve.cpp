// `pullsim serve --config REGISTRY.yaml [--listen 127.0.0.1:PORT] [--tls]`: the fake registry
// as a standalone server for real clients (skopeo, crane, containerd), printing its address
// and stopping cleanly on SIGINT/SIGTERM.
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "sim/cli/commands.h"
#include "sim/registry/http_front.h"
#include "sim/registry/image_loader.h"
#include "sim/registry/registry.h"
#include "sim/registry/registry_config.h"
#include <signal.h>

namespace pullsim::cli {
namespace {

constexpr std::string_view kServeUsage =
    "usage: pullsim serve [--config REGISTRY.yaml] [--listen HOST:PORT] [--tls] [--threads N]\n"
    "                     [--request-log FILE]\n";

constexpr std::string_view kServeHelp =
    "usage: pullsim serve [--config REGISTRY.yaml] [--listen HOST:PORT] [--tls] [--threads N]\n"
    "                     [--request-log FILE]\n"
    "\n"
    "Serves a fake OCI registry (Distribution API v1.1) over HTTP until SIGINT or SIGTERM.\n"
    "The first line on standard output is its base URL, e.g. http://127.0.0.1:41235; clients\n"
    "use the part after the scheme as the registry host (127.0.0.1:41235/team/app:1.0).\n"
    "\n"
    "  --config FILE      users, access rules, images, rate limits and faults\n"
    "                     (format: sim/registry/README.md). Without it: an empty registry\n"
    "                     anyone may push to and pull from, like a fresh docker-registry.\n"
    "  --listen HOST:PORT address to listen on (default 127.0.0.1:0, any free port)\n"
    "  --tls              HTTPS with a self-signed certificate generated at start\n"
    "                     (clients need --tls-verify=false or the printed certificate)\n"
    "  --threads N        connections served at once (default 64)\n"
    "  --request-log FILE write the request log as JSON lines when stopping\n"
    "\n"
    "Exit status: 0 stopped by a signal, 1 the config is invalid or the address unusable,\n"
    "2 usage error.\n";

int Usage(std::string_view message) {
  std::cerr << "pullsim serve: " << message << "\n" << kServeUsage;
  return kExitUsage;
}

// "127.0.0.1:5000", "[::1]:5000", "localhost:0".
bool ParseListen(std::string_view text, std::string& host, int& port) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return false;
    }
    host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  return !host.empty() && !port_text.empty() && ec == std::errc() &&
         ptr == port_text.data() + port_text.size() && port >= 0 && port <= 65535;
}

}  // namespace

int RunServe(Args args) {
  std::optional<std::string> config_path;
  std::string host = "127.0.0.1";
  int port = 0;
  bool tls = false;
  std::size_t threads = 64;
  std::optional<std::string> log_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string_view> {
      if (arg == flag) {
        if (i + 1 >= args.size()) return std::nullopt;
        return args[++i];
      }
      if (arg.starts_with(std::string(flag) + "=")) return arg.substr(flag.size() + 1);
      return std::nullopt;
    };
    auto is = [&](std::string_view flag) {
      return arg == flag || arg.starts_with(std::string(flag) + "=");
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kServeHelp;
      return kExitOk;
    } else if (is("--config")) {
      auto v = value("--config");
      if (!v) return Usage("--config needs a file");
      config_path = std::string(*v);
    } else if (is("--listen")) {
      auto v = value("--listen");
      if (!v || !ParseListen(*v, host, port)) {
        return Usage("--listen needs HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:0");
      }
    } else if (arg == "--tls") {
      tls = true;
    } else if (is("--threads")) {
      auto v = value("--threads");
      std::size_t n = 0;
      if (!v || std::from_chars(v->data(), v->data() + v->size(), n).ec != std::errc() || n == 0 ||
          n > 4096) {
        return Usage("--threads needs a number from 1 to 4096");
      }
      threads = n;
    } else if (is("--request-log")) {
      auto v = value("--request-log");
      if (!v) return Usage("--request-log needs a file");
      log_path = std::string(*v);
    } else {
      return Usage("unexpected argument \"" + std::string(arg) + "\"; see 'pullsim serve --help'");
    }
  }

  registry::RegistryConfig config;
  if (config_path) {
    auto loaded = registry::LoadRegistryConfig(*config_path);
    if (!loaded) {
      std::cerr << "pullsim serve: " << loaded.error().ToString() << "\n";
      return kExitFailed;
    }
    config = std::move(*loaded);
  }
  // Real clients, real time: latency and bandwidth faults sleep. The log keeps the most recent
  // 100,000 requests (a benchmark sends millions).
  config.options.wait = [](Duration d) { std::this_thread::sleep_for(d); };
  config.options.request_log_capacity = 100'000;
  SystemClock clock;
  registry::Registry registry(clock, config.options);
  if (auto loaded = registry::LoadImages(registry, config.images); !loaded) {
    std::cerr << "pullsim serve: " << loaded.error().ToString() << "\n";
    return kExitFailed;
  }

  // Signals are taken by sigwait below; block them before any server thread starts so that
  // every thread inherits the mask. A client hanging up must not kill the server (SIGPIPE).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  registry::HttpFrontOptions options;
  options.host = host;
  options.port = port;
  options.tls = tls;
  options.threads = threads;
  auto front = registry::HttpFront::Start(registry, options);
  if (!front) {
    std::cerr << "pullsim serve: " << front.error().ToString() << "\n";
    return kExitFailed;
  }
  std::cout << (*front)->base_url() << std::endl;
  std::cerr << "pullsim serve: listening on " << (*front)->base_url() << " (auth "
            << registry::AuthModeName(config.options.auth.mode) << ", "
            << registry.store().Repositories().size() << " repositories); SIGINT or SIGTERM stops"
            << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "pullsim serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping"
            << std::endl;
  (*front)->Stop();
  if (log_path) {
    std::ofstream out(*log_path, std::ios::binary | std::ios::trunc);
    registry.log().WriteJsonLines(out);
    if (!out) {
      std::cerr << "pullsim serve: cannot write the request log to \"" << *log_path << "\"\n";
      return kExitFailed;
    }
  }
  std::cerr << "pullsim serve: stopped after " << registry.log().total() << " requests"
            << std::endl;
  return kExitOk;
}

}  // namespace pullsim::cli
