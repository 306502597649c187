// Pull throughput of the fake node (issue 9): bytes/s of verified pulls of one multi-arch image
// (an OCI index → linux/amd64 + linux/arm64; per platform a config, one 4 KiB layer and 4 big
// layers, real tar+gzip; the shape of /work/shared/anchors/RESULTS.md), in process and over HTTP,
// beside OpenSSL SHA-256 over the same bytes. A driver rather than Google Benchmark:
// bench/pull_vs_peers.sh sets its figures beside skopeo and docker-registry, repetition by
// repetition, and takes medians across them.
//
//   pull_bench layout DIR --size 64MiB [--size 512MiB]   writes the images as an OCI layout
//   pull_bench in-process --size 64MiB [--nodes 1,4,16] [--repetitions 5]
//   pull_bench http --registry http://127.0.0.1:PORT --image bench/img:v64 [--nodes 1]
//                   [--repetitions 1]
//
// Each figure is one line: "<series>\t<repetition>\t<MB/s>\t<bytes>\t<seconds>", MB = 10^6 B,
// bytes = the linux/amd64 blob bytes (config and layers) of every node, seconds = wall time
// from the start of the first pull to the end of the last. Exit status 1 when any pull fails or
// a node did not fetch and verify every blob, 2 for a usage error.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "sim/core/clock.h"
#include "sim/node/image_store.h"
#include "sim/node/registry_runtime.h"
#include "sim/oci/image_builder.h"
#include "sim/oci/image_layout.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/image_loader.h"
#include "sim/registry/in_process_transport.h"
#include "sim/registry/registry.h"

namespace {

using namespace pullsim;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kUsage =
    "usage: pull_bench layout DIR --size SIZE [--size SIZE...]\n"
    "       pull_bench in-process --size SIZE [--nodes N,N...] [--repetitions R]\n"
    "       pull_bench http --registry URL --image REPOSITORY:TAG [--nodes N] [--repetitions R]\n"
    "SIZE: 64MiB or 512MiB (the image's big layers together, per platform)\n";

constexpr std::string_view kRepository = "bench/img";
constexpr std::string_view kPlatform = "linux/amd64";
constexpr std::int64_t kMiB = 1024 * 1024;

int UsageError(std::string_view message) {
  std::cerr << "pull_bench: " << message << "\n" << kUsage;
  return 2;
}

// "64MiB" → 64 MiB; the bench images come in whole MiB divisible by 4.
std::optional<std::int64_t> ParseSize(std::string_view text) {
  if (!text.ends_with("MiB")) return std::nullopt;
  text.remove_suffix(3);
  std::int64_t mib = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mib);
  if (ec != std::errc() || end != text.data() + text.size() || mib <= 0 || mib % 4 != 0 ||
      mib > 4096) {
    return std::nullopt;
  }
  return mib * kMiB;
}

std::optional<std::vector<int>> ParseCounts(std::string_view text) {
  std::vector<int> counts;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    int n = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (ec != std::errc() || end != item.data() + item.size() || n <= 0 || n > 256) {
      return std::nullopt;
    }
    counts.push_back(n);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  if (counts.empty()) return std::nullopt;
  return counts;
}

// The tag names the size: v64, v512 (as RESULTS.md's images).
std::string TagFor(std::int64_t size) { return "v" + std::to_string(size / kMiB); }

// The image of RESULTS.md, deterministic: the same bytes in process, in the layout and served.
oci::ImageSpec BenchImageSpec(std::int64_t size) {
  oci::ImageSpec spec;
  spec.repository = std::string(kRepository);
  spec.tag = TagFor(size);
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.index = true;
  spec.compression = oci::LayerCompression::kGzip;
  spec.layer_sizes = {4 * 1024, size / 4, size / 4, size / 4, size / 4};
  spec.seed = 1;
  return spec;
}

void PrintFigure(std::string_view series, int repetition, std::uint64_t bytes, double seconds) {
  const double mbps = seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0;
  std::printf("%.*s\t%d\t%.1f\t%llu\t%.6f\n", static_cast<int>(series.size()), series.data(),
              repetition, mbps, static_cast<unsigned long long>(bytes), seconds);
  std::fflush(stdout);
}

// Runs `work(i)` on `threads` threads released together; returns the wall time from the release
// to the end of the last.
template <typename Work>
double RunTogether(int threads, Work&& work) {
  std::latch ready(threads);
  std::latch go(1);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      ready.count_down();
      go.wait();
      work(i);
    });
  }
  ready.wait();
  const Clock::time_point start = Clock::now();
  go.count_down();
  for (std::thread& thread : pool) thread.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One node: its store, its transport (one connection for HTTP) and its runtime, built before the
// clock starts. PullImage verifies every size and digest (RegistryClient).
struct Node {
  node::ImageStore store;
  std::unique_ptr<oci::RegistryTransport> transport;
  std::unique_ptr<node::RegistryRuntime> runtime;
  std::string error;
  std::uint64_t blob_bytes = 0;
  int layers_fetched = 0;

  void Pull(const std::string& image) {
    node::ImageSpec spec;
    spec.image = image;
    node::PullAttempt attempt = runtime->PullImage(spec, nullptr);
    if (!attempt.result) {
      error = attempt.result.error().message;
      return;
    }
    blob_bytes = runtime->blob_bytes();
    layers_fetched = runtime->pulls().back().layers_fetched;
  }
};

// Every node must have fetched the same complete image; returns the bytes of all nodes.
std::optional<std::uint64_t> CheckNodes(const std::vector<std::unique_ptr<Node>>& nodes,
                                        std::uint64_t expected_bytes, int expected_layers) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = *nodes[i];
    if (!n.error.empty()) {
      std::cerr << "pull_bench: node " << i << ": " << n.error << "\n";
      return std::nullopt;
    }
    if (n.blob_bytes == 0 || n.layers_fetched != expected_layers ||
        (expected_bytes != 0 && n.blob_bytes != expected_bytes)) {
      std::cerr << "pull_bench: node " << i << " fetched " << n.blob_bytes << " blob bytes in "
                << n.layers_fetched << " layers; expected " << expected_layers << " layers"
                << (expected_bytes != 0 ? " and " + std::to_string(expected_bytes) + " bytes" : "")
                << "\n";
      return std::nullopt;
    }
    total += n.blob_bytes;
  }
  return total;
}

int WriteLayout(const std::string& dir, const std::vector<std::int64_t>& sizes) {
  oci::ImageBuilder builder;
  oci::ImageLayout layout;
  for (std::int64_t size : sizes) {
    Result<oci::BuiltImage> image = builder.Build(BenchImageSpec(size));
    if (!image) {
      std::cerr << "pull_bench: " << image.error().ToString() << "\n";
      return 1;
    }
    oci::AddImage(layout, *image);
  }
  if (Result<void> written = oci::WriteImageLayout(dir, layout); !written) {
    std::cerr << "pull_bench: " << written.error().ToString() << "\n";
    return 1;
  }
  return 0;
}

// Raw OpenSSL SHA-256 over `blobs`: what a verified pull cannot beat.
void HashAll(const std::vector<oci::BlobBytes>& blobs) {
  for (const oci::BlobBytes& blob : blobs) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(blob->data(), blob->size(), out, &size, EVP_sha256(), nullptr);
    // Keeps the call from being dropped: a digest of all zeros is as likely as a collision.
    if (out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0 && out[4] == 0) std::putchar(0);
  }
}

int InProcess(std::int64_t size, const std::vector<int>& node_counts, int repetitions) {
  oci::ImageBuilder builder;
  Result<oci::BuiltImage> image = builder.Build(BenchImageSpec(size));
  if (!image) {
    std::cerr << "pull_bench: " << image.error().ToString() << "\n";
    return 1;
  }
  VirtualClock clock;
  registry::RegistryOptions options;
  options.request_log_capacity = 1'000;
  registry::Registry registry(clock, options);
  if (Result<void> loaded = registry::LoadBuiltImage(registry, *image); !loaded) {
    std::cerr << "pull_bench: " << loaded.error().ToString() << "\n";
    return 1;
  }
  const oci::PlatformImage& amd64 = image->platforms[0];
  std::vector<oci::BlobBytes> blobs = {amd64.config.bytes};
  for (const oci::Blob& layer : amd64.layers) blobs.push_back(layer.bytes);
  std::uint64_t image_bytes = 0;
  for (const oci::BlobBytes& blob : blobs) image_bytes += blob->size();
  const int layers = static_cast<int>(amd64.layers.size());
  const std::string reference = "registry.test/" + image->repository + ":" + image->tag;
  const std::string size_label = "/size:" + std::to_string(size / kMiB) + "MiB";

  // The steps of one repetition; their order turns each time, so that a burst of load from
  // elsewhere on a shared machine does not always hit the same one.
  struct Step {
    std::string series;
    int threads;
    bool pull;
  };
  std::vector<Step> steps;
  for (int n : node_counts) {
    steps.push_back({"in-process" + size_label + "/nodes:" + std::to_string(n), n, true});
  }
  steps.push_back({"sha256" + size_label + "/threads:1", 1, false});
  steps.push_back({"sha256" + size_label + "/threads:2", 2, false});

  for (int rep = 0; rep < repetitions; ++rep) {
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const Step& step = steps[(k + static_cast<std::size_t>(rep)) % steps.size()];
      if (!step.pull) {
        const double seconds = RunTogether(step.threads, [&](int) { HashAll(blobs); });
        PrintFigure(step.series, rep, image_bytes * static_cast<std::uint64_t>(step.threads),
                    seconds);
        continue;
      }
      std::vector<std::unique_ptr<Node>> nodes;
      for (int i = 0; i < step.threads; ++i) {
        auto& n = nodes.emplace_back(std::make_unique<Node>());
        n->transport = std::make_unique<registry::InProcessTransport>(
            registry, "node-" + std::to_string(i), "registry.test");
        n->runtime = std::make_unique<node::RegistryRuntime>(
            n->store, amd64.platform,
            node::RegistryTransports{{"registry.test", n->transport.get()}}, clock);
      }
      const double seconds = RunTogether(step.threads, [&](int i) { nodes[i]->Pull(reference); });
      std::optional<std::uint64_t> bytes = CheckNodes(nodes, image_bytes, layers);
      if (!bytes) return 1;
      PrintFigure(step.series, rep, *bytes, seconds);
    }
  }
  return 0;
}

int Http(const std::string& url, const std::string& image, int node_count, int repetitions) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return UsageError("--registry needs http://HOST:PORT");
  const std::string host = url.substr(scheme_end + 3);
  const std::string reference = host + "/" + image;
  VirtualClock clock;
  oci::Platform platform;
  if (Result<oci::Platform> parsed = oci::ParsePlatform(kPlatform); parsed) platform = *parsed;
  const std::string series = "http/nodes:" + std::to_string(node_count);
  for (int rep = 0; rep < repetitions; ++rep) {
    std::vector<std::unique_ptr<Node>> nodes;
    for (int i = 0; i < node_count; ++i) {
      auto& n = nodes.emplace_back(std::make_unique<Node>());
      Result<std::unique_ptr<registry::HttpTransport>> transport =
          registry::HttpTransport::Create(url);
      if (!transport) {
        std::cerr << "pull_bench: " << transport.error().ToString() << "\n";
        return 2;
      }
      n->transport = *std::move(transport);
      node::RegistryRuntimeOptions options;
      // A real node writes layers to disk and forgets them; holding 16 copies of a 512 MiB
      // image in memory would measure the allocator instead.
      options.keep_layer_content = false;
      n->runtime = std::make_unique<node::RegistryRuntime>(
          n->store, platform, node::RegistryTransports{{host, n->transport.get()}}, clock, options);
    }
    const double seconds = RunTogether(node_count, [&](int i) { nodes[i]->Pull(reference); });
    // The layer count of RESULTS.md's image; the client verified each size and digest.
    std::optional<std::uint64_t> bytes = CheckNodes(nodes, 0, 5);
    if (!bytes) return 1;
    if (*bytes != nodes[0]->blob_bytes * static_cast<std::uint64_t>(node_count)) {
      std::cerr << "pull_bench: nodes fetched different byte counts\n";
      return 1;
    }
    PrintFigure(series, rep, *bytes, seconds);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return UsageError("a mode is needed");
  const std::string_view mode = argv[1];
  std::vector<std::int64_t> sizes;
  std::vector<int> node_counts = {1};
  int repetitions = 1;
  std::string registry_url;
  std::string image;
  std::string dir;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++i]);
    };
    if (arg == "--size") {
      auto v = value();
      std::optional<std::int64_t> size = v ? ParseSize(*v) : std::nullopt;
      if (!size) return UsageError("--size needs a whole number of MiB divisible by 4, e.g. 64MiB");
      sizes.push_back(*size);
    } else if (arg == "--nodes") {
      auto v = value();
      std::optional<std::vector<int>> counts = v ? ParseCounts(*v) : std::nullopt;
      if (!counts) return UsageError("--nodes needs counts from 1 to 256, e.g. 1,4,16");
      node_counts = *counts;
    } else if (arg == "--repetitions") {
      auto v = value();
      std::optional<std::vector<int>> counts = v ? ParseCounts(*v) : std::nullopt;
      if (!counts || counts->size() != 1) return UsageError("--repetitions needs one number");
      repetitions = counts->front();
    } else if (arg == "--registry") {
      auto v = value();
      if (!v) return UsageError("--registry needs a URL");
      registry_url = std::string(*v);
    } else if (arg == "--image") {
      auto v = value();
      if (!v) return UsageError("--image needs REPOSITORY:TAG");
      image = std::string(*v);
    } else if (mode == "layout" && dir.empty() && !arg.starts_with("--")) {
      dir = std::string(arg);
    } else {
      return UsageError("unexpected argument \"" + std::string(arg) + "\"");
    }
  }
  if (mode == "layout") {
    if (dir.empty() || sizes.empty()) return UsageError("layout needs DIR and --size");
    return WriteLayout(dir, sizes);
  }
  if (mode == "in-process") {
    if (sizes.size() != 1) return UsageError("in-process needs one --size");
    return InProcess(sizes.front(), node_counts, repetitions);
  }
  if (mode == "http") {
    if (registry_url.empty() || image.empty())
      return UsageError("http needs --registry and --image");
    if (node_counts.size() != 1) return UsageError("http takes one --nodes count");
    return Http(registry_url, image, node_counts.front(), repetitions);
  }
  return UsageError("unknown mode \"" + std::string(mode) + "\"");
}
