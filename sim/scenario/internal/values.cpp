#include "sim/scenario/internal/values.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace pullsim::scenario::internal {
namespace {

constexpr std::array<std::string_view, 3> kFeatureGates = {
    "KubeletEnsureSecretPulledImages",                   // KEP2535-01
    "KubeletServiceAccountTokenForCredentialProviders",  // KEP-4412, CRED-01
    "RuntimeClassInImageCriApi",                         // KUB-13
};

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

std::optional<std::string> ReadHost(Context& context, const Field& field) {
  auto host = context.NonEmptyString(field);
  if (!host) return std::nullopt;
  auto parsed = reference::ParseNormalizedNamed(*host + "/x");
  if (!parsed || parsed->domain != *host || host->find('/') != std::string::npos) {
    context.Error(field, "invalid registry host " + Quoted(*host) +
                             ": expected a host name with a dot or a port, or localhost "
                             "(\"registry.test\", \"registry.test:5000\"), without scheme or path");
    return std::nullopt;
  }
  return host;
}

std::optional<std::string> ReadPlatform(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  std::vector<std::string_view> parts;
  std::string_view rest = *text;
  while (true) {
    std::size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string problem;
  if (text->find('*') != std::string::npos) {
    problem = "wildcards are not supported";
  } else if (parts.size() < 2 || parts.size() > 3) {
    problem = "expected os/arch or os/arch/variant, such as \"linux/arm64\" or \"linux/arm/v7\"";
  } else {
    for (std::string_view part : parts) {
      bool ok = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      });
      if (!ok) {
        problem = "each part must be letters, digits, '_', '-' or '.'";
        break;
      }
    }
  }
  if (!problem.empty()) {
    context.Error(field, "invalid platform " + Quoted(*text) + ": " + problem);
    return std::nullopt;
  }
  return text;
}

std::optional<std::uint64_t> ReadSize(Context& context, const Field& field) {
  constexpr std::uint64_t kMax = std::uint64_t{1} << 30;  // 1 GiB: layers are built in memory
  const std::string problem =
      "expected a size in bytes such as 4096, \"512KiB\" or \"10MB\" (at most 1GiB)";
  if (!field.value.IsScalar()) {
    context.Error(field, problem + ", got " + Context::Describe(field.value));
    return std::nullopt;
  }
  std::string_view text = field.value.Scalar();
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 9> kUnits = {{
      {"", 1},
      {"B", 1},
      {"kB", 1000},
      {"KB", 1000},
      {"MB", 1000 * 1000},
      {"GB", 1000 * 1000 * 1000},
      {"KiB", 1024},
      {"MiB", 1024 * 1024},
      {"GiB", 1024 * 1024 * 1024},
  }};
  auto found = std::find_if(kUnits.begin(), kUnits.end(),
                            [&](const auto& entry) { return entry.first == unit; });
  if (error != std::errc() || end == text.data() || found == kUnits.end() ||
      (unit.empty() && ClassifyScalar(field.value) != ScalarType::kInt) ||
      number > kMax / found->second || number * found->second > kMax) {
    context.Error(field, problem + ", got " + Context::Describe(field.value));
    return std::nullopt;
  }
  return number * found->second;
}

std::optional<std::string> ReadRepositoryGlob(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  bool ok = std::all_of(text->begin(), text->end(), [](char c) {
    return IsLowerAlnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '*' || c == '?';
  });
  if (!ok || text->front() == '/' || text->back() == '/' || text->find("//") != std::string::npos ||
      text->find("***") != std::string::npos) {
    context.Error(field, "invalid repository pattern " + Quoted(*text) +
                             ": expected a repository path such as \"team/app\" with '*' "
                             "(within a component), '**' (across components) or '?'");
    return std::nullopt;
  }
  return text;
}

std::optional<reference::Reference> ReadReference(Context& context, const Field& field,
                                                  bool allow_digest) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  auto parsed = reference::ParseNormalizedNamed(*text);
  if (!parsed) {
    context.Error(field,
                  "invalid image reference " + Quoted(*text) + ": " + parsed.error().message);
    return std::nullopt;
  }
  if (!allow_digest && !parsed->digest.empty()) {
    context.Error(field, "image reference " + Quoted(*text) +
                             " must name a tag, not a digest: the digest comes from the content");
    return std::nullopt;
  }
  if (parsed->tag.empty() && parsed->digest.empty()) parsed->tag = "latest";
  return *parsed;
}

bool IsObjectName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsLowerAlnum(c) || c == '-' || c == '.'; });
}

std::optional<std::string> ReadObjectName(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  if (!IsObjectName(*text)) {
    context.Error(field, "invalid name " + Quoted(*text) +
                             ": expected lower-case letters, digits, '-' and '.', starting and "
                             "ending with a letter or digit (at most 253 characters)");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ReadDigest(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  std::string_view hex;
  std::size_t want = 0;
  if (text->starts_with("sha256:")) {
    hex = std::string_view(*text).substr(7);
    want = 64;
  } else if (text->starts_with("sha512:")) {
    hex = std::string_view(*text).substr(7);
    want = 128;
  }
  bool ok = want != 0 && hex.size() == want && std::all_of(hex.begin(), hex.end(), [](char c) {
              return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            });
  if (!ok) {
    context.Error(field, "invalid digest " + Quoted(*text) +
                             ": expected \"sha256:\" and 64 lower-case hex digits");
    return std::nullopt;
  }
  return text;
}

std::span<const std::string_view> KnownFeatureGates() { return kFeatureGates; }

std::optional<std::map<std::string, bool>> ReadFeatureGates(Context& context, const Field& field) {
  auto map = context.FreeMap(field);
  if (!map) return std::nullopt;
  std::map<std::string, bool> gates;
  std::size_t before = context.errors();
  for (const Field& entry : map->entries()) {
    const std::string& name = entry.key.Scalar();
    if (std::find(kFeatureGates.begin(), kFeatureGates.end(), name) == kFeatureGates.end()) {
      Field at{entry.key, YAML::Node(), entry.path};
      context.UnknownWord(at, name, kFeatureGates, "feature gate");
      continue;
    }
    if (auto on = context.Bool(entry)) gates[name] = *on;
  }
  if (context.errors() != before) return std::nullopt;
  return gates;
}

std::optional<nlohmann::json> ReadJson(Context& context, const Field& field) {
  const YAML::Node& node = field.value;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nlohmann::json(nullptr);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      std::size_t i = 0;
      bool ok = true;
      for (const YAML::Node& item : node) {
        auto value = ReadJson(context, Field{YAML::Node(), item, IndexPath(field.path, i++)});
        ok = ok && value.has_value();
        if (value) array.push_back(std::move(*value));
      }
      if (!ok) return std::nullopt;
      return array;
    }
    case YAML::NodeType::Map: {
      auto map = context.FreeMap(field);
      if (!map) return std::nullopt;
      nlohmann::json object = nlohmann::json::object();
      bool ok = true;
      for (const Field& entry : map->entries()) {
        auto value = ReadJson(context, entry);
        ok = ok && value.has_value();
        if (value) object[entry.key.Scalar()] = std::move(*value);
      }
      if (!ok) return std::nullopt;
      return object;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  switch (ClassifyScalar(node)) {
    case ScalarType::kNull:
      return nlohmann::json(nullptr);
    case ScalarType::kBool:
      return nlohmann::json(text.front() == 't' || text.front() == 'T');
    case ScalarType::kInt:
    case ScalarType::kFloat: {
      // Through nlohmann's own number grammar so 10, -3 and 1.5e3 keep their JSON form.
      nlohmann::json number = nlohmann::json::parse(text, nullptr, false);
      if (number.is_discarded() || !number.is_number()) {
        context.Error(field, "the number " + text + " cannot be written as JSON; quote it");
        return std::nullopt;
      }
      return number;
    }
    case ScalarType::kString:
      return nlohmann::json(text);
    case ScalarType::kUnsupported:
      break;
  }
  context.Error(field, "YAML tag " + node.Tag() + " is not supported here");
  return std::nullopt;
}

}  // namespace pullsim::scenario::internal
