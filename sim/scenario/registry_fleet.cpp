#include "sim/scenario/registry_fleet.h"

#include <algorithm>
#include <set>
#include <utility>

#include "sim/registry/access.h"
#include "sim/registry/http_front.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/image_loader.h"
#include "sim/registry/in_process_transport.h"
#include "sim/registry/names.h"
#include "sim/registry/registry_config.h"
#include "sim/scenario/external_registry.h"

namespace pullsim::scenario {

struct RegistryFleet::Slot {
  std::string host;
  registry::RegistryOptions options;  // as the registry was last built
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<registry::HttpFront> front;  // HTTP mode only
  // A real registry at this URL: `registry` stays empty and keeps only the log of what nodes
  // sent it and got back.
  std::string external_url;
  registry::HttpTransportOptions external_options;
  const Clock* clock = nullptr;  // stamps the external registry's log
  std::vector<std::unique_ptr<NodeTransport>> transports;
};

// A node's way to one registry, re-made whenever the registry is: function calls, or HTTP to
// the registry's front on 127.0.0.1.
class RegistryFleet::NodeTransport final : public oci::RegistryTransport {
 public:
  NodeTransport(Slot& slot, std::string client) : slot_(slot), client_(std::move(client)) {}
  [[nodiscard]] Result<void> Rebind() {
    if (!slot_.external_url.empty()) {
      Result<std::unique_ptr<ExternalRegistryTransport>> external =
          ExternalRegistryTransport::Create(slot_.external_url, slot_.external_options,
                                            slot_.registry->log(), *slot_.clock, client_);
      if (!external) return std::unexpected(external.error());
      inner_ = *std::move(external);
      return {};
    }
    if (slot_.front == nullptr) {
      inner_ = std::make_unique<registry::InProcessTransport>(*slot_.registry, client_, slot_.host);
      return {};
    }
    Result<std::unique_ptr<registry::HttpTransport>> http =
        registry::HttpTransport::Create(slot_.front->base_url());
    if (!http) return std::unexpected(http.error());
    inner_ = *std::move(http);
    return {};
  }
  [[nodiscard]] Result<oci::RegistryResponse> RoundTrip(
      const oci::RegistryRequest& request) override {
    return inner_->RoundTrip(request);
  }

 private:
  Slot& slot_;
  std::string client_;
  std::unique_ptr<oci::RegistryTransport> inner_;
};

namespace {

bool IsDockerHub(std::string_view host) {
  return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io";
}

// Copies a manifest (children first, then its blobs) from one store to another.
void CopyManifest(const registry::ContentStore& from, registry::ContentStore& to,
                  const std::string& repository, const std::string& reference,
                  const std::string& tag, std::set<std::string>& copied) {
  auto manifest = from.GetManifest(repository, reference);
  if (!manifest) return;
  const registry::StoredManifest& stored = *manifest;
  if (!copied.insert(repository + "@" + stored.digest.str()).second) {
    if (!tag.empty()) to.PutManifest(repository, stored, tag);
    return;
  }
  for (const oci::Digest& child : stored.manifests) {
    CopyManifest(from, to, repository, child.str(), "", copied);
  }
  for (const oci::Digest& blob : stored.blobs) {
    if (auto bytes = from.GetBlob(repository, blob)) to.PutBlob(repository, blob, *bytes);
  }
  to.PutManifest(repository, stored, tag);
}

// Subjects that stand for many users, spelled out for `users` minus the revoked one.
std::vector<std::string> WithoutUser(const std::vector<std::string>& subjects,
                                     const std::vector<registry::User>& users,
                                     const std::string& revoked) {
  std::vector<std::string> out;
  auto add = [&](const std::string& subject) {
    if (subject != revoked && std::find(out.begin(), out.end(), subject) == out.end()) {
      out.push_back(subject);
    }
  };
  for (const std::string& subject : subjects) {
    if (subject == "authenticated" || subject == "*") {
      if (subject == "*") add("anonymous");
      for (const registry::User& user : users) add(user.name);
    } else {
      add(subject);
    }
  }
  return out;
}

// Steps that change a registry cannot change a real one.
Result<void> Unchangeable(const std::string& host, const std::string& url) {
  return Fail(ErrorCode::kFailedPrecondition,
              "registry " + host + " is the real registry at " + url + "; steps cannot change it");
}

}  // namespace

RegistryFleet::RegistryFleet(const Clock& clock, VirtualClock& wire_clock, bool http)
    : clock_(clock), wire_clock_(wire_clock), http_(http) {}

RegistryFleet::~RegistryFleet() {
  // Fronts first: their threads call into the registries.
  for (auto& slot : slots_) {
    if (slot->front) slot->front->Stop();
  }
}

Result<void> RegistryFleet::Serve(Slot& slot) {
  if (!http_) return {};
  registry::HttpFrontOptions options;
  options.threads = 4;
  options.keep_alive_timeout_seconds = 1;  // Stop() on a rebuild waits for idle connections
  Result<std::unique_ptr<registry::HttpFront>> front =
      registry::HttpFront::Start(*slot.registry, options);
  if (!front) return std::unexpected(front.error());
  slot.front = *std::move(front);
  return {};
}

Result<std::unique_ptr<RegistryFleet>> RegistryFleet::Create(
    const std::vector<Registry>& registries, const Clock& clock, VirtualClock& wire_clock,
    bool http) {
  std::unique_ptr<RegistryFleet> fleet(new RegistryFleet(clock, wire_clock, http));
  for (const Registry& described : registries) {
    auto slot = std::make_unique<Slot>();
    slot->host = described.host;
    slot->options = described.config.options;
    slot->options.wait = [&wire_clock](Duration d) { wire_clock.Advance(d); };
    slot->registry = std::make_unique<registry::Registry>(clock, slot->options);
    if (!described.external_url.empty()) {
      slot->external_url = described.external_url;
      slot->external_options.verify_tls = described.verify_tls;
      slot->clock = &clock;
      fleet->slots_.push_back(std::move(slot));
      continue;
    }
    if (Result<void> loaded = registry::LoadImages(*slot->registry, described.config.images);
        !loaded) {
      Error error = loaded.error();
      error.message = "registry " + described.host + ": " + error.message;
      return std::unexpected(error);
    }
    if (Result<void> served = fleet->Serve(*slot); !served) {
      Error error = served.error();
      error.message = "registry " + described.host + ": " + error.message;
      return std::unexpected(error);
    }
    fleet->slots_.push_back(std::move(slot));
  }
  return fleet;
}

Result<node::RegistryTransports> RegistryFleet::TransportsFor(const std::string& node_name) {
  node::RegistryTransports transports;
  for (auto& slot : slots_) {
    auto& transport =
        slot->transports.emplace_back(std::make_unique<NodeTransport>(*slot, node_name));
    if (Result<void> bound = transport->Rebind(); !bound) return std::unexpected(bound.error());
    transports[slot->host] = transport.get();
  }
  return transports;
}

RegistryFleet::Slot* RegistryFleet::FindSlot(std::string_view host) {
  for (auto& slot : slots_) {
    if (slot->host == host || (IsDockerHub(host) && IsDockerHub(slot->host))) return slot.get();
  }
  return nullptr;
}

const RegistryFleet::Slot* RegistryFleet::FindSlot(std::string_view host) const {
  for (const auto& slot : slots_) {
    if (slot->host == host || (IsDockerHub(host) && IsDockerHub(slot->host))) return slot.get();
  }
  return nullptr;
}

registry::Registry* RegistryFleet::Find(std::string_view host) {
  Slot* slot = FindSlot(host);
  return slot == nullptr ? nullptr : slot->registry.get();
}

const registry::Registry* RegistryFleet::Find(std::string_view host) const {
  const Slot* slot = FindSlot(host);
  return slot == nullptr ? nullptr : slot->registry.get();
}

const registry::ContentStore* RegistryFleet::ContentOf(std::string_view host) const {
  const Slot* slot = FindSlot(host);
  return slot == nullptr ? nullptr : &slot->registry->store();
}

std::vector<std::string> RegistryFleet::hosts() const {
  std::vector<std::string> out;
  for (const auto& slot : slots_) out.push_back(slot->host);
  return out;
}

Result<void> RegistryFleet::Push(const PushStep& step) {
  Slot* slot = FindSlot(step.host);
  if (slot == nullptr) return Fail(ErrorCode::kNotFound, "no registry " + step.host);
  if (!slot->external_url.empty()) return Unchangeable(slot->host, slot->external_url);
  return registry::LoadImages(*slot->registry, {step.image});
}

Result<void> RegistryFleet::DeleteImage(const DeleteImageStep& step) {
  Slot* slot = FindSlot(step.host);
  if (slot == nullptr) return Fail(ErrorCode::kNotFound, "no registry " + step.host);
  if (!slot->external_url.empty()) return Unchangeable(slot->host, slot->external_url);
  const std::string reference = step.digest.empty() ? step.tag : step.digest;
  registry::ContentStore& store = slot->registry->store();
  auto manifest = store.GetManifest(step.repository, reference);
  if (!manifest) {
    return Fail(ErrorCode::kNotFound, "registry " + step.host + " has no manifest " +
                                          step.repository + (step.digest.empty() ? ":" : "@") +
                                          reference);
  }
  const oci::Digest digest = (*manifest).digest;
  if (!store.DeleteManifest(step.repository, digest)) {
    return Fail(ErrorCode::kInternal, "registry " + step.host + " could not delete " +
                                          step.repository + "@" + digest.str());
  }
  return {};
}

Result<void> RegistryFleet::Rebuild(Slot& slot, registry::RegistryOptions options) {
  if (slot.front) slot.front->Stop();
  slot.front.reset();
  auto rebuilt = std::make_unique<registry::Registry>(clock_, options);
  const registry::ContentStore& old_store = slot.registry->store();
  std::set<std::string> copied;
  for (const std::string& repository : old_store.Repositories()) {
    for (const std::string& tag : old_store.Tags(repository).value_or(std::vector<std::string>{})) {
      CopyManifest(old_store, rebuilt->store(), repository, tag, tag, copied);
    }
  }
  for (registry::RequestLogEntry& entry : slot.registry->log().Entries()) {
    rebuilt->log().Record(std::move(entry));
  }
  slot.options = std::move(options);
  slot.registry = std::move(rebuilt);
  if (Result<void> served = Serve(slot); !served) return served;
  for (auto& transport : slot.transports) {
    if (Result<void> bound = transport->Rebind(); !bound) return bound;
  }
  return {};
}

Result<void> RegistryFleet::Revoke(const RevokeStep& step) {
  Slot* slot = FindSlot(step.registry);
  if (slot == nullptr) return Fail(ErrorCode::kNotFound, "no registry " + step.registry);
  if (!slot->external_url.empty()) return Unchangeable(slot->host, slot->external_url);
  registry::RegistryOptions options = slot->options;
  registry::AuthOptions& auth = options.auth;
  if (auth.mode == registry::AuthMode::kNone) {
    return Fail(ErrorCode::kFailedPrecondition,
                "registry " + step.registry +
                    " has auth: none, so every client is anonymous and "
                    "there is no user to revoke");
  }
  const bool known =
      std::any_of(auth.users.begin(), auth.users.end(),
                  [&](const registry::User& user) { return user.name == step.user; });
  if (!known) {
    return Fail(ErrorCode::kNotFound, "registry " + step.registry + " has no user " + step.user);
  }
  // Without rules every valid user may do everything: spell that out so one user can leave it.
  std::vector<registry::AccessRule> rules;
  if (auth.policy) {
    rules = auth.policy->rules();
  } else {
    registry::AccessRule all;
    all.repositories = *registry::RepositoryGlob::Parse("**");
    all.pull = all.push = all.del = {"authenticated"};
    rules.push_back(std::move(all));
  }
  std::size_t changed = 0;
  for (registry::AccessRule& rule : rules) {
    const std::string& pattern = rule.repositories.pattern();
    if (!step.repositories.empty() && pattern != step.repositories &&
        !rule.repositories.Matches(step.repositories)) {
      continue;
    }
    ++changed;
    rule.pull = WithoutUser(rule.pull, auth.users, step.user);
    rule.push = WithoutUser(rule.push, auth.users, step.user);
    rule.del = WithoutUser(rule.del, auth.users, step.user);
  }
  if (changed == 0) {
    return Fail(ErrorCode::kNotFound, "registry " + step.registry + " has no access rule for \"" +
                                          step.repositories + "\"");
  }
  auth.policy = registry::AccessPolicy(std::move(rules));
  return Rebuild(*slot, std::move(options));
}

Result<void> RegistryFleet::RotatePassword(const RotatePasswordStep& step) {
  Slot* slot = FindSlot(step.registry);
  if (slot == nullptr) return Fail(ErrorCode::kNotFound, "no registry " + step.registry);
  if (!slot->external_url.empty()) return Unchangeable(slot->host, slot->external_url);
  registry::RegistryOptions options = slot->options;
  auto user = std::find_if(options.auth.users.begin(), options.auth.users.end(),
                           [&](const registry::User& u) { return u.name == step.user; });
  if (user == options.auth.users.end()) {
    return Fail(ErrorCode::kNotFound, "registry " + step.registry + " has no user " + step.user);
  }
  user->password = step.password;
  user->password_hash.clear();
  return Rebuild(*slot, std::move(options));
}

std::vector<RegistryFleet::LoggedRequest> RegistryFleet::Requests() const {
  std::vector<LoggedRequest> out;
  for (const auto& slot : slots_) {
    for (registry::RequestLogEntry& entry : slot->registry->log().Entries()) {
      out.push_back(LoggedRequest{slot->host, std::move(entry)});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const LoggedRequest& a, const LoggedRequest& b) {
    return a.entry.time < b.entry.time;
  });
  return out;
}

std::optional<std::vector<registry::RequestLogEntry>> RegistryFleet::RequestsOf(
    std::string_view host) const {
  const Slot* slot = FindSlot(host);
  if (slot == nullptr) return std::nullopt;
  return slot->registry->log().Entries();
}

std::uint64_t RegistryFleet::RequestsOmitted() const {
  std::uint64_t omitted = 0;
  for (const auto& slot : slots_) {
    const registry::RequestLog& log = slot->registry->log();
    omitted += log.total() - log.Entries().size();
  }
  return omitted;
}

}  // namespace pullsim::scenario
