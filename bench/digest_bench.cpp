// Digest throughput: pullsim's streaming Digester (and Digest::Sha256Of) beside raw OpenSSL
// SHA-256 (one EVP_Digest call) over the same buffer, in the same run. BM_DigestRatio alternates
// the two inside each iteration and reports streaming / raw as the counter "ratio" (target >=
// 0.95). Also how fast the image builder makes synthetic layers (real gzip of a tar).
#include <array>
#include <cstdint>
#include <ctime>
#include <string>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "sim/oci/digest.h"
#include "sim/oci/image_builder.h"

namespace {

using pullsim::oci::Digest;
using pullsim::oci::Digester;

// The registry streams blobs in pieces about this size; a Digester sees one Update per piece.
constexpr std::size_t kChunk = 64 * 1024;

const std::string& Buffer(std::size_t size) {
  static std::string buffer;
  if (buffer.size() < size) {
    buffer.resize(size);
    std::uint64_t state = 1;  // any bytes will do; SHA-256 takes the same time on all of them
    for (char& c : buffer) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      c = static_cast<char>(state >> 56);
    }
  }
  return buffer;
}

Digest Streaming(std::string_view bytes) {
  Digester digester;
  for (std::size_t offset = 0; offset < bytes.size(); offset += kChunk) {
    digester.Update(bytes.substr(offset, kChunk));
  }
  return digester.Finish();
}

// What a caller of OpenSSL alone would write: one EVP_Digest over the whole buffer.
std::array<unsigned char, EVP_MAX_MD_SIZE> RawOpenSsl(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

void BM_Digest_Streaming(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string_view bytes(Buffer(size).data(), size);
  for (auto _ : state) benchmark::DoNotOptimize(Streaming(bytes));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Digest_Sha256Of(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string_view bytes(Buffer(size).data(), size);
  for (auto _ : state) benchmark::DoNotOptimize(Digest::Sha256Of(bytes));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_Digest_RawOpenSsl(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string_view bytes(Buffer(size).data(), size);
  for (auto _ : state) benchmark::DoNotOptimize(RawOpenSsl(bytes));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

// CPU time of this thread in seconds: on a shared machine wall time also counts other processes.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Both over the same buffer in every iteration, alternating which goes first, so frequency
// changes and cache state affect them alike.
void BM_DigestRatio(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string_view bytes(Buffer(size).data(), size);
  double streaming = 0;
  double raw = 0;
  bool streaming_first = true;
  for (auto _ : state) {
    for (int pass = 0; pass < 2; ++pass) {
      const double start = ThreadCpuSeconds();
      if (streaming_first == (pass == 0)) {
        benchmark::DoNotOptimize(Streaming(bytes));
        streaming += ThreadCpuSeconds() - start;
      } else {
        benchmark::DoNotOptimize(RawOpenSsl(bytes));
        raw += ThreadCpuSeconds() - start;
      }
    }
    streaming_first = !streaming_first;
  }
  const double total = static_cast<double>(state.iterations()) * static_cast<double>(size);
  state.counters["streaming_bytes_per_second"] = total / streaming;
  state.counters["openssl_bytes_per_second"] = total / raw;
  state.counters["ratio"] = raw / streaming;  // streaming rate over raw rate
  state.SetBytesProcessed(state.iterations() * state.range(0) * 2);
}

// Synthetic layer bytes per second: PRNG fill, CRC-32, the blob digest and the diff ID.
void BM_ImageBuilder_Layer(benchmark::State& state) {
  std::uint64_t seed = 0;
  for (auto _ : state) {
    pullsim::oci::ImageBuilder builder;  // a fresh cache, so every layer is generated
    pullsim::oci::ImageSpec spec;
    spec.repository = "bench/app";
    spec.seed = ++seed;
    spec.layer_sizes = {state.range(0)};
    auto image = builder.Build(spec);
    if (!image) state.SkipWithError(image.error().message.c_str());
    benchmark::DoNotOptimize(image);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_Digest_Streaming)->ArgName("bytes")->Arg(64 << 10)->Arg(1 << 20)->Arg(64 << 20);
BENCHMARK(BM_Digest_Sha256Of)->ArgName("bytes")->Arg(64 << 10)->Arg(1 << 20)->Arg(64 << 20);
BENCHMARK(BM_Digest_RawOpenSsl)->ArgName("bytes")->Arg(64 << 10)->Arg(1 << 20)->Arg(64 << 20);
BENCHMARK(BM_DigestRatio)->ArgName("bytes")->Arg(64 << 10)->Arg(1 << 20)->Arg(64 << 20);
BENCHMARK(BM_ImageBuilder_Layer)->ArgName("bytes")->Arg(64 << 20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
