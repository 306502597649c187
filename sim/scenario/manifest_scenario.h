#pragma once
// A scenario made of what a user has instead of a scenario file (`pullsim explain --node
// NODE.yaml -f pod.yaml --registry ...`): the Node as `kubectl get node NAME -o yaml` prints it,
// with its KubeletConfiguration; manifests as kubectl takes them; registries described by
// REGISTRY.yaml (served in-process) or real ones reached at a URL. Its world holds that one node;
// its objects are applied in the API server's order (namespaces, service accounts, secrets, pods)
// and its one step lets the node act for a bounded virtual time, so back-off shows.

#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/scenario.h"

namespace pullsim::scenario {

// A file given on the command line: `text` when the caller read it already (tests, or "-" for
// standard input), else read from `name`.
struct InputFile {
  std::string name;
  std::optional<std::string> text;
};

struct ManifestScenarioInputs {
  // --node NODE.yaml and --node-config FILE: a Node (or a List of one), and optionally a
  // KubeletConfiguration (or the kubelet's /configz answer {"kubeletconfig": {...}}) and a
  // CredentialProviderConfig, each a YAML or JSON document.
  std::vector<InputFile> node;
  // -f FILE: Namespaces, ServiceAccounts, Secrets and Pods, one or many documents per file,
  // `kind: List` too; other kinds are ignored with a warning.
  std::vector<InputFile> manifests;
  // --node-file NODE_PATH=LOCAL_FILE: files on the node, such as /var/lib/kubelet/config.json.
  std::vector<std::string> node_files;
  // --registry: "[HOST=]REGISTRY.yaml" or "[HOST=]http(s)://host[:port]". HOST defaults to the
  // URL's authority, or to the REGISTRY.yaml `service`.
  std::vector<std::string> registries;
  bool insecure_skip_tls_verify = false;  // for https registries
  std::vector<std::string> admission;     // --admission: plugin names, or comma lists of them
  std::string cluster_version;            // --cluster-version "1.35"; "" = the kubelet's version
  Duration run_for = std::chrono::minutes(5);  // --for
};

struct ManifestScenario {
  Scenario scenario;
  std::vector<Diagnostic> warnings;  // inputs read but ignored, with where and why
  std::vector<std::string> pods;     // "namespace/name" of each pod, in the order given
};

// Reads and checks the inputs and builds the scenario. Every problem is a Diagnostic naming
// file:line:col (or the command-line flag) and what is wrong: a manifest that does not parse or
// that the API server would refuse to decode, an unknown kind, a Node without name or
// architecture, a pod bound to another node, a REGISTRY.yaml error, a registry URL that does not
// answer (with the address and the error). A file that cannot be read is kNotFound.
[[nodiscard]] LoadResult<ManifestScenario> LoadManifestScenario(
    const ManifestScenarioInputs& inputs);

}  // namespace pullsim::scenario
