// FormatExplanation and ExplanationJson: the two renderings of a PodExplanation.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/explain.h"

namespace pullsim::scenario {
namespace {

constexpr std::size_t kLabelWidth = 13;

// Durations on the scenario's clock to the millisecond: "12.281s", not "12.281174772s".
std::string Time(Duration duration) {
  return FormatDuration(std::chrono::round<std::chrono::milliseconds>(duration));
}

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// Lines of one section: "   label        value", continuation lines aligned under the value.
class Section {
 public:
  explicit Section(std::string& out) : out_(out) {}
  void Row(std::string_view label, std::string_view value) {
    out_ += "   " + Pad(label, kLabelWidth) + std::string(value) + "\n";
  }
  void Line(std::string_view text, int indent = 3) {
    out_ += std::string(static_cast<std::size_t>(indent), ' ') + std::string(text) + "\n";
  }

 private:
  std::string& out_;
};

// The path and query of a URL ("https://registry.test/v2/x" -> "/v2/x"); the URL when it has none.
std::string PathOf(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string HostOf(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const std::size_t slash = url.find('/', scheme + 3);
  return url.substr(0, slash);
}

void FormatImage(const ExplainedImage& image, std::string& out) {
  out += "1. image\n";
  Section section(out);
  section.Row("written", image.written);
  if (!image.error.empty()) {
    section.Row("invalid", image.error + " (REF-10): InvalidImageName");
    return;
  }
  section.Row("runtime gets",
              image.tagged + (image.default_tag_added ? "  (default tag :latest added, REF-11)"
                                                      : "  (as written, REF-11)"));
  section.Row("normalised", image.normalised + "  (REF-02, REF-09)");
  section.Row("repository", image.repository + "  (credentials are looked up for it, CRED-12)");
}

void FormatPolicy(const ExplainedPolicy& policy, std::string& out) {
  out += "2. pull policy\n";
  Section section(out);
  section.Row(policy.value, policy.set_by == "written" ? policy.why
                                                       : "set by " + policy.set_by + " (" +
                                                             policy.rule + "): " + policy.why);
}

void FormatCache(const ExplainedCache& cache, std::string& out) {
  out += "3. cached image\n";
  Section section(out);
  if (!cache.inspected) {
    section.Row("on the node", "not looked at");
  } else {
    section.Row("on the node", cache.present ? "yes, " + cache.image_ref : "no");
  }
  section.Row("KEP-2535", cache.verification_policy.empty()
                              ? "off (KubeletEnsureSecretPulledImages disabled)"
                              : "policy " + cache.verification_policy +
                                    (cache.may_use ? (*cache.may_use ? ": cached copy allowed"
                                                                     : ": cached copy refused")
                                                   : ": not asked"));
  section.Row("decision", cache.decision + ": " + cache.reason);
  section.Row("at the end", cache.present_at_end ? "the node holds the image"
                                                 : "the node does not hold the image");
}

void FormatCredentials(const ExplainedCredentials& credentials, const std::string& repository,
                       std::string& out) {
  out += "4. credentials" + (repository.empty() ? std::string() : " for " + repository) +
         ", in the order tried (CRED-08, CRED-11)\n";
  Section section(out);
  if (!credentials.note.empty()) {
    section.Line(credentials.note);
  } else if (!credentials.pulled && credentials.lookup_error.empty()) {
    section.Line("no pull was made; a pull would offer, in order:");
  }
  if (!credentials.lookup_error.empty()) {
    section.Row("lookup", "failed: " + credentials.lookup_error + " (KUB-14: nothing is tried)");
  }
  std::size_t source_width = 0;
  for (const ExplainedCredential& credential : credentials.tried) {
    source_width = std::max(source_width, credential.source.size());
  }
  int number = 0;
  for (const ExplainedCredential& credential : credentials.tried) {
    ++number;
    section.Line(std::to_string(number) + ". " + Pad(credential.source, source_width) + "  key " +
                 credential.key + "  user " + credential.username + "  -> " + credential.outcome);
    section.Line("matched: " + credential.matched, 6);
  }
  if (credentials.anonymous) {
    section.Row("anonymous", (credentials.pulled ? "tried, no credential matched (CRED-13): "
                                                 : "no credential matches (CRED-13); ") +
                                 credentials.anonymous_outcome);
  } else if (credentials.lookup_error.empty() && credentials.note.empty()) {
    section.Row("anonymous",
                "not tried: a credential matched, and there is no anonymous retry "
                "(CRED-13)");
  }
  if (credentials.node_config.empty()) {
    section.Row("node config", "none usable on the search path (CRED-02, CRED-03)");
  } else {
    std::string keys;
    for (const std::string& key : credentials.node_keys) keys += (keys.empty() ? "" : ", ") + key;
    section.Row("node config",
                credentials.node_config + " (the first that parses, CRED-02): keys " +
                    (keys.empty() ? std::string("none") : keys) +
                    (credentials.node_key_matches ? "" : "; none matches (CRED-07)"));
  }
  for (const std::string& skipped : credentials.node_files_skipped) {
    section.Row("", "passed over: " + skipped);
  }
  for (const SkippedSecret& skipped : credentials.skipped) {
    section.Row("skipped",
                "secret " + skipped.secret + ": " + skipped.why + " (" + skipped.rule + ")");
  }
}

std::string FormatExchange(const ExplainedExchange& exchange, std::size_t path_width) {
  std::string line = Pad(exchange.method, 5) + Pad(PathOf(exchange.url), path_width) + " " +
                     (exchange.status == 0 ? std::string("---") : std::to_string(exchange.status));
  if (!exchange.auth.empty()) line += "  auth " + exchange.auth;
  if (!exchange.scope.empty()) line += "  scope " + exchange.scope;
  if (!exchange.challenge.empty()) line += "  challenge " + exchange.challenge;
  if (!exchange.error.empty()) line += "  error " + exchange.error;
  return line;
}

void FormatExchanges(const ContainerExplanation& container, std::string& out) {
  out += "5. registry exchanges";
  if (container.last_pull_at) out += " (last pull, at " + Time(*container.last_pull_at) + ")";
  out += "\n";
  Section section(out);
  if (container.exchanges.empty()) {
    section.Line(container.last_pull_at ? "none: the pull never reached a registry"
                                        : "none: no pull was made");
  }
  std::size_t path_width = 0;
  for (const ExplainedExchange& exchange : container.exchanges) {
    path_width = std::max(path_width, std::min<std::size_t>(PathOf(exchange.url).size(), 48));
  }
  std::string attempt;
  for (const ExplainedExchange& exchange : container.exchanges) {
    if (exchange.credential != attempt) {
      attempt = exchange.credential;
      section.Line("with " + attempt + " (" + HostOf(exchange.url) + "):");
    }
    section.Line(FormatExchange(exchange, path_width), 5);
  }
  if (!container.earlier_pulls.empty()) {
    const std::vector<EarlierPull>& pulls = container.earlier_pulls;
    const bool alike = std::all_of(pulls.begin(), pulls.end(), [&](const EarlierPull& pull) {
      return pull.outcome == pulls.front().outcome;
    });
    std::string earlier;
    const std::size_t shown = std::min<std::size_t>(pulls.size(), 6);
    for (std::size_t i = 0; i < shown; ++i) {
      if (!earlier.empty()) earlier += alike ? ", " : "; ";
      earlier += Time(pulls[i].at) + (alike ? "" : " " + pulls[i].outcome);
    }
    if (shown < pulls.size()) {
      earlier += (alike ? ", and " : "; and ") + std::to_string(pulls.size() - shown) + " more";
    }
    const std::string count =
        std::to_string(pulls.size()) + " pull" + (pulls.size() == 1 ? "" : "s");
    section.Row("earlier", alike ? count + " at " + earlier + ": " +
                                       (pulls.size() == 1 ? "" : "all ") + pulls.front().outcome
                                 : count + ": " + earlier);
  }
  if (container.pulls_not_sent > 0) {
    section.Row("not sent", std::to_string(container.pulls_not_sent) +
                                " pull(s) failed before reaching the registry (pull QPS limit, "
                                "KUB-09, or credential lookup, KUB-14): see the events");
  }
}

void FormatPlatform(const ExplainedPlatform& platform, std::string& out) {
  out += "6. platform\n";
  Section section(out);
  section.Row(
      "node", platform.node_platform + "  (accepts " + [&] {
        std::string joined;
        for (const std::string& p : platform.acceptable) {
          joined += (joined.empty() ? "" : ", ") + p;
        }
        return joined;
      }() + ", ARCH-04)");
  if (!platform.index_digest.empty()) {
    section.Row("index", platform.index_digest);
    for (const std::string& entry : platform.entries) {
      const bool chosen =
          !platform.manifest_digest.empty() && entry.ends_with(" " + platform.manifest_digest);
      section.Line(entry + (chosen ? "   <- chosen" : ""), 6);
    }
  }
  if (!platform.manifest_digest.empty()) section.Row("manifest", platform.manifest_digest);
  section.Row("result",
              platform.summary + (platform.rule.empty() ? "" : " (" + platform.rule + ")"));
}

void FormatOutcome(const ExplainedOutcome& outcome, std::string& out) {
  out += "7. outcome\n";
  Section section(out);
  section.Row("state", outcome.state + (outcome.reason.empty() ? "" : "  " + outcome.reason));
  if (!outcome.message.empty()) section.Row("message", outcome.message);
  if (outcome.events.empty()) {
    section.Row("events", "none");
    return;
  }
  // The same event again and again (a pod backing off) is one line with its count.
  struct Repeated {
    const ExplainedEvent* first;
    Duration last{};
    int count = 0;
  };
  std::vector<Repeated> lines;
  for (const ExplainedEvent& event : outcome.events) {
    auto same = std::find_if(lines.begin(), lines.end(), [&](const Repeated& line) {
      return line.first->type == event.type && line.first->reason == event.reason &&
             line.first->message == event.message && line.first->object == event.object;
    });
    if (same == lines.end()) {
      lines.push_back({&event, event.at, 1});
    } else {
      same->last = event.at;
      ++same->count;
    }
  }
  const bool repeats =
      std::any_of(lines.begin(), lines.end(), [](const Repeated& line) { return line.count > 1; });
  section.Line(repeats ? "events (a repeated one: first..last xN):" : "events:");
  std::size_t at_width = 0;
  std::size_t reason_width = 0;
  std::vector<std::string> when;
  for (const Repeated& line : lines) {
    when.push_back(
        Time(line.first->at) +
        (line.count > 1 ? ".." + Time(line.last) + " x" + std::to_string(line.count) : ""));
    at_width = std::max(at_width, when.back().size());
    reason_width = std::max(reason_width, line.first->reason.size());
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const ExplainedEvent& event = *lines[i].first;
    section.Line(Pad(when[i], at_width) + "  " + Pad(event.type, 7) + "  " +
                     Pad(event.reason, reason_width) + "  " +
                     (event.object.empty() ? "" : "(" + event.object + ") ") + event.message,
                 5);
  }
}

nlohmann::ordered_json ToJson(const ContainerExplanation& c) {
  using json = nlohmann::ordered_json;
  json image = {{"written", c.image.written},
                {"tagged", c.image.tagged},
                {"defaultTagAdded", c.image.default_tag_added},
                {"normalised", c.image.normalised},
                {"repository", c.image.repository}};
  if (!c.image.error.empty()) image["error"] = c.image.error;
  json tried = json::array();
  for (const ExplainedCredential& credential : c.credentials.tried) {
    json entry = {{"key", credential.key},
                  {"username", credential.username},
                  {"source", credential.source},
                  {"matched", credential.matched},
                  {"outcome", credential.outcome}};
    if (!credential.error.empty()) entry["error"] = credential.error;
    tried.push_back(std::move(entry));
  }
  json skipped = json::array();
  for (const SkippedSecret& secret : c.credentials.skipped) {
    skipped.push_back({{"secret", secret.secret}, {"why", secret.why}, {"rule", secret.rule}});
  }
  json credentials = {{"pulled", c.credentials.pulled},
                      {"tried", std::move(tried)},
                      {"anonymous", c.credentials.anonymous}};
  if (c.credentials.anonymous) {
    credentials["anonymousOutcome"] = c.credentials.anonymous_outcome;
    if (!c.credentials.anonymous_error.empty()) {
      credentials["anonymousError"] = c.credentials.anonymous_error;
    }
  }
  credentials["skipped"] = std::move(skipped);
  credentials["nodeConfig"] = {{"file", c.credentials.node_config},
                               {"keys", c.credentials.node_keys},
                               {"matches", c.credentials.node_key_matches},
                               {"skippedFiles", c.credentials.node_files_skipped}};
  if (!c.credentials.lookup_error.empty()) credentials["lookupError"] = c.credentials.lookup_error;
  if (!c.credentials.note.empty()) credentials["note"] = c.credentials.note;
  json exchanges = json::array();
  for (const ExplainedExchange& exchange : c.exchanges) {
    json entry = {{"credential", exchange.credential},
                  {"method", exchange.method},
                  {"url", exchange.url},
                  {"status", exchange.status}};
    if (!exchange.auth.empty()) entry["auth"] = exchange.auth;
    if (!exchange.challenge.empty()) entry["challenge"] = exchange.challenge;
    if (!exchange.scope.empty()) entry["scope"] = exchange.scope;
    if (!exchange.error.empty()) entry["error"] = exchange.error;
    exchanges.push_back(std::move(entry));
  }
  json earlier = json::array();
  const int not_sent = c.pulls_not_sent;
  for (const EarlierPull& pull : c.earlier_pulls) {
    earlier.push_back(
        {{"at", Time(pull.at)}, {"attempts", pull.attempts}, {"outcome", pull.outcome}});
  }
  json events = json::array();
  for (const ExplainedEvent& event : c.outcome.events) {
    json entry = {{"at", Time(event.at)},
                  {"type", event.type},
                  {"reason", event.reason},
                  {"message", event.message}};
    if (!event.object.empty()) entry["object"] = event.object;
    events.push_back(std::move(entry));
  }
  return {
      {"name", c.name},
      {"list", c.list},
      {"image", std::move(image)},
      {"pullPolicy",
       {{"value", c.policy.value},
        {"written", c.policy.written},
        {"setBy", c.policy.set_by},
        {"rule", c.policy.rule},
        {"why", c.policy.why}}},
      {"cache",
       {{"inspected", c.cache.inspected},
        {"present", c.cache.present},
        {"imageRef", c.cache.image_ref},
        {"verificationPolicy", c.cache.verification_policy},
        {"mayUse", c.cache.may_use ? json(*c.cache.may_use) : json(nullptr)},
        {"decision", c.cache.decision},
        {"reason", c.cache.reason},
        {"presentAtEnd", c.cache.present_at_end}}},
      {"credentials", std::move(credentials)},
      {"lastPullAt", c.last_pull_at ? json(Time(*c.last_pull_at)) : json(nullptr)},
      {"exchanges", std::move(exchanges)},
      {"earlierPulls", std::move(earlier)},
      {"pullsNotSent", not_sent},
      {"platform",
       {{"node", c.platform.node_platform},
        {"acceptable", c.platform.acceptable},
        {"index", c.platform.index_digest},
        {"entries", c.platform.entries},
        {"chosen", c.platform.chosen},
        {"manifest", c.platform.manifest_digest},
        {"summary", c.platform.summary},
        {"rule", c.platform.rule}}},
      {"outcome",
       {{"state", c.outcome.state},
        {"reason", c.outcome.reason},
        {"message", c.outcome.message},
        {"events", std::move(events)}}},
  };
}

}  // namespace

std::string FormatExplanation(const PodExplanation& explanation) {
  std::string out = "pod " + explanation.namespace_name + "/" + explanation.name + " on node " +
                    explanation.node + ", at the end of the scenario (" + Time(explanation.at) +
                    ")";
  if (!explanation.scenario.empty()) out += "\nscenario " + explanation.scenario;
  out += "\n";
  for (const ContainerExplanation& container : explanation.containers) {
    out += "\ncontainer " + container.name +
           (container.list == "containers" ? std::string() : " (" + container.list + ")") + "\n";
    FormatImage(container.image, out);
    FormatPolicy(container.policy, out);
    FormatCache(container.cache, out);
    FormatCredentials(container.credentials, container.image.repository, out);
    FormatExchanges(container, out);
    FormatPlatform(container.platform, out);
    FormatOutcome(container.outcome, out);
  }
  return out;
}

std::string ExplanationJson(const PodExplanation& explanation) {
  nlohmann::ordered_json containers = nlohmann::ordered_json::array();
  for (const ContainerExplanation& container : explanation.containers) {
    containers.push_back(ToJson(container));
  }
  nlohmann::ordered_json document = {{"pod", explanation.namespace_name + "/" + explanation.name},
                                     {"namespace", explanation.namespace_name},
                                     {"name", explanation.name},
                                     {"node", explanation.node},
                                     {"scenario", explanation.scenario},
                                     {"at", Time(explanation.at)},
                                     {"containers", std::move(containers)}};
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pullsim::scenario
