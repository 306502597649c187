// pullsim: what a Kubernetes node will pull, with which credentials, for which architecture.
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/commands.h"

namespace pullsim::cli {

// Each subcommand lives in command_<name>.cpp.
// (declarations of Run<Name>(Args) go here)
int RunRef(Args args);
int RunCredentials(Args args);
int RunPlatform(Args args);
int RunValidate(Args args);
int RunServe(Args args);
int RunRun(Args args);
int RunExplain(Args args);

// Subcommands, in the order `pullsim --help` lists them.
const std::vector<Command> kCommands = {
    {"ref", "how a node reads image references: name, tag, digest, default pull policy", RunRef},
    {"credentials", "which registry credentials a node tries for an image, in order, and why",
     RunCredentials},
    {"platform", "which manifest of an image index a node of a given platform pulls", RunPlatform},
    {"validate", "load scenario files strictly and report every mistake, without running them",
     RunValidate},
    {"run", "run scenarios: what happens to each pod, checked against the expectations", RunRun},
    {"explain", "why a pod's containers ended as they did: policy, cache, credentials, platform",
     RunExplain},
    {"serve", "serve a fake OCI registry over HTTP(S) for real clients, from REGISTRY.yaml",
     RunServe},
};

namespace {

void PrintHelp(std::ostream& out) {
  out << "pullsim " PULLSIM_VERSION
         " - simulate how Kubernetes nodes parse, pull, authenticate and select container "
         "images\n\n"
         "usage: pullsim COMMAND [ARGS...]\n\n"
         "commands:\n";
  for (const Command& command : kCommands) {
    std::string name(command.name);
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ')
        << command.summary << "\n";
  }
  out << "\n'pullsim COMMAND --help' explains a command. Exit codes: 0 ok, 1 failed, 2 invalid "
         "input or usage error\n(each command's --help says which).\n";
}

}  // namespace
}  // namespace pullsim::cli

int main(int argc, char** argv) {
  using namespace pullsim::cli;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintHelp(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintHelp(std::cout);
    return kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "pullsim " PULLSIM_VERSION "\n";
    return kExitOk;
  }
  for (const Command& command : kCommands) {
    if (command.name == args[0]) return command.run(Args(args).subspan(1));
  }
  std::cerr << "pullsim: unknown command \"" << args[0] << "\"; see 'pullsim --help'\n";
  return kExitUsage;
}
