#include "sim/oci/image_config.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "sim/oci/internal/json.h"

namespace pullsim::oci {

using internal::Fields;
using nlohmann::json;

Platform ImageConfig::platform() const {
  Platform out;
  out.os = os;
  out.architecture = architecture;
  out.variant = variant;
  out.os_version = os_version;
  out.os_features = os_features;
  return out;
}

Result<ImageConfig> ParseImageConfig(std::string_view bytes) {
  auto document = internal::ParseStrictJson(bytes, "image config");
  if (!document) return std::unexpected(document.error());
  auto fields = Fields::Of(*document, "");
  if (!fields) return std::unexpected(fields.error());

  ImageConfig config;
  auto architecture = fields->String("architecture");
  if (!architecture) return std::unexpected(architecture.error());
  config.architecture = std::move(*architecture);
  auto os = fields->String("os");
  if (!os) return std::unexpected(os.error());
  config.os = std::move(*os);
  auto variant = fields->OptionalString("variant");
  if (!variant) return std::unexpected(variant.error());
  config.variant = variant->value_or("");
  auto os_version = fields->OptionalString("os.version");
  if (!os_version) return std::unexpected(os_version.error());
  config.os_version = os_version->value_or("");
  auto os_features = fields->OptionalStringArray("os.features");
  if (!os_features) return std::unexpected(os_features.error());
  config.os_features = std::move(*os_features);
  auto created = fields->OptionalString("created");
  if (!created) return std::unexpected(created.error());
  config.created = std::move(*created);
  auto author = fields->OptionalString("author");
  if (!author) return std::unexpected(author.error());
  config.author = std::move(*author);

  auto execution = fields->Object("config", /*required=*/false);
  if (!execution) return std::unexpected(execution.error());
  if (*execution != nullptr) {
    auto exec = Fields::Of(**execution, "config");
    if (!exec) return std::unexpected(exec.error());
    auto env = exec->OptionalStringArray("Env");
    if (!env) return std::unexpected(env.error());
    config.env = std::move(*env);
    auto entrypoint = exec->OptionalStringArray("Entrypoint");
    if (!entrypoint) return std::unexpected(entrypoint.error());
    config.entrypoint = std::move(*entrypoint);
    auto cmd = exec->OptionalStringArray("Cmd");
    if (!cmd) return std::unexpected(cmd.error());
    config.cmd = std::move(*cmd);
    auto working_dir = exec->OptionalString("WorkingDir");
    if (!working_dir) return std::unexpected(working_dir.error());
    config.working_dir = working_dir->value_or("");
    auto user = exec->OptionalString("User");
    if (!user) return std::unexpected(user.error());
    config.user = user->value_or("");
    auto labels = exec->OptionalStringMap("Labels");
    if (!labels) return std::unexpected(labels.error());
    config.labels = std::move(*labels);
  }

  auto rootfs_value = fields->Object("rootfs", /*required=*/true);
  if (!rootfs_value) return std::unexpected(rootfs_value.error());
  auto rootfs = Fields::Of(**rootfs_value, "rootfs");
  if (!rootfs) return std::unexpected(rootfs.error());
  auto type = rootfs->String("type");
  if (!type) return std::unexpected(type.error());
  if (*type != "layers") {
    return Fail(ErrorCode::kInvalidArgument, "must be \"layers\", got " + internal::Quote(*type),
                rootfs->Path("type"));
  }
  auto diff_ids = rootfs->OptionalStringArray("diff_ids");
  if (!diff_ids) return std::unexpected(diff_ids.error());
  for (std::size_t i = 0; i < diff_ids->size(); ++i) {
    auto digest = Digest::Parse((*diff_ids)[i]);
    if (!digest) {
      Error error = digest.error();
      error.where = internal::JoinPath(rootfs->Path("diff_ids"), i);
      return std::unexpected(std::move(error));
    }
    config.diff_ids.push_back(std::move(*digest));
  }

  config.raw = std::string(bytes);
  return config;
}

std::string SerializeImageConfig(const ImageConfig& config) {
  json out = json::object();
  out["architecture"] = config.architecture;
  out["os"] = config.os;
  if (!config.variant.empty()) out["variant"] = config.variant;
  if (!config.os_version.empty()) out["os.version"] = config.os_version;
  if (!config.os_features.empty()) out["os.features"] = config.os_features;
  if (config.created) out["created"] = *config.created;
  if (config.author) out["author"] = *config.author;
  json execution = json::object();
  if (!config.env.empty()) execution["Env"] = config.env;
  if (!config.entrypoint.empty()) execution["Entrypoint"] = config.entrypoint;
  if (!config.cmd.empty()) execution["Cmd"] = config.cmd;
  if (!config.working_dir.empty()) execution["WorkingDir"] = config.working_dir;
  if (!config.user.empty()) execution["User"] = config.user;
  if (!config.labels.empty()) execution["Labels"] = config.labels;
  if (!execution.empty()) out["config"] = std::move(execution);
  json diff_ids = json::array();
  for (const Digest& diff_id : config.diff_ids) diff_ids.push_back(diff_id.str());
  out["rootfs"] = json{{"type", "layers"}, {"diff_ids", std::move(diff_ids)}};
  return out.dump();
}

}  // namespace pullsim::oci
