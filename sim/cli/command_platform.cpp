// `pullsim platform --node OS/ARCH[/VARIANT] FILE`: the manifest a node of that platform pulls
// from an image index or manifest list (ARCH-04, ARCH-05), or the runtime's error (ARCH-06).
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/oci/descriptor.h"
#include "sim/oci/image_document.h"
#include "sim/oci/platform.h"
#include "sim/oci/platform_matcher.h"

namespace pullsim::cli {
namespace {

constexpr std::string_view kPlatformUsage =
    "usage: pullsim platform --node OS/ARCH[/VARIANT] [--platforms-release RELEASE] FILE\n";

constexpr std::string_view kPlatformHelp =
    "usage: pullsim platform --node OS/ARCH[/VARIANT] [--platforms-release RELEASE] FILE\n"
    "\n"
    "Chooses, as containerd does for a Kubernetes node, the entry of an image index or Docker\n"
    "manifest list that a node of platform OS/ARCH[/VARIANT] pulls: entries of the node's own\n"
    "platform first, then the fallbacks it can run (amd64 runs 386, arm64 runs arm v8..v5, arm/vN\n"
    "runs older arm), earliest entry among equals, an entry without a platform only when nothing\n"
    "else fits.\n"
    "\n"
    "FILE is the index JSON (- reads standard input). The chosen descriptor is printed as one\n"
    "JSON object with digest, mediaType, size and platform (null when the entry has none):\n"
    "\n"
    "  $ pullsim platform --node linux/arm64 index.json\n"
    "  {\"digest\":\"sha256:...\",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"size\":1234,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}\n"
    "\n"
    "When no entry fits, the runtime's error is printed to standard error:\n"
    "  no match for platform in manifest: not found\n"
    "\n"
    "--platforms-release picks the containerd/platforms rules: v0.2.1 (containerd 1.7 and 2.0,\n"
    "the default) or v1.0.0-rc.1 (arm64 minor variants such as v8.2 and v9).\n"
    "\n"
    "Exit status: 0 an entry was chosen, 1 no entry fits or FILE is not a valid index,\n"
    "2 usage error.\n";

// Text from the command line or a file, printable in one JSON string whatever its bytes.
std::string Printable(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int Usage(std::string_view message) {
  std::cerr << "pullsim platform: " << message << "\n" << kPlatformUsage;
  return kExitUsage;
}

// Reads at most one byte past the document limit, so a huge FILE is refused without being read.
bool ReadInput(std::string_view file, std::string* out, std::string* error) {
  constexpr std::size_t kLimit = (std::size_t{4} << 20) + 1;
  std::ifstream stream;
  std::istream* in = &std::cin;
  if (file != "-") {
    stream.open(std::string(file), std::ios::binary);
    if (!stream) {
      *error = "cannot open " + Printable(file);
      return false;
    }
    in = &stream;
  }
  out->resize(kLimit);
  in->read(out->data(), static_cast<std::streamsize>(kLimit));
  out->resize(static_cast<std::size_t>(in->gcount()));
  if (in->bad()) {
    *error = "cannot read " + Printable(file);
    return false;
  }
  return true;
}

}  // namespace

int RunPlatform(Args args) {
  std::optional<std::string_view> node_text;
  std::optional<std::string_view> file;
  oci::PlatformOptions options;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value_of = [&](std::string_view flag) -> std::optional<std::string_view> {
      if (arg == flag) {
        if (i + 1 >= args.size()) return std::nullopt;
        return args[++i];
      }
      return arg.substr(flag.size() + 1);  // --flag=value
    };
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && (arg == "--help" || arg == "-h")) {
      std::cout << kPlatformHelp;
      return kExitOk;
    } else if (!options_done && (arg == "--node" || arg.starts_with("--node="))) {
      node_text = value_of("--node");
      if (!node_text) return Usage("--node needs a value OS/ARCH[/VARIANT]");
    } else if (!options_done &&
               (arg == "--platforms-release" || arg.starts_with("--platforms-release="))) {
      const std::optional<std::string_view> release = value_of("--platforms-release");
      if (!release) return Usage("--platforms-release needs a value (v0.2.1 or v1.0.0-rc.1)");
      auto parsed = oci::ParsePlatformsRelease(*release);
      if (!parsed) return Usage(parsed.error().message);
      options.release = *parsed;
    } else if (!options_done && arg.size() > 1 && arg.front() == '-') {
      return Usage("unknown option " + Printable(arg) + "; see 'pullsim platform --help'");
    } else if (file) {
      return Usage("more than one FILE given (" + Printable(*file) + ", " + Printable(arg) + ")");
    } else {
      file = arg;
    }
  }
  if (!node_text) return Usage("--node OS/ARCH[/VARIANT] is required");
  if (!file) return Usage("no FILE given");
  if (node_text->find('/') == std::string_view::npos) {
    return Usage("--node " + Printable(*node_text) + ": expected OS/ARCH[/VARIANT]");
  }
  // ARCH-03: the node platform is read with the runtime's own parser and its error text.
  const Result<oci::Platform> node = oci::ParsePlatform(*node_text, options);
  if (!node) return Usage("--node: " + node.error().message);

  std::string bytes;
  std::string read_error;
  if (!ReadInput(*file, &bytes, &read_error)) {
    std::cerr << "pullsim platform: " << read_error << "\n";
    return kExitFailed;
  }
  const std::string where = *file == "-" ? std::string("<stdin>") : std::string(*file);
  const Result<oci::ImageDocument> document = oci::ParseImageDocument(bytes);
  if (!document) {
    const Error& error = document.error();
    std::cerr << where << (error.where.empty() ? "" : " " + error.where) << ": " << error.message
              << "\n";
    return kExitFailed;
  }
  const auto* index = std::get_if<oci::Index>(&*document);
  if (index == nullptr) {
    std::cerr << where << ": " << Printable(std::get<oci::Manifest>(*document).media_type)
              << " is a single-platform image manifest, not an image index or manifest list; "
                 "a node pulls it as is\n";
    return kExitFailed;
  }

  const oci::PlatformMatcher matcher = oci::PlatformMatcher::Only(*node, options);
  const Result<std::size_t> chosen = oci::SelectManifest(index->manifests, matcher);
  if (!chosen) {
    // ARCH-06: the runtime's own words.
    std::cerr << chosen.error().message << "\n";
    return kExitFailed;
  }
  const oci::Descriptor& entry = index->manifests[*chosen];
  nlohmann::ordered_json out;
  out["digest"] = entry.digest.str();
  out["mediaType"] = entry.media_type;
  out["size"] = entry.size;
  out["platform"] = entry.platform ? nlohmann::ordered_json(oci::PlatformToJson(*entry.platform))
                                   : nlohmann::ordered_json(nullptr);
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cout.flush();
  return kExitOk;
}

}  // namespace pullsim::cli
