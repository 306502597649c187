#include "sim/registry/access.h"

#include <cstring>
#include <memory>

#include <crypt.h>

namespace pullsim::registry {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kPull:
      return "pull";
    case Action::kPush:
      return "push";
    case Action::kDelete:
      return "delete";
  }
  return "pull";
}

std::optional<Action> ParseAction(std::string_view name) {
  if (name == "pull") return Action::kPull;
  if (name == "push") return Action::kPush;
  if (name == "delete") return Action::kDelete;
  return std::nullopt;
}

AccessPolicy AccessPolicy::AllowAll(std::string subject) {
  AccessRule rule;
  rule.repositories = *RepositoryGlob::Parse("**");
  rule.pull = {subject};
  rule.push = {subject};
  rule.del = {std::move(subject)};
  std::vector<AccessRule> rules;
  rules.push_back(std::move(rule));
  return AccessPolicy(std::move(rules));
}

namespace {

bool SubjectMatches(std::string_view subject, std::string_view user) {
  if (subject == "*") return true;
  if (subject == "anonymous") return user.empty();
  if (subject == "authenticated") return !user.empty();
  return !user.empty() && subject == user;
}

}  // namespace

bool AccessPolicy::Allows(std::string_view user, std::string_view repository, Action action) const {
  for (const AccessRule& rule : rules_) {
    if (!rule.repositories.Matches(repository)) continue;
    const std::vector<std::string>& subjects = action == Action::kPull   ? rule.pull
                                               : action == Action::kPush ? rule.push
                                                                         : rule.del;
    for (const std::string& subject : subjects) {
      if (SubjectMatches(subject, user)) return true;
    }
    return false;  // the first matching rule decides
  }
  return false;
}

bool PasswordMatches(const User& user, std::string_view password) {
  if (!user.password_hash.empty()) {
    // crypt_r's state is large; keep it off the stack.
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const std::string candidate(password);
    const char* hashed = crypt_r(candidate.c_str(), user.password_hash.c_str(), data.get());
    if (hashed == nullptr || hashed[0] == '*') return false;
    return user.password_hash == hashed;
  }
  if (user.password.size() != password.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < password.size(); ++i) {
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(user.password[i]) ^
                                              static_cast<unsigned char>(password[i])));
  }
  return diff == 0;
}

}  // namespace pullsim::registry
