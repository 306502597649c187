// `pullsim explain SCENARIO.yaml --pod NAMESPACE/NAME [--container NAME] [--json]`: runs the
// scenario to its end and prints the whole decision behind each container of one pod (image,
// pull policy, cached copy and KEP-2535, credentials, registry exchanges, platform, outcome).
// Parsing yields a Scenario, a pod and a container; everything after works from those, so other
// ways of getting a Scenario (real manifests) can feed the same path.
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "sim/cli/commands.h"
#include "sim/core/rule_catalogue.h"
#include "sim/scenario/explain.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/manifest_scenario.h"

namespace pullsim::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: pullsim explain SCENARIO.yaml --pod NAMESPACE/NAME [--container NAME] [--json]\n"
    "       pullsim explain --node NODE.yaml -f FILE... [--registry [HOST=]REGISTRY.yaml|URL]...\n"
    "                       [--pod NAMESPACE/NAME] [--container NAME] [--json]\n";

constexpr std::string_view kHelp =
    "\n"
    "Runs the scenario to its end (every step) and explains, for each container of the pod\n"
    "(or only --container), what the node decided and why:\n"
    "\n"
    "  1. image          as written, what the runtime gets (default tag), normalised, and the\n"
    "                    repository credentials are looked up for (REF-02, REF-09..11, CRED-12)\n"
    "  2. pull policy    its value and who set it: written, Defaulting (POL-01) or\n"
    "                    AlwaysPullImages (ADM-01)\n"
    "  3. cached image   whether the node had the image and may use its copy (KUB-02; the\n"
    "                    KEP-2535 verdict and its reason, KEP2535-04)\n"
    "  4. credentials    each credential offered, in order: source, docker config key, user\n"
    "                    (never a password), why the key matched and what the registry said;\n"
    "                    whether an anonymous attempt was made; pull secrets that gave nothing\n"
    "                    and why (CRED-07, CRED-09, CRED-13, CRED-14, KUB-14)\n"
    "  5. exchanges      each request of the last pull: method, path, status, auth, the\n"
    "                    WWW-Authenticate challenge and token scope; earlier pulls in brief\n"
    "  6. platform       the node's platform and fallbacks, the index entries, the one chosen\n"
    "                    or why none fit (ARCH-04..06)\n"
    "  7. outcome        the container's state, reason, message and its events\n"
    "\n"
    "  --pod NAMESPACE/NAME   the pod (NAME alone means namespace default)\n"
    "  --container NAME       only this container\n"
    "  --json                 one JSON document instead of text:\n"
    "      {pod, namespace, name, node, scenario, at, containers: [{name, list,\n"
    "       image: {written, tagged, defaultTagAdded, normalised, repository, error?},\n"
    "       pullPolicy: {value, written, setBy, rule, why},\n"
    "       cache: {inspected, present, imageRef, verificationPolicy, mayUse (bool|null),\n"
    "               decision, reason, presentAtEnd},\n"
    "       credentials: {pulled, tried: [{key, username, source, matched, outcome, error?}],\n"
    "                     anonymous, anonymousOutcome?, anonymousError?,\n"
    "                     skipped: [{secret, why, rule}],\n"
    "                     nodeConfig: {file, keys, matches, skippedFiles}, lookupError?, note?},\n"
    "       lastPullAt (duration|null), exchanges: [{credential, method, url, status, auth?,\n"
    "                    challenge?, scope?, error?}], earlierPulls: [{at, attempts, outcome}],\n"
    "       pullsNotSent (pulls refused before reaching the registry),\n"
    "       platform: {node, acceptable, index, entries, chosen, manifest, summary, rule},\n"
    "       outcome: {state, reason, message, events: [{at, type, reason, message,\n"
    "                 object?}]}}]}\n"
    "    Durations are on the scenario's clock, as \"1m30s\".\n"
    "\n"
    "Without SCENARIO.yaml, real manifests make the scenario: the node, the objects (applied as\n"
    "namespaces, service accounts, secrets, then pods), the registries; the node then acts for\n"
    "--for of virtual time, so back-off shows.\n"
    "  --node NODE.yaml       kubectl get node NAME -o yaml (platform, kubelet version, images);\n"
    "                         more documents may follow: a KubeletConfiguration (or the kubelet's\n"
    "                         /configz answer) and a CredentialProviderConfig (plugins not run)\n"
    "  --node-config FILE     more such documents, in a file of their own\n"
    "  -f FILE                manifests as kubectl takes them (YAML, JSON, kind: List; - reads\n"
    "                         standard input): Pods, Secrets, ServiceAccounts, Namespaces (other\n"
    "                         kinds are ignored with a warning); namespaces no manifest creates\n"
    "                         are created; pods without spec.nodeName run on the node\n"
    "  --registry [HOST=]REGISTRY.yaml   a registry as `pullsim serve --config` reads it, in\n"
    "                         process (HOST defaults to its service:)\n"
    "  --registry [HOST=]URL  a real registry, http:// or https://, reached over HTTP (HOST\n"
    "                         defaults to the URL's host:port); it must answer GET /v2/\n"
    "  --insecure-skip-tls-verify   do not verify https registries' certificates\n"
    "  --node-file NODE_PATH=LOCAL_FILE   a file on the node, such as\n"
    "                         /var/lib/kubelet/config.json (CRED-02)\n"
    "  --admission PLUGIN[,PLUGIN]   enable AlwaysPullImages (ServiceAccount always runs)\n"
    "  --cluster-version 1.NN  API server and kubelet release (default: the node's kubelet)\n"
    "  --for DURATION         virtual time the node acts for (default 5m)\n"
    "  --pod may be left out when -f gives exactly one pod.\n"
    "  --rules FILE           the rule catalogue the scenario's ids are checked against\n"
    "                         (default: the nearest conformance/rules.yaml)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 explained; 1 the scenario (or a manifest, node or registry) is invalid, or\n"
    "has no such pod or container (the pods that exist are named); 2 usage error.\n";

int UsageError(const std::string& message) {
  std::cerr << "pullsim explain: " << message << "\n" << kUsage << "see 'pullsim explain --help'\n";
  return kExitUsage;
}

// What the command line asks for, once the scenario is loaded.
struct ExplainRequest {
  scenario::Scenario scenario;
  std::string namespace_name;
  std::string pod_name;
  std::optional<std::string> container;
  bool json = false;
};

// The command line as written.
struct Arguments {
  std::optional<std::filesystem::path> scenario_path;
  std::optional<std::filesystem::path> rules_path;
  std::string pod;
  std::optional<std::string> container;
  bool json = false;
  bool help = false;
  scenario::ManifestScenarioInputs manifests;  // without a scenario: --node, -f, --registry...
};

// A file argument; "-" is standard input, read once.
scenario::InputFile InputOf(const std::string& value) {
  if (value != "-") return scenario::InputFile{value, std::nullopt};
  return scenario::InputFile{"<stdin>", std::string(std::istreambuf_iterator<char>(std::cin),
                                                    std::istreambuf_iterator<char>())};
}

// Reads the arguments; an exit code when they are wrong.
std::variant<Arguments, int> ReadArguments(Args args) {
  Arguments read;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!options_done && (arg == "-h" || arg == "--help")) {
      read.help = true;
      return read;
    }
    if (!options_done && arg == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && arg == "--json") {
      read.json = true;
      continue;
    }
    if (!options_done && arg == "--insecure-skip-tls-verify") {
      read.manifests.insecure_skip_tls_verify = true;
      continue;
    }
    bool matched = false;
    for (std::string_view option :
         {"--pod", "--container", "--rules", "--node", "--node-config", "-f", "--filename",
          "--node-file", "--registry", "--admission", "--cluster-version", "--for"}) {
      const bool equals =
          arg.starts_with(option) && arg.size() > option.size() && arg[option.size()] == '=';
      if (options_done || (arg != option && !equals)) continue;
      std::string value;
      if (equals) {
        value = std::string(arg.substr(option.size() + 1));
      } else if (i + 1 < args.size()) {
        value = std::string(args[++i]);
      }
      if (value.empty()) return UsageError(std::string(option) + " needs a value");
      if (option == "--pod") read.pod = value;
      if (option == "--container") read.container = value;
      if (option == "--rules") read.rules_path = std::filesystem::path(value);
      scenario::ManifestScenarioInputs& manifests = read.manifests;
      if (option == "--node" || option == "--node-config") manifests.node.push_back(InputOf(value));
      if (option == "-f" || option == "--filename") manifests.manifests.push_back(InputOf(value));
      if (option == "--node-file") manifests.node_files.push_back(value);
      if (option == "--registry") manifests.registries.push_back(value);
      if (option == "--admission") manifests.admission.push_back(value);
      if (option == "--cluster-version") manifests.cluster_version = value;
      if (option == "--for") {
        Result<Duration> duration = ParseDuration(value);
        if (!duration || *duration <= Duration{0}) {
          return UsageError("--for wants a positive duration such as 5m or 90s, got \"" + value +
                            "\"");
        }
        manifests.run_for = *duration;
      }
      matched = true;
    }
    if (matched) continue;
    if (!options_done && arg.starts_with("-") && arg != "-") {
      return UsageError("unknown option \"" + std::string(arg) + "\"");
    }
    if (read.scenario_path) return UsageError("give one scenario file");
    read.scenario_path = std::filesystem::path(std::string(arg));
  }
  const scenario::ManifestScenarioInputs& manifests = read.manifests;
  const bool from_manifests = !manifests.node.empty() || !manifests.manifests.empty() ||
                              !manifests.registries.empty() || !manifests.node_files.empty();
  if (read.scenario_path && from_manifests) {
    return UsageError("give a scenario file or --node with -f, not both");
  }
  if (!read.scenario_path && !from_manifests) return UsageError("give a scenario file");
  if (from_manifests && manifests.node.empty()) return UsageError("--node NODE.yaml is required");
  if (from_manifests && manifests.manifests.empty()) return UsageError("-f FILE is required");
  if (read.pod.empty() && !from_manifests) return UsageError("--pod NAMESPACE/NAME is required");
  return read;
}

// Builds the scenario from --node, -f and --registry; an exit code (after printing why) when
// they are not valid. The pod is the only one -f gives when --pod is left out.
std::variant<scenario::Scenario, int> LoadManifests(const Arguments& arguments, std::string& pod) {
  scenario::LoadResult<scenario::ManifestScenario> loaded =
      scenario::LoadManifestScenario(arguments.manifests);
  if (!loaded) {
    for (const scenario::Diagnostic& diagnostic : loaded.error().diagnostics) {
      std::cerr << diagnostic.ToString() << "\n";
    }
    if (loaded.error().omitted > 0) {
      std::cerr << loaded.error().omitted << " more errors not shown\n";
    }
    std::cerr << "pullsim explain: the node, manifests or registries are not valid\n";
    return kExitFailed;
  }
  for (const scenario::Diagnostic& warning : loaded->warnings) {
    std::cerr << "pullsim explain: warning: " << warning.ToString() << "\n";
  }
  if (pod.empty()) {
    if (loaded->pods.size() != 1) {
      std::string names;
      for (const std::string& name : loaded->pods) names += (names.empty() ? "" : ", ") + name;
      return UsageError("-f gives " + std::to_string(loaded->pods.size()) + " pods (" + names +
                        "): choose one with --pod NAMESPACE/NAME");
    }
    pod = loaded->pods.front();
  }
  return std::move(loaded->scenario);
}

// Loads the scenario the arguments name; an exit code (after printing why) when it does not load.
std::variant<ExplainRequest, int> MakeRequest(const Arguments& arguments) {
  ExplainRequest request;
  std::string pod = arguments.pod;
  if (!arguments.scenario_path) {
    std::variant<scenario::Scenario, int> built = LoadManifests(arguments, pod);
    if (const int* code = std::get_if<int>(&built)) return *code;
    request.scenario = std::get<scenario::Scenario>(std::move(built));
  }
  const std::size_t slash = pod.find('/');
  request.namespace_name = slash == std::string::npos ? "default" : pod.substr(0, slash);
  request.pod_name = slash == std::string::npos ? pod : pod.substr(slash + 1);
  if (request.namespace_name.empty() || request.pod_name.empty() ||
      request.pod_name.find('/') != std::string::npos) {
    return UsageError("--pod wants NAMESPACE/NAME, got \"" + pod + "\"");
  }
  request.container = arguments.container;
  request.json = arguments.json;
  if (!arguments.scenario_path) return request;

  std::optional<std::filesystem::path> rules_path = arguments.rules_path;
  if (!rules_path) rules_path = scenario::FindRuleCatalogue(*arguments.scenario_path);
  if (!rules_path) rules_path = scenario::FindRuleCatalogue(std::filesystem::current_path());
  RuleCatalogue catalogue;
  scenario::LoadOptions options;
  if (rules_path) {
    Result<RuleCatalogue> loaded = RuleCatalogue::Load(*rules_path);
    if (!loaded) {
      std::cerr << "pullsim explain: " << loaded.error().ToString() << "\n";
      return kExitFailed;
    }
    catalogue = *std::move(loaded);
    options.catalogue = &catalogue;
  }
  scenario::LoadResult<scenario::Scenario> loaded =
      scenario::LoadScenarioFile(*arguments.scenario_path, options);
  if (!loaded) {
    for (const scenario::Diagnostic& diagnostic : loaded.error().diagnostics) {
      std::cerr << diagnostic.ToString() << "\n";
    }
    if (loaded.error().omitted > 0) {
      std::cerr << loaded.error().omitted << " more errors not shown\n";
    }
    std::cerr << "pullsim explain: " << arguments.scenario_path->generic_string()
              << " is not a valid scenario\n";
    return kExitFailed;
  }
  request.scenario = *std::move(loaded);
  return request;
}

// Explains the request and prints it.
int Explain(const ExplainRequest& request) {
  std::optional<std::string_view> container;
  if (request.container) container = *request.container;
  Result<scenario::PodExplanation> explained =
      scenario::ExplainPod(request.scenario, request.namespace_name, request.pod_name, container);
  if (!explained) {
    std::cerr << "pullsim explain: " << explained.error().ToString() << "\n";
    return kExitFailed;
  }
  std::cout << (request.json ? scenario::ExplanationJson(*explained)
                             : scenario::FormatExplanation(*explained));
  return kExitOk;
}

}  // namespace

int RunExplain(Args args) {
  std::variant<Arguments, int> arguments = ReadArguments(args);
  if (const int* code = std::get_if<int>(&arguments)) return *code;
  if (std::get<Arguments>(arguments).help) {
    std::cout << kUsage << kHelp;
    return kExitOk;
  }
  std::variant<ExplainRequest, int> request = MakeRequest(std::get<Arguments>(arguments));
  if (const int* code = std::get_if<int>(&request)) return *code;
  return Explain(std::get<ExplainRequest>(request));
}

}  // namespace pullsim::cli
