#include "sim/registry/registry_config.h"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace pullsim::registry {

namespace {

// Reading a YAML node tree with positions: each accessor fails with "file:line:col path".
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::string Where(const YAML::Node& node, const std::string& path) const {
    const YAML::Mark mark = node.Mark();
    std::string where = file_;
    if (mark.line >= 0) {
      where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    if (!path.empty()) where += " " + path;
    return where;
  }

  Error Invalid(const YAML::Node& node, const std::string& path, std::string message) const {
    return Error{ErrorCode::kInvalidArgument, std::move(message), Where(node, path)};
  }

  // Fails on keys outside `allowed`.
  Result<void> Keys(const YAML::Node& node, const std::string& path,
                    std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap()) return std::unexpected(Invalid(node, path, "expected a mapping"));
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      bool known = false;
      std::string list;
      for (std::string_view a : allowed) {
        known = known || a == key;
        if (!list.empty()) list += ", ";
        list += a;
      }
      if (!known) {
        return std::unexpected(
            Invalid(entry.first, path.empty() ? key : path + "." + key,
                    "unknown key \"" + key + "\" (expected one of: " + list + ")"));
      }
    }
    return {};
  }

  Result<std::string> String(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return std::unexpected(Invalid(node, path, "expected a string"));
    return node.as<std::string>();
  }

  Result<bool> Bool(const YAML::Node& node, const std::string& path) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      return std::unexpected(Invalid(node, path, "expected true or false"));
    }
    return value;
  }

  Result<std::uint64_t> Unsigned(const YAML::Node& node, const std::string& path) const {
    std::uint64_t value = 0;
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    if (!node.IsScalar() || text.empty() || text[0] == '-' ||
        !YAML::convert<std::uint64_t>::decode(node, value)) {
      return std::unexpected(Invalid(node, path, "expected a non-negative integer"));
    }
    return value;
  }

  // "512", "64KiB", "1MiB", "2GiB", "10kB", "1MB": bytes.
  Result<std::uint64_t> Size(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return std::unexpected(Invalid(node, path, "expected a size"));
    std::string text = node.Scalar();
    if (text.size() > 2 && text.substr(text.size() - 2) == "/s") text.resize(text.size() - 2);
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const std::string unit = text.substr(digits);
    static const std::pair<std::string_view, std::uint64_t> kUnits[] = {
        {"", 1},      {"B", 1},     {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
        {"kB", 1000}, {"KB", 1000}, {"MB", 1000000},     {"GB", 1000000000}};
    for (const auto& [name, factor] : kUnits) {
      if (digits > 0 && unit == name) {
        try {
          return std::stoull(text.substr(0, digits)) * factor;
        } catch (const std::exception&) {
          break;
        }
      }
    }
    return std::unexpected(
        Invalid(node, path,
                "\"" + node.Scalar() + "\" is not a size (expected e.g. 512, 64KiB, 1MiB, 10MB)"));
  }

  Result<Duration> DurationOf(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return std::unexpected(Invalid(node, path, "expected a duration"));
    auto duration = ParseDuration(node.Scalar());
    if (!duration) return std::unexpected(Invalid(node, path, duration.error().message));
    if (*duration < Duration::zero()) {
      return std::unexpected(Invalid(node, path, "a duration may not be negative"));
    }
    return *duration;
  }

  Result<std::vector<std::string>> Strings(const YAML::Node& node, const std::string& path) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) return std::unexpected(Invalid(node, path, "expected a list"));
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto item = String(node[i], path + "[" + std::to_string(i) + "]");
      if (!item) return std::unexpected(item.error());
      out.push_back(std::move(*item));
    }
    return out;
  }

  Result<RepositoryGlob> Glob(const YAML::Node& node, const std::string& path) const {
    auto text = String(node, path);
    if (!text) return std::unexpected(text.error());
    auto glob = RepositoryGlob::Parse(*text);
    if (!glob) return std::unexpected(Invalid(node, path, glob.error().message));
    return *glob;
  }

 private:
  std::string file_;
};

#define PULLSIM_TRY(var, expr)                                     \
  auto var##_result = (expr);                                      \
  if (!var##_result) return std::unexpected(var##_result.error()); \
  auto var = std::move(*var##_result)

Result<User> ReadUser(const Reader& r, const YAML::Node& node, const std::string& path) {
  if (auto ok = r.Keys(node, path, {"name", "password", "password_hash"}); !ok) {
    return std::unexpected(ok.error());
  }
  User user;
  if (!node["name"]) return std::unexpected(r.Invalid(node, path, "missing \"name\""));
  PULLSIM_TRY(name, r.String(node["name"], path + ".name"));
  user.name = name;
  if (node["password"]) {
    PULLSIM_TRY(password, r.String(node["password"], path + ".password"));
    user.password = password;
  }
  if (node["password_hash"]) {
    PULLSIM_TRY(hash, r.String(node["password_hash"], path + ".password_hash"));
    if (hash.rfind("$2", 0) != 0) {
      return std::unexpected(r.Invalid(node["password_hash"], path + ".password_hash",
                                       "expected a bcrypt hash (\"$2y$...\", htpasswd -B)"));
    }
    user.password_hash = hash;
  }
  if (user.password.empty() == user.password_hash.empty()) {
    return std::unexpected(
        r.Invalid(node, path, "give exactly one of \"password\" and \"password_hash\""));
  }
  return user;
}

Result<AccessRule> ReadRule(const Reader& r, const YAML::Node& node, const std::string& path) {
  if (auto ok = r.Keys(node, path, {"repositories", "pull", "push", "delete"}); !ok) {
    return std::unexpected(ok.error());
  }
  if (!node["repositories"]) {
    return std::unexpected(r.Invalid(node, path, "missing \"repositories\" (a glob)"));
  }
  AccessRule rule;
  PULLSIM_TRY(glob, r.Glob(node["repositories"], path + ".repositories"));
  rule.repositories = glob;
  if (node["pull"]) {
    PULLSIM_TRY(pull, r.Strings(node["pull"], path + ".pull"));
    rule.pull = pull;
  }
  if (node["push"]) {
    PULLSIM_TRY(push, r.Strings(node["push"], path + ".push"));
    rule.push = push;
  }
  if (node["delete"]) {
    PULLSIM_TRY(del, r.Strings(node["delete"], path + ".delete"));
    rule.del = del;
  } else {
    rule.del = rule.push;  // who may push may delete, unless said otherwise
  }
  return rule;
}

Result<oci::RegistryEndpoint> ReadEndpoint(const Reader& r, const YAML::Node& node,
                                           const std::string& path) {
  PULLSIM_TRY(name, r.String(node, path));
  for (auto endpoint : {oci::RegistryEndpoint::kPing, oci::RegistryEndpoint::kManifest,
                        oci::RegistryEndpoint::kBlob, oci::RegistryEndpoint::kUploadStart,
                        oci::RegistryEndpoint::kUploadSession, oci::RegistryEndpoint::kTags,
                        oci::RegistryEndpoint::kReferrers, oci::RegistryEndpoint::kCatalog,
                        oci::RegistryEndpoint::kToken}) {
    if (name == EndpointName(endpoint)) return endpoint;
  }
  return std::unexpected(r.Invalid(node, path,
                                   "unknown endpoint \"" + name +
                                       "\" (expected ping, manifest, blob, upload_start, upload, "
                                       "tags, referrers, catalog or token)"));
}

Result<Fault> ReadFault(const Reader& r, const YAML::Node& node, const std::string& path) {
  if (auto ok = r.Keys(node, path,
                       {"name", "match", "latency", "status", "code", "message", "drop",
                        "drop_after_bytes", "bandwidth", "after", "times"});
      !ok) {
    return std::unexpected(ok.error());
  }
  Fault fault;
  if (node["name"]) {
    PULLSIM_TRY(name, r.String(node["name"], path + ".name"));
    fault.name = name;
  }
  if (const YAML::Node match = node["match"]) {
    const std::string mpath = path + ".match";
    if (auto ok = r.Keys(match, mpath,
                         {"repositories", "endpoints", "methods", "reference", "path", "client"});
        !ok) {
      return std::unexpected(ok.error());
    }
    if (match["repositories"]) {
      PULLSIM_TRY(glob, r.Glob(match["repositories"], mpath + ".repositories"));
      fault.match.repositories = glob;
    }
    if (const YAML::Node endpoints = match["endpoints"]) {
      const YAML::Node list = endpoints.IsScalar()
                                  ? YAML::Node(std::vector<std::string>{endpoints.Scalar()})
                                  : endpoints;
      if (!list.IsSequence()) {
        return std::unexpected(r.Invalid(endpoints, mpath + ".endpoints", "expected a list"));
      }
      for (std::size_t i = 0; i < list.size(); ++i) {
        PULLSIM_TRY(endpoint, ReadEndpoint(r, endpoints.IsScalar() ? endpoints : list[i],
                                           mpath + ".endpoints[" + std::to_string(i) + "]"));
        fault.match.endpoints.push_back(endpoint);
      }
    }
    if (match["methods"]) {
      PULLSIM_TRY(methods, r.Strings(match["methods"], mpath + ".methods"));
      fault.match.methods = methods;
    }
    if (match["reference"]) {
      PULLSIM_TRY(reference, r.String(match["reference"], mpath + ".reference"));
      fault.match.reference = reference;
    }
    if (match["path"]) {
      PULLSIM_TRY(p, r.String(match["path"], mpath + ".path"));
      fault.match.path = p;
    }
    if (match["client"]) {
      PULLSIM_TRY(client, r.String(match["client"], mpath + ".client"));
      fault.match.client = client;
    }
  }
  if (node["latency"]) {
    PULLSIM_TRY(latency, r.DurationOf(node["latency"], path + ".latency"));
    fault.latency = latency;
  }
  if (node["status"]) {
    PULLSIM_TRY(status, r.Unsigned(node["status"], path + ".status"));
    if (status < 400 || status > 599) {
      return std::unexpected(
          r.Invalid(node["status"], path + ".status", "expected an error status 400..599"));
    }
    fault.status = static_cast<int>(status);
  }
  if (node["code"]) {
    PULLSIM_TRY(code, r.String(node["code"], path + ".code"));
    fault.code = code;
  }
  if (node["message"]) {
    PULLSIM_TRY(message, r.String(node["message"], path + ".message"));
    fault.message = message;
  }
  if (node["drop"]) {
    PULLSIM_TRY(drop, r.Bool(node["drop"], path + ".drop"));
    fault.drop = drop;
  }
  if (node["drop_after_bytes"]) {
    PULLSIM_TRY(after, r.Size(node["drop_after_bytes"], path + ".drop_after_bytes"));
    fault.drop = true;
    fault.drop_after_bytes = after;
  }
  if (node["bandwidth"]) {
    PULLSIM_TRY(bandwidth, r.Size(node["bandwidth"], path + ".bandwidth"));
    if (bandwidth == 0) {
      return std::unexpected(
          r.Invalid(node["bandwidth"], path + ".bandwidth", "a bandwidth must be positive"));
    }
    fault.bandwidth = bandwidth;
  }
  if (node["after"]) {
    PULLSIM_TRY(after, r.Unsigned(node["after"], path + ".after"));
    fault.after = static_cast<std::uint32_t>(after);
  }
  if (node["times"]) {
    PULLSIM_TRY(times, r.Unsigned(node["times"], path + ".times"));
    fault.times = static_cast<std::uint32_t>(times);
  }
  if (fault.code.empty() == false && fault.status == 0) {
    return std::unexpected(r.Invalid(node, path, "\"code\" needs a \"status\""));
  }
  return fault;
}

Result<ImageSource> ReadImage(const Reader& r, const YAML::Node& node, const std::string& path,
                              const std::filesystem::path& base_dir) {
  if (auto ok = r.Keys(node, path,
                       {"repository", "tag", "platforms", "index", "format", "compression",
                        "layers", "base_layers", "seed", "layout", "ref"});
      !ok) {
    return std::unexpected(ok.error());
  }
  ImageSource source;
  source.where = r.Where(node, path);
  if (!node["repository"]) {
    return std::unexpected(r.Invalid(node, path, "missing \"repository\""));
  }
  PULLSIM_TRY(repository, r.String(node["repository"], path + ".repository"));
  if (auto ok = CheckRepositoryName(repository); !ok) {
    return std::unexpected(r.Invalid(node["repository"], path + ".repository", ok.error().message));
  }
  source.repository = repository;
  if (node["tag"]) {
    PULLSIM_TRY(tag, r.String(node["tag"], path + ".tag"));
    if (auto ok = CheckTag(tag); !ok) {
      return std::unexpected(r.Invalid(node["tag"], path + ".tag", ok.error().message));
    }
    source.tag = tag;
  }
  if (node["layout"]) {
    for (const char* key :
         {"platforms", "index", "format", "compression", "layers", "base_layers", "seed"}) {
      if (node[key]) {
        return std::unexpected(r.Invalid(
            node[key], path + "." + key,
            "\"" + std::string(key) + "\" describes a synthetic image; not with \"layout\""));
      }
    }
    PULLSIM_TRY(layout, r.String(node["layout"], path + ".layout"));
    source.layout = std::filesystem::path(layout).is_absolute() ? std::filesystem::path(layout)
                                                                : base_dir / layout;
    if (node["ref"]) {
      PULLSIM_TRY(ref, r.String(node["ref"], path + ".ref"));
      source.layout_ref = ref;
    }
    return source;
  }
  if (node["ref"]) {
    return std::unexpected(r.Invalid(node["ref"], path + ".ref", "\"ref\" needs \"layout\""));
  }
  oci::ImageSpec spec;
  spec.repository = source.repository;
  spec.tag = source.tag.empty() ? "latest" : source.tag;
  if (node["platforms"]) {
    PULLSIM_TRY(platforms, r.Strings(node["platforms"], path + ".platforms"));
    spec.platforms = platforms;
  }
  if (node["index"]) {
    PULLSIM_TRY(index, r.Bool(node["index"], path + ".index"));
    spec.index = index;
  }
  if (node["format"]) {
    PULLSIM_TRY(format, r.String(node["format"], path + ".format"));
    if (format == "oci") {
      spec.format = oci::ImageFormat::kOci;
    } else if (format == "docker") {
      spec.format = oci::ImageFormat::kDocker;
    } else {
      return std::unexpected(
          r.Invalid(node["format"], path + ".format", "expected \"oci\" or \"docker\""));
    }
  }
  if (node["compression"]) {
    PULLSIM_TRY(compression, r.String(node["compression"], path + ".compression"));
    if (compression == "gzip") {
      spec.compression = oci::LayerCompression::kGzip;
    } else if (compression == "none") {
      spec.compression = oci::LayerCompression::kNone;
    } else {
      return std::unexpected(
          r.Invalid(node["compression"], path + ".compression", "expected \"gzip\" or \"none\""));
    }
  }
  if (const YAML::Node layers = node["layers"]) {
    if (!layers.IsSequence()) {
      return std::unexpected(r.Invalid(layers, path + ".layers", "expected a list of sizes"));
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
      PULLSIM_TRY(size, r.Size(layers[i], path + ".layers[" + std::to_string(i) + "]"));
      spec.layer_sizes.push_back(static_cast<std::int64_t>(size));
    }
  }
  if (const YAML::Node bases = node["base_layers"]) {
    if (!bases.IsSequence()) {
      return std::unexpected(r.Invalid(bases, path + ".base_layers", "expected a list"));
    }
    for (std::size_t i = 0; i < bases.size(); ++i) {
      const std::string bpath = path + ".base_layers[" + std::to_string(i) + "]";
      if (auto ok = r.Keys(bases[i], bpath, {"name", "size"}); !ok) {
        return std::unexpected(ok.error());
      }
      if (!bases[i]["name"] || !bases[i]["size"]) {
        return std::unexpected(r.Invalid(bases[i], bpath, "needs \"name\" and \"size\""));
      }
      PULLSIM_TRY(name, r.String(bases[i]["name"], bpath + ".name"));
      PULLSIM_TRY(size, r.Size(bases[i]["size"], bpath + ".size"));
      spec.base_layers.push_back(oci::BaseLayer{name, static_cast<std::int64_t>(size)});
    }
  }
  if (node["seed"]) {
    PULLSIM_TRY(seed, r.Unsigned(node["seed"], path + ".seed"));
    spec.seed = seed;
  }
  source.spec = std::move(spec);
  return source;
}

Result<RegistryConfig> ReadConfig(const Reader& r, const YAML::Node& root,
                                  const std::filesystem::path& base_dir) {
  RegistryConfig config;
  if (!root || root.IsNull()) return config;  // an empty file: an open, empty registry
  if (auto ok = r.Keys(root, "",
                       {"service", "auth", "realm", "token_realm", "token_ttl", "delete", "users",
                        "access", "images", "rate_limits", "faults"});
      !ok) {
    return std::unexpected(ok.error());
  }
  AuthOptions& auth = config.options.auth;
  if (root["service"]) {
    PULLSIM_TRY(service, r.String(root["service"], "service"));
    auth.service = service;
    auth.realm = service;
  }
  if (root["realm"]) {
    PULLSIM_TRY(realm, r.String(root["realm"], "realm"));
    auth.realm = realm;
  }
  if (root["auth"]) {
    PULLSIM_TRY(mode, r.String(root["auth"], "auth"));
    if (mode == "none") {
      auth.mode = AuthMode::kNone;
    } else if (mode == "basic") {
      auth.mode = AuthMode::kBasic;
    } else if (mode == "token") {
      auth.mode = AuthMode::kToken;
    } else {
      return std::unexpected(
          r.Invalid(root["auth"], "auth", "expected \"none\", \"basic\" or \"token\""));
    }
  }
  if (root["token_realm"]) {
    PULLSIM_TRY(realm, r.String(root["token_realm"], "token_realm"));
    auth.token_realm = realm;
  }
  if (root["token_ttl"]) {
    PULLSIM_TRY(ttl, r.DurationOf(root["token_ttl"], "token_ttl"));
    auth.token_ttl = ttl;
  }
  if (root["delete"]) {
    PULLSIM_TRY(del, r.Bool(root["delete"], "delete"));
    config.options.delete_enabled = del;
  }
  auto sequence = [&](const char* key) -> Result<YAML::Node> {
    const YAML::Node node = root[key];
    if (node && !node.IsSequence()) {
      return std::unexpected(r.Invalid(node, key, "expected a list"));
    }
    return node;
  };
  PULLSIM_TRY(users, sequence("users"));
  std::set<std::string> names;
  for (std::size_t i = 0; users && i < users.size(); ++i) {
    const std::string path = "users[" + std::to_string(i) + "]";
    PULLSIM_TRY(user, ReadUser(r, users[i], path));
    if (!names.insert(user.name).second) {
      return std::unexpected(r.Invalid(users[i], path, "user \"" + user.name + "\" twice"));
    }
    auth.users.push_back(std::move(user));
  }
  if (!auth.users.empty() && auth.mode == AuthMode::kNone) {
    return std::unexpected(
        r.Invalid(root["users"], "users", "users need \"auth: basic\" or \"auth: token\""));
  }
  PULLSIM_TRY(access, sequence("access"));
  if (access) {
    std::vector<AccessRule> rules;
    for (std::size_t i = 0; i < access.size(); ++i) {
      const std::string path = "access[" + std::to_string(i) + "]";
      PULLSIM_TRY(rule, ReadRule(r, access[i], path));
      for (const auto* list : {&rule.pull, &rule.push, &rule.del}) {
        for (const std::string& subject : *list) {
          const bool special =
              subject == "*" || subject == "anonymous" || subject == "authenticated";
          if (!special && !names.contains(subject)) {
            return std::unexpected(r.Invalid(access[i], path,
                                             "unknown user \"" + subject +
                                                 "\" (users, or \"*\", \"anonymous\", "
                                                 "\"authenticated\")"));
          }
        }
      }
      rules.push_back(std::move(rule));
    }
    auth.policy = AccessPolicy(std::move(rules));
  }
  PULLSIM_TRY(images, sequence("images"));
  for (std::size_t i = 0; images && i < images.size(); ++i) {
    PULLSIM_TRY(image, ReadImage(r, images[i], "images[" + std::to_string(i) + "]", base_dir));
    config.images.push_back(std::move(image));
  }
  PULLSIM_TRY(limits, sequence("rate_limits"));
  for (std::size_t i = 0; limits && i < limits.size(); ++i) {
    const std::string path = "rate_limits[" + std::to_string(i) + "]";
    if (auto ok = r.Keys(limits[i], path, {"repositories", "limit", "window"}); !ok) {
      return std::unexpected(ok.error());
    }
    RateLimitRule rule;
    rule.repositories = *RepositoryGlob::Parse("**");
    if (limits[i]["repositories"]) {
      PULLSIM_TRY(glob, r.Glob(limits[i]["repositories"], path + ".repositories"));
      rule.repositories = glob;
    }
    if (!limits[i]["limit"])
      return std::unexpected(r.Invalid(limits[i], path, "missing \"limit\""));
    PULLSIM_TRY(limit, r.Unsigned(limits[i]["limit"], path + ".limit"));
    rule.limit = static_cast<std::uint32_t>(limit);
    if (limits[i]["window"]) {
      PULLSIM_TRY(window, r.DurationOf(limits[i]["window"], path + ".window"));
      if (window == Duration::zero()) {
        return std::unexpected(r.Invalid(limits[i]["window"], path + ".window", "must be > 0"));
      }
      rule.window = window;
    }
    config.options.rate_limits.push_back(std::move(rule));
  }
  PULLSIM_TRY(faults, sequence("faults"));
  for (std::size_t i = 0; faults && i < faults.size(); ++i) {
    PULLSIM_TRY(fault, ReadFault(r, faults[i], "faults[" + std::to_string(i) + "]"));
    config.options.faults.push_back(std::move(fault));
  }
  return config;
}

#undef PULLSIM_TRY

}  // namespace

Result<RegistryConfig> ParseRegistryConfig(std::string_view text, std::string_view file,
                                           const std::filesystem::path& base_dir) {
  Reader reader{std::string(file)};
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return ReadConfig(reader, root, base_dir);
  } catch (const YAML::Exception& e) {
    std::string where(file);
    if (e.mark.line >= 0) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    return Fail(ErrorCode::kInvalidArgument, "malformed YAML: " + e.msg, where);
  }
}

Result<RegistryConfig> LoadRegistryConfig(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot open registry config \"" + path.string() + "\"");
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseRegistryConfig(text.str(), path.string(), path.parent_path());
}

}  // namespace pullsim::registry
