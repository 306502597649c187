// `pullsim credentials IMAGE [--namespace NS] [--docker-config FILE]... [--secret SECRET.yaml]...`:
// the credentials the kubelet would try for IMAGE, in order, one JSON object a line, then whether
// an attempt without credentials follows (CRED-01..14).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"
#include "sim/credentials/lookup.h"
#include "sim/credentials/pull_secret.h"
#include "sim/credentials/search_path.h"

namespace pullsim::cli {
namespace {

using credentials::DockerConfigFormat;

constexpr std::string_view kUsage =
    "usage: pullsim credentials IMAGE [--namespace NS] [--docker-config FILE]... "
    "[--secret SECRET.yaml]...\n";

constexpr std::string_view kHelp =
    "\n"
    "Prints, one JSON object a line, the registry credentials a kubelet would try for IMAGE,\n"
    "in the order it tries them (pod pull secrets, then the node's docker config):\n"
    "\n"
    "  {\"registry\": KEY, \"username\": USER, \"source\": SOURCE}\n"
    "\n"
    "KEY is the docker config key that matched (as the kubelet normalises it), SOURCE is\n"
    "\"secret NAMESPACE/NAME\", \"node PATH\" or \"plugin NAME\"; passwords are never printed.\n"
    "A last line {\"anonymous\": true|false} says whether a pull without credentials follows\n"
    "(only when no credential matched: there is no anonymous retry).\n"
    "\n"
    "  --namespace NS          the pod's namespace (default \"default\"); secrets of other\n"
    "                          namespaces are ignored, as the kubelet ignores them\n"
    "  --docker-config FILE    the node's docker config as found on its search path; a file\n"
    "                          named .dockercfg is read in the legacy layout, any other as\n"
    "                          config.json. Given several, the kubelet's rule applies: the first\n"
    "                          config.json that parses wins, .dockercfg files only without one\n"
    "  --secret SECRET.yaml    Secret manifests (one or many documents), in imagePullSecrets\n"
    "                          order; types kubernetes.io/dockerconfigjson and\n"
    "                          kubernetes.io/dockercfg, data (base64) or stringData. A Secret\n"
    "                          without a namespace is taken to be in NS, as kubectl -n would\n"
    "\n"
    "  $ pullsim credentials registry.example.com/team/app:1.0 --secret regcred.yaml \\\n"
    "        --docker-config /var/lib/kubelet/config.json\n"
    "  {\"registry\": \"registry.example.com/team\", \"username\": \"ci\", \"source\": "
    "\"secret default/regcred\"}\n"
    "  {\"registry\": \"*.example.com\", \"username\": \"node\", \"source\": \"node "
    "/var/lib/kubelet/config.json\"}\n"
    "  {\"anonymous\": false}\n"
    "\n"
    "Warnings (ignored secrets, skipped files, credential helpers the kubelet never runs) go to\n"
    "stderr. A pull secret the kubelet cannot decode fails the pull before any attempt: its\n"
    "error is printed and nothing is tried.\n"
    "Exit status: 0 ok, 1 invalid input, 2 usage error.\n";

// JSON text for any bytes: invalid UTF-8 is printed as U+FFFD.
std::string Json(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Options {
  std::string image;
  std::string namespace_name = "default";
  std::vector<std::string> docker_configs;
  std::vector<std::string> secret_files;
};

int UsageError(const std::string& message) {
  std::cerr << "pullsim credentials: " << message << "\n"
            << kUsage << "see 'pullsim credentials --help'\n";
  return kExitUsage;
}

// Reads a whole file from the local disk.
Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return Fail(ErrorCode::kInvalidArgument, "cannot read: is a directory", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, std::string("cannot read: ") + std::strerror(errno), path);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kUnavailable, "error while reading file", path);
  return bytes.str();
}

void Warn(const std::string& message) {
  std::cerr << "pullsim credentials: warning: " << message << "\n";
}

// The node keyring from the --docker-config files, searched as the kubelet searches its paths.
Result<credentials::Keyring> NodeKeyring(const std::vector<std::string>& paths) {
  credentials::MapFileSystem files;
  std::vector<credentials::SearchCandidate> candidates;
  for (DockerConfigFormat format :
       {DockerConfigFormat::kConfigJson, DockerConfigFormat::kDockercfg}) {
    for (const std::string& path : paths) {
      if (credentials::FormatForFileName(path) == format) candidates.push_back({path, format});
    }
  }
  for (const std::string& path : paths) {
    auto bytes = ReadWholeFile(path);
    if (!bytes) return std::unexpected(bytes.error());
    files.Write(path, *std::move(bytes));
  }
  credentials::NodeDockerConfig found = credentials::FindNodeDockerConfig(files, candidates);
  for (const credentials::SkippedFile& skipped : found.skipped) {
    Warn(skipped.reason.ToString() +
         " (the kubelet skips a docker config it cannot parse and "
         "goes on searching, CRED-02)");
  }
  for (const std::string& warning : found.warnings) Warn(warning);
  credentials::Keyring keyring;
  if (!found.file_used) return keyring;
  bool after = false;
  for (const credentials::SearchCandidate& candidate : candidates) {
    if (after) {
      Warn(candidate.path +
           " is not read: the kubelet uses only the first docker config that "
           "parses, " +
           *found.file_used + " (CRED-02, CRED-03)");
    }
    after = after || candidate.path == *found.file_used;
  }
  for (const std::string& dropped :
       keyring.Add(found.config, credentials::CredentialSource::Node(*found.file_used))) {
    Warn(*found.file_used + ": " + dropped);
  }
  return keyring;
}

// The pod's secrets: those of its namespace, in the order given (CRED-10, CRED-14).
Result<std::vector<credentials::PullSecret>> PodSecrets(const Options& options) {
  std::vector<credentials::PullSecret> in_namespace;
  for (const std::string& path : options.secret_files) {
    auto bytes = ReadWholeFile(path);
    if (!bytes) return std::unexpected(bytes.error());
    auto secrets = credentials::ReadPullSecrets(*bytes, path);
    if (!secrets) return std::unexpected(secrets.error());
    for (credentials::PullSecret& secret : *secrets) {
      if (secret.namespace_name.empty()) secret.namespace_name = options.namespace_name;
      std::string name = secret.namespace_name + "/" + secret.name;
      if (secret.namespace_name != options.namespace_name) {
        Warn(secret.where + ": secret " + name + " is ignored: a pod in namespace \"" +
             options.namespace_name +
             "\" can only use pull secrets of its own namespace, the kubelet cannot get it "
             "(CRED-14)");
        continue;
      }
      if (secret.type != credentials::kSecretTypeDockerConfigJson &&
          secret.type != credentials::kSecretTypeDockercfg) {
        Warn(secret.where + ": secret " + name + " of type " + secret.type +
             " gives no credentials: only kubernetes.io/dockerconfigjson and "
             "kubernetes.io/dockercfg do (CRED-10)");
      }
      in_namespace.push_back(std::move(secret));
    }
  }
  return in_namespace;
}

int Run(const Options& options) {
  auto secrets = PodSecrets(options);
  if (!secrets) {
    std::cerr << "pullsim credentials: " << secrets.error().ToString() << "\n";
    return kExitFailed;
  }
  auto pod = credentials::MakePodSecretKeyring(*secrets);
  if (!pod) {
    std::cerr << "pullsim credentials: " << pod.error().ToString()
              << "\n  (the kubelet fails the pull with this error before trying any credential, "
                 "KUB-14)\n";
    return kExitFailed;
  }
  for (const std::string& warning : pod->warnings) Warn(warning);
  auto node = NodeKeyring(options.docker_configs);
  if (!node) {
    std::cerr << "pullsim credentials: " << node.error().ToString() << "\n";
    return kExitFailed;
  }
  auto found = credentials::LookupPullCredentials(options.image, &pod->keyring, &*node, nullptr);
  if (!found) {
    std::cerr << "pullsim credentials: " << found.error().ToString() << "\n";
    return kExitFailed;
  }
  for (const credentials::KeyedCredential& credential : found->credentials) {
    std::cout << "{\"registry\": " << Json(credential.key)
              << ", \"username\": " << Json(credential.credential.username)
              << ", \"source\": " << Json(credential.credential.source.ToString()) << "}\n";
  }
  std::cout << "{\"anonymous\": " << (found->anonymous() ? "true" : "false") << "}\n";
  std::cout.flush();
  return kExitOk;
}

}  // namespace

int RunCredentials(Args args) {
  Options options;
  bool have_image = false;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!options_done && (arg == "--help" || arg == "-h")) {
      std::cout << kUsage << kHelp;
      return kExitOk;
    }
    if (!options_done && arg == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && arg.starts_with("-")) {
      std::string_view name = arg;
      std::optional<std::string> value;
      if (std::size_t eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        value = std::string(arg.substr(eq + 1));
      }
      std::vector<std::string>* list = nullptr;
      if (name == "--docker-config") {
        list = &options.docker_configs;
      } else if (name == "--secret") {
        list = &options.secret_files;
      } else if (name != "--namespace") {
        return UsageError("unknown option " + Json(arg));
      }
      if (!value) {
        if (i + 1 >= args.size()) return UsageError(std::string(name) + " needs a value");
        value = std::string(args[++i]);
      }
      if (value->empty()) return UsageError(std::string(name) + " needs a non-empty value");
      if (list != nullptr) {
        list->push_back(*value);
      } else {
        options.namespace_name = *value;
      }
      continue;
    }
    if (have_image)
      return UsageError("one IMAGE only, got " + Json(options.image) + " and " + Json(arg));
    options.image = std::string(arg);
    have_image = true;
  }
  if (!have_image) return UsageError("no IMAGE given");
  return Run(options);
}

}  // namespace pullsim::cli
