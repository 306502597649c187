// Registries: a host and a REGISTRY.yaml description (sim/registry/registry_config.h), read
// strictly with every problem reported, into the registry module's own option types.
#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <set>
#include <system_error>

#include "sim/registry/names.h"
#include "sim/registry/request_log.h"
#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();

constexpr std::array<std::string_view, 11> kImageKeys = {
    "repository", "tag",         "platforms", "index",  "format", "compression",
    "layers",     "base_layers", "seed",      "layout", "ref"};
constexpr std::array<std::string_view, 7> kSyntheticKeys = {
    "platforms", "index", "format", "compression", "layers", "base_layers", "seed"};
// Access rule subjects besides user names.
constexpr std::array<std::string_view, 3> kSubjects = {"*", "anonymous", "authenticated"};

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Where(Context& context, const Field& field) {
  return context.Location(field).ToString() + " " + field.path;
}

// A Result<void>-returning check of the registry module, reported at `field`.
template <typename Check>
bool Valid(Context& context, const Field& field, Check check) {
  auto ok = check();
  if (ok) return true;
  context.Error(field, ok.error().message);
  return false;
}

std::optional<registry::User> ReadUser(Context& context, const Field& field) {
  auto map = context.Map(field, {"name", "password", "password_hash"}, {"name"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  registry::User user;
  if (auto f = map->Get("name")) {
    if (auto name = context.NonEmptyString(*f)) {
      bool reserved = std::find(kSubjects.begin(), kSubjects.end(), *name) != kSubjects.end();
      if (reserved || name->find(':') != std::string::npos) {
        context.Error(*f,
                      "a user name may not contain ':' nor be \"*\", \"anonymous\" or "
                      "\"authenticated\"");
      }
      user.name = *name;
    }
  }
  auto password = map->Get("password");
  auto hash = map->Get("password_hash");
  if (password && hash) {
    context.Error(hash->key.Mark(), hash->path, "give password or password_hash, not both");
  } else if (password) {
    user.password = context.String(*password).value_or("");
  } else if (hash) {
    user.password_hash = context.String(*hash).value_or("");
    if (!user.password_hash.starts_with("$2")) {
      context.Error(*hash, "expected a bcrypt hash (\"$2y$...\", as htpasswd -B writes)");
    }
  } else {
    context.Error(map->self().value.Mark(), field.path,
                  "missing the user's password: password or password_hash");
  }
  if (context.errors() != before) return std::nullopt;
  return user;
}

std::optional<registry::AccessRule> ReadAccessRule(Context& context, const Field& field,
                                                   const std::vector<registry::User>& users) {
  auto map = context.Map(field, {"repositories", "pull", "push", "delete"}, {"repositories"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  registry::AccessRule rule;
  if (auto f = map->Get("repositories")) {
    if (auto glob = ReadGlob(context, *f)) rule.repositories = *glob;
  }
  std::vector<std::string_view> subjects(kSubjects.begin(), kSubjects.end());
  for (const registry::User& user : users) subjects.push_back(user.name);
  auto read_subjects = [&](std::string_view key, std::vector<std::string>& out) {
    auto f = map->Get(key);
    if (!f) return false;
    std::vector<Field> list = f->value.IsScalar() ? std::vector<Field>{*f}
                                                  : context.List(*f).value_or(std::vector<Field>{});
    for (const Field& item : list) {
      auto name = context.NonEmptyString(item);
      if (!name) continue;
      if (std::find(subjects.begin(), subjects.end(), *name) == subjects.end()) {
        context.Error(item, "unknown user " + Quote(*name) + Context::Hint(*name, subjects));
        continue;
      }
      out.push_back(*name);
    }
    return true;
  };
  read_subjects("pull", rule.pull);
  read_subjects("push", rule.push);
  if (!read_subjects("delete", rule.del)) rule.del = rule.push;  // who may push may delete
  if (context.errors() != before) return std::nullopt;
  return rule;
}

std::optional<std::filesystem::path> ReadLayoutPath(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  if (std::filesystem::path(*text).is_absolute()) {
    context.Error(field,
                  "layout path " + Quote(*text) + " must be relative to the scenario's folder");
    return std::nullopt;
  }
  std::filesystem::path path = (state.scenario.directory / *text).lexically_normal();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path / "oci-layout", error) ||
      !std::filesystem::is_regular_file(path / "index.json", error)) {
    context.Error(field, "no OCI image layout at " + Quote(*text) +
                             " (expected a folder with oci-layout and index.json)");
    return std::nullopt;
  }
  return path;
}

void ReadSynthetic(Context& context, const MapView& map, oci::ImageSpec& spec) {
  if (auto f = map.Get("platforms")) {
    auto items = context.List(*f);
    if (items && items->empty()) context.Error(*f, "an image needs at least one platform");
    std::vector<std::string> platforms;
    for (const Field& item : items.value_or(std::vector<Field>{})) {
      auto platform = ReadPlatform(context, item);
      if (!platform) continue;
      if (std::find(platforms.begin(), platforms.end(), *platform) != platforms.end()) {
        context.Error(item, "platform " + Quote(*platform) + " is listed twice");
        continue;
      }
      platforms.push_back(*platform);
    }
    if (!platforms.empty()) spec.platforms = platforms;
  }
  if (auto f = map.Get("index")) spec.index = context.Bool(*f).value_or(false);
  if (auto f = map.Get("format")) {
    if (auto text = context.String(*f)) {
      if (*text == "oci") {
        spec.format = oci::ImageFormat::kOci;
      } else if (*text == "docker") {
        spec.format = oci::ImageFormat::kDocker;
      } else {
        static constexpr std::array<std::string_view, 2> kFormats = {"oci", "docker"};
        context.UnknownWord(*f, *text, kFormats, "image format");
      }
    }
  }
  if (auto f = map.Get("compression")) {
    if (auto text = context.String(*f)) {
      if (*text == "gzip") {
        spec.compression = oci::LayerCompression::kGzip;
      } else if (*text == "none") {
        spec.compression = oci::LayerCompression::kNone;
      } else {
        static constexpr std::array<std::string_view, 2> kCompressions = {"gzip", "none"};
        context.UnknownWord(*f, *text, kCompressions, "compression");
      }
    }
  }
  if (auto f = map.Get("layers")) {
    auto items = context.List(*f);
    if (items && items->size() > 128) context.Error(*f, "at most 128 layers");
    for (const Field& item : items.value_or(std::vector<Field>{})) {
      if (auto size = ReadSize(context, item)) {
        spec.layer_sizes.push_back(static_cast<std::int64_t>(*size));
      }
    }
  }
  if (auto f = map.Get("base_layers")) {
    for (const Field& item : context.List(*f).value_or(std::vector<Field>{})) {
      auto base = context.Map(item, {"name", "size"}, {"name", "size"});
      if (!base) continue;
      auto name = base->Get("name");
      auto size = base->Get("size");
      auto name_text = name ? context.NonEmptyString(*name) : std::nullopt;
      auto bytes = size ? ReadSize(context, *size) : std::nullopt;
      if (name_text && bytes) {
        spec.base_layers.push_back(oci::BaseLayer{*name_text, static_cast<std::int64_t>(*bytes)});
      }
    }
  }
  if (auto f = map.Get("seed")) {
    spec.seed = static_cast<std::uint64_t>(context.Integer(*f, 0, kMaxInt).value_or(0));
  }
  if (spec.layer_sizes.empty() && spec.base_layers.empty()) spec.layer_sizes = {1024};
}

}  // namespace

Registry* LoadState::FindRegistry(std::string_view host) {
  for (Registry& registry : scenario.registries) {
    if (registry.host == host) return &registry;
  }
  return nullptr;
}

std::optional<registry::ImageSource> ReadImage(LoadState& state, const Field& field,
                                               const std::string& host,
                                               std::initializer_list<std::string_view> extra_keys) {
  Context& context = state.context;
  std::vector<std::string_view> keys(kImageKeys.begin(), kImageKeys.end());
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  static constexpr std::array<std::string_view, 1> kRequired = {"repository"};
  auto map = context.Map(field, keys, kRequired);
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  registry::ImageSource image;
  image.where = Where(context, field);
  if (auto f = map->Get("repository")) {
    if (auto repository = context.NonEmptyString(*f)) {
      if (!host.empty() && repository->starts_with(host + "/")) {
        context.Error(*f, "write the repository relative to its registry: drop \"" + host + "/\"");
      } else if (Valid(context, *f, [&] { return registry::CheckRepositoryName(*repository); })) {
        image.repository = *repository;
      }
    }
  }
  if (auto f = map->Get("tag")) {
    if (auto tag = context.NonEmptyString(*f)) {
      if (Valid(context, *f, [&] { return registry::CheckTag(*tag); })) image.tag = *tag;
    }
  }
  if (auto layout = map->Get("layout")) {
    for (std::string_view key : kSyntheticKeys) {
      if (auto conflict = map->Get(key)) {
        context.Error(conflict->key.Mark(), conflict->path,
                      Quote(key) +
                          " describes a synthetic image; an image from a layout takes "
                          "its content from there");
      }
    }
    if (auto path = ReadLayoutPath(state, *layout)) image.layout = *path;
    if (auto f = map->Get("ref")) image.layout_ref = context.NonEmptyString(*f).value_or("");
  } else {
    if (auto f = map->Get("ref")) context.Error(f->key.Mark(), f->path, "\"ref\" needs \"layout\"");
    oci::ImageSpec spec;
    spec.repository = image.repository;
    spec.tag = image.tag.empty() ? "latest" : image.tag;
    ReadSynthetic(context, *map, spec);
    image.spec = std::move(spec);
  }
  if (context.errors() != before) return std::nullopt;
  return image;
}

void ReadRegistries(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto items = context.List(field);
  if (!items) return;
  for (const Field& item : *items) {
    auto map = context.Map(item,
                           {"host", "auth", "realm", "token_realm", "token_ttl", "delete", "users",
                            "access", "images", "rate_limits", "faults"},
                           {"host"});
    if (!map) continue;
    Registry entry;
    entry.location = context.Location(item);
    registry::RegistryOptions& options = entry.config.options;
    registry::AuthOptions& auth = options.auth;
    if (auto f = map->Get("host")) {
      if (auto host = ReadHost(context, *f)) {
        if (const Registry* same = state.FindRegistry(*host)) {
          context.Error(*f, "registry " + Quote(*host) + " is declared twice (first at line " +
                                std::to_string(same->location.line) + ")");
        } else {
          entry.host = *host;
          auth.service = *host;
          auth.realm = *host;
        }
      }
    }
    if (auto f = map->Get("auth")) {
      if (auto mode = context.String(*f)) {
        static constexpr std::array<std::string_view, 3> kModes = {"none", "basic", "token"};
        if (*mode == "none") {
          auth.mode = registry::AuthMode::kNone;
        } else if (*mode == "basic") {
          auth.mode = registry::AuthMode::kBasic;
        } else if (*mode == "token") {
          auth.mode = registry::AuthMode::kToken;
        } else {
          context.UnknownWord(*f, *mode, kModes, "auth mode");
        }
      }
    }
    if (auto f = map->Get("realm")) auth.realm = context.NonEmptyString(*f).value_or(auth.realm);
    for (std::string_view key : {"token_realm", "token_ttl"}) {
      auto f = map->Get(key);
      if (!f) continue;
      if (auth.mode != registry::AuthMode::kToken) {
        context.Error(f->key.Mark(), f->path, std::string(key) + " applies only to auth: token");
      } else if (key == "token_realm") {
        auth.token_realm = context.NonEmptyString(*f).value_or("");
      } else {
        auth.token_ttl = context.DurationValue(*f).value_or(auth.token_ttl);
      }
    }
    if (auto f = map->Get("delete")) options.delete_enabled = context.Bool(*f).value_or(true);
    if (auto f = map->Get("users")) {
      std::set<std::string> names;
      for (const Field& user_field : context.List(*f).value_or(std::vector<Field>{})) {
        auto user = ReadUser(context, user_field);
        if (!user) continue;
        if (!names.insert(user->name).second) {
          context.Error(user_field, "user " + Quote(user->name) + " is declared twice");
          continue;
        }
        auth.users.push_back(std::move(*user));
      }
      if (!auth.users.empty() && auth.mode == registry::AuthMode::kNone) {
        context.Error(f->key.Mark(), f->path,
                      "users need a registry that asks for them: set auth: basic or auth: token");
      }
    }
    if (auto f = map->Get("access")) {
      std::vector<registry::AccessRule> rules;
      for (const Field& rule_field : context.List(*f).value_or(std::vector<Field>{})) {
        if (auto rule = ReadAccessRule(context, rule_field, auth.users)) {
          rules.push_back(std::move(*rule));
        }
      }
      auth.policy = registry::AccessPolicy(std::move(rules));
    }
    if (auto f = map->Get("images")) {
      std::set<std::string> seen;
      for (const Field& image_field : context.List(*f).value_or(std::vector<Field>{})) {
        auto image = ReadImage(state, image_field, entry.host);
        if (!image) continue;
        if (image->spec) {
          std::string name = image->repository + ":" + image->spec->tag;
          if (!seen.insert(name).second) {
            context.Error(image_field, "image " + Quote(name) + " is declared twice");
            continue;
          }
        }
        entry.config.images.push_back(std::move(*image));
      }
    }
    if (auto f = map->Get("rate_limits")) {
      for (const Field& limit_field : context.List(*f).value_or(std::vector<Field>{})) {
        if (auto limit = ReadRateLimit(context, limit_field)) {
          options.rate_limits.push_back(std::move(*limit));
        }
      }
    }
    if (auto f = map->Get("faults")) {
      for (const Field& fault_field : context.List(*f).value_or(std::vector<Field>{})) {
        if (auto fault = ReadFault(context, fault_field))
          options.faults.push_back(std::move(*fault));
      }
    }
    if (!entry.host.empty()) state.scenario.registries.push_back(std::move(entry));
  }
}

}  // namespace pullsim::scenario::internal
