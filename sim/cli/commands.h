#pragma once
// The pullsim subcommands. Each takes its arguments after the subcommand name and returns the
// process exit code; each prints its own --help.

#include <span>
#include <string_view>

namespace pullsim::cli {

using Args = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `pullsim --help`
  int (*run)(Args args);
};

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the input was read; the answer is "no" / "invalid"
inline constexpr int kExitUsage = 2;   // the command line itself is wrong

}  // namespace pullsim::cli
