// `pullsim ref IMAGE...`: each image as a node reads it (REF-02, REF-08, REF-10, POL-01), one JSON
// object per line.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/reference/pull_policy.h"
#include "sim/reference/reference.h"

namespace pullsim::cli {
namespace {

constexpr std::string_view kRefHelp =
    "usage: pullsim ref [--] IMAGE...\n"
    "\n"
    "Reads each IMAGE as Kubernetes does (distribution/reference v0.6.0's ParseNormalizedNamed,\n"
    "the kubelet's ParseImageName, the API server's imagePullPolicy defaulting) and prints one\n"
    "JSON object per line, in the order given:\n"
    "\n"
    "  input              IMAGE as given\n"
    "  name               fully qualified repository, without tag or digest\n"
    "  domain, path       the registry host[:port] and the repository path on it\n"
    "  tag, digest        only when IMAGE has them\n"
    "  familiar           the short form with tag and digest, as docker prints it\n"
    "  defaultPullPolicy  what defaulting assigns to a container with IMAGE and no policy\n"
    "\n"
    "An IMAGE that does not parse gives {\"input\": ..., \"error\": ...} with upstream's exact\n"
    "message. Bytes that are not UTF-8 are printed as U+FFFD.\n"
    "\n"
    "  $ pullsim ref nginx\n"
    "  {\"input\":\"nginx\",\"name\":\"docker.io/library/nginx\",\"domain\":\"docker.io\","
    "\"path\":\"library/nginx\",\"familiar\":\"nginx\",\"defaultPullPolicy\":\"Always\"}\n"
    "\n"
    "Put -- before an IMAGE that starts with '-'.\n"
    "Exit status: 0 every IMAGE parsed, 1 some IMAGE is invalid, 2 usage error.\n";

// One line of output. ordered_json keeps the fields in the documented order.
nlohmann::ordered_json Describe(std::string_view image) {
  nlohmann::ordered_json line;
  line["input"] = std::string(image);
  const Result<reference::Reference> ref = reference::ParseNormalizedNamed(image);
  if (!ref) {
    line["error"] = ref.error().message;
    return line;
  }
  line["name"] = ref->Name();
  line["domain"] = ref->domain;
  line["path"] = ref->path;
  if (!ref->tag.empty()) line["tag"] = ref->tag;
  if (!ref->digest.empty()) line["digest"] = ref->digest;
  line["familiar"] = ref->FamiliarString();
  line["defaultPullPolicy"] =
      std::string(reference::PullPolicyName(reference::DefaultPullPolicy(image)));
  return line;
}

}  // namespace

int RunRef(Args args) {
  std::vector<std::string_view> images;
  bool options_done = false;
  for (std::string_view arg : args) {
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && (arg == "--help" || arg == "-h")) {
      std::cout << kRefHelp;
      return kExitOk;
    } else if (!options_done && arg.size() > 1 && arg.front() == '-') {
      // The error names the option as printable JSON text, whatever bytes it holds.
      std::cerr << "pullsim ref: unknown option "
                << nlohmann::json(std::string(arg))
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "; put -- before an image that starts with '-'; see 'pullsim ref --help'\n";
      return kExitUsage;
    } else {
      images.push_back(arg);
    }
  }
  if (images.empty()) {
    std::cerr << "pullsim ref: no IMAGE given\nusage: pullsim ref [--] IMAGE...\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  for (std::string_view image : images) {
    const nlohmann::ordered_json line = Describe(image);
    if (line.contains("error")) exit_code = kExitFailed;
    // nlohmann throws on invalid UTF-8 by default; input and error text may hold any bytes.
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  return exit_code;
}

}  // namespace pullsim::cli
