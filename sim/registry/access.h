#pragma once
// Who may do what: users with passwords, and per-repository rules over glob patterns
// (REGISTRY.yaml `users` and `access`). A rule lists, per action, the subjects allowed: a user
// name, "anonymous" (no credentials), "authenticated" (any valid user) or "*" (anyone). For a
// repository the first rule whose pattern matches decides; no matching rule denies.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/registry/names.h"

namespace pullsim::registry {

// The actions of the Docker token scope grammar ("repository:team/app:pull,push").
enum class Action { kPull, kPush, kDelete };

[[nodiscard]] std::string_view ActionName(Action action);
[[nodiscard]] std::optional<Action> ParseAction(std::string_view name);

struct User {
  std::string name;
  // Exactly one of the two: a plain password, or a bcrypt hash ("$2y$...", as htpasswd -B and
  // Debian's docker-registry use it).
  std::string password;
  std::string password_hash;
};

struct AccessRule {
  RepositoryGlob repositories;
  std::vector<std::string> pull;
  std::vector<std::string> push;
  std::vector<std::string> del;  // `delete`
};

class AccessPolicy {
 public:
  // Everything allowed to `subject` ("*" for anyone, "authenticated" for any user).
  [[nodiscard]] static AccessPolicy AllowAll(std::string subject);
  explicit AccessPolicy(std::vector<AccessRule> rules) : rules_(std::move(rules)) {}
  AccessPolicy() = default;

  // Whether `user` (empty: anonymous) may perform `action` on `repository`.
  [[nodiscard]] bool Allows(std::string_view user, std::string_view repository,
                            Action action) const;
  [[nodiscard]] const std::vector<AccessRule>& rules() const { return rules_; }

 private:
  std::vector<AccessRule> rules_;
};

// Checks `password` against `user` (plain or bcrypt). Constant time for plain passwords.
[[nodiscard]] bool PasswordMatches(const User& user, std::string_view password);

}  // namespace pullsim::registry
