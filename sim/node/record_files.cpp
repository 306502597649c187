#include "sim/node/record_files.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "sim/core/go_json.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/node_filesystem.h"
#include "sim/oci/digest.h"

namespace pullsim::node {
namespace {

using Json = nlohmann::json;

// ---- Go encoding/json ----

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  AppendGoJsonString(out, name);
  out += ':';
  AppendGoJsonString(out, value);
}

void AppendCredentials(std::string& out, const ImagePullCredentials& creds, bool v1alpha1) {
  out += '{';
  bool first = true;
  auto separator = [&] {
    if (!first) out += ',';
    first = false;
  };
  if (!creds.kubernetes_secrets.empty() || v1alpha1) {
    separator();
    out += "\"kubernetesSecrets\":";
    if (creds.kubernetes_secrets.empty()) {
      out += "null";
    } else {
      out += '[';
      for (std::size_t i = 0; i < creds.kubernetes_secrets.size(); ++i) {
        const ImagePullSecret& s = creds.kubernetes_secrets[i];
        if (i > 0) out += ',';
        out += '{';
        AppendField(out, "uid", s.uid);
        out += ',';
        AppendField(out, "namespace", s.namespace_name);
        out += ',';
        AppendField(out, "name", s.name);
        out += ',';
        AppendField(out, "credentialHash", s.credential_hash);
        out += '}';
      }
      out += ']';
    }
  }
  if (!creds.kubernetes_service_accounts.empty()) {
    separator();
    out += "\"kubernetesServiceAccounts\":[";
    for (std::size_t i = 0; i < creds.kubernetes_service_accounts.size(); ++i) {
      const ImagePullServiceAccount& a = creds.kubernetes_service_accounts[i];
      if (i > 0) out += ',';
      out += '{';
      AppendField(out, "uid", a.uid);
      out += ',';
      AppendField(out, "namespace", a.namespace_name);
      out += ',';
      AppendField(out, "name", a.name);
      out += '}';
    }
    out += ']';
  }
  if (creds.node_pods_accessible) {
    separator();
    out += "\"nodePodsAccessible\":true";
  }
  out += '}';
}

// ---- Strict decoding ----

Error DecodeError(std::string_view what, std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::string(what) + ": " + std::move(message), ""};
}

// Fails on a member of `object` not in `allowed`, as the kubelet's strict decoder does.
Result<void> RejectUnknownFields(const Json& object,
                                 std::initializer_list<std::string_view> allowed,
                                 std::string_view what) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      return std::unexpected(
          DecodeError(what, "strict decoding error: unknown field " + GoQuote(item.key())));
    }
  }
  return {};
}

Result<std::string> StringField(const Json& object, std::string_view field, std::string_view what,
                                bool required) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) {
      return std::unexpected(DecodeError(what, "missing field " + GoQuote(field)));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return std::unexpected(DecodeError(what, "field " + GoQuote(field) + " must be a string"));
  }
  return it->get<std::string>();
}

Result<Json> ParseObject(std::string_view bytes, std::string_view kind) {
  Json json = Json::parse(bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return std::unexpected(DecodeError(kind, "not a JSON object"));
  }
  Result<std::string> found_kind = StringField(json, "kind", kind, true);
  if (!found_kind) return std::unexpected(found_kind.error());
  if (*found_kind != kind) {
    return std::unexpected(DecodeError(kind, "kind is " + GoQuote(*found_kind)));
  }
  Result<std::string> version = StringField(json, "apiVersion", kind, true);
  if (!version) return std::unexpected(version.error());
  if (*version != kKubeletConfigV1beta1 && *version != kKubeletConfigV1alpha1) {
    return std::unexpected(DecodeError(kind, "apiVersion " + GoQuote(*version) + " is not " +
                                                 std::string(kKubeletConfigV1beta1) + " or " +
                                                 std::string(kKubeletConfigV1alpha1)));
  }
  return json;
}

Result<ImagePullCredentials> DecodeCredentials(const Json& json, std::string_view what) {
  if (!json.is_object()) return std::unexpected(DecodeError(what, "must be an object"));
  if (auto ok = RejectUnknownFields(
          json, {"kubernetesSecrets", "kubernetesServiceAccounts", "nodePodsAccessible"}, what);
      !ok) {
    return std::unexpected(ok.error());
  }
  ImagePullCredentials creds;
  if (auto it = json.find("nodePodsAccessible"); it != json.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return std::unexpected(DecodeError(what, "nodePodsAccessible must be a boolean"));
    }
    creds.node_pods_accessible = it->get<bool>();
  }
  for (std::string_view list : {"kubernetesSecrets", "kubernetesServiceAccounts"}) {
    auto it = json.find(list);
    if (it == json.end() || it->is_null()) continue;
    if (!it->is_array()) {
      return std::unexpected(DecodeError(what, std::string(list) + " must be a list"));
    }
    const bool secrets = list == "kubernetesSecrets";
    for (const Json& entry : *it) {
      const std::string entry_what = std::string(what) + "." + std::string(list);
      if (!entry.is_object()) return std::unexpected(DecodeError(entry_what, "must be an object"));
      auto checked = secrets
                         ? RejectUnknownFields(
                               entry, {"uid", "namespace", "name", "credentialHash"}, entry_what)
                         : RejectUnknownFields(entry, {"uid", "namespace", "name"}, entry_what);
      if (!checked) return std::unexpected(checked.error());
      Result<std::string> uid = StringField(entry, "uid", entry_what, false);
      Result<std::string> ns = StringField(entry, "namespace", entry_what, false);
      Result<std::string> name = StringField(entry, "name", entry_what, false);
      Result<std::string> hash = StringField(entry, "credentialHash", entry_what, false);
      for (const Result<std::string>* field : {&uid, &ns, &name, &hash}) {
        if (!*field) return std::unexpected(field->error());
      }
      if (secrets) {
        creds.kubernetes_secrets.push_back({*uid, *ns, *name, *hash});
      } else {
        creds.kubernetes_service_accounts.push_back({*uid, *ns, *name});
      }
    }
  }
  return creds;
}

bool TakeDigits(std::string_view& text, std::size_t count, int& value) {
  if (text.size() < count) return false;
  for (std::size_t i = 0; i < count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data(), text.data() + count, value);
  text.remove_prefix(count);
  return true;
}

bool TakeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

std::string GoJsonString(std::string_view text) {
  std::string out;
  AppendGoJsonString(out, text);
  return out;
}

std::string CacheFileName(std::string_view key) {
  return std::string(kCacheFilePrefix) + std::string(oci::Digest::Sha256Of(key).hex());
}

std::string PullingDirectory(std::string_view root_dir) {
  return JoinPath(JoinPath(root_dir, kImageManagerDir), kPullingDir);
}

std::string PulledDirectory(std::string_view root_dir) {
  return JoinPath(JoinPath(root_dir, kImageManagerDir), kPulledDir);
}

bool IsCacheFileName(std::string_view name) {
  return name.starts_with(kCacheFilePrefix) && !name.ends_with(kTmpFileSuffix);
}

std::string EncodePullIntent(const ImagePullIntent& intent, std::string_view api_version) {
  std::string out = "{";
  AppendField(out, "kind", kPullIntentKind);
  out += ',';
  AppendField(out, "apiVersion", api_version);
  out += ',';
  AppendField(out, "image", intent.image);
  out += "}\n";
  return out;
}

std::string EncodePulledRecord(const ImagePulledRecord& record, std::string_view api_version) {
  const bool v1alpha1 = api_version == kKubeletConfigV1alpha1;
  std::string out = "{";
  AppendField(out, "kind", kPulledRecordKind);
  out += ',';
  AppendField(out, "apiVersion", api_version);
  out += ',';
  AppendField(out, "lastUpdatedTime", FormatRecordTime(record.last_updated_time));
  out += ',';
  AppendField(out, "imageRef", record.image_ref);
  if (!record.credential_mapping.empty()) {
    out += ",\"credentialMapping\":{";
    bool first = true;
    for (const auto& [repository, creds] : record.credential_mapping) {  // std::map: sorted
      if (!first) out += ',';
      first = false;
      AppendGoJsonString(out, repository);
      out += ':';
      AppendCredentials(out, creds, v1alpha1);
    }
    out += '}';
  }
  out += "}\n";
  return out;
}

Result<ImagePullIntent> DecodePullIntent(std::string_view bytes) {
  Result<Json> json = ParseObject(bytes, kPullIntentKind);
  if (!json) return std::unexpected(json.error());
  if (auto ok = RejectUnknownFields(*json, {"kind", "apiVersion", "image"}, kPullIntentKind); !ok) {
    return std::unexpected(ok.error());
  }
  Result<std::string> image = StringField(*json, "image", kPullIntentKind, false);
  if (!image) return std::unexpected(image.error());
  return ImagePullIntent{*image};
}

Result<ImagePulledRecord> DecodePulledRecord(std::string_view bytes) {
  Result<Json> json = ParseObject(bytes, kPulledRecordKind);
  if (!json) return std::unexpected(json.error());
  if (auto ok = RejectUnknownFields(
          *json, {"kind", "apiVersion", "lastUpdatedTime", "imageRef", "credentialMapping"},
          kPulledRecordKind);
      !ok) {
    return std::unexpected(ok.error());
  }
  ImagePulledRecord record;
  Result<std::string> time = StringField(*json, "lastUpdatedTime", kPulledRecordKind, false);
  if (!time) return std::unexpected(time.error());
  if (!time->empty()) {
    Result<Timestamp> parsed = ParseRecordTime(*time);
    if (!parsed) return std::unexpected(DecodeError(kPulledRecordKind, parsed.error().message));
    record.last_updated_time = *parsed;
  }
  Result<std::string> image_ref = StringField(*json, "imageRef", kPulledRecordKind, false);
  if (!image_ref) return std::unexpected(image_ref.error());
  record.image_ref = *image_ref;
  if (auto it = json->find("credentialMapping"); it != json->end() && !it->is_null()) {
    if (!it->is_object()) {
      return std::unexpected(DecodeError(kPulledRecordKind, "credentialMapping must be an object"));
    }
    for (const auto& item : it->items()) {
      Result<ImagePullCredentials> creds =
          DecodeCredentials(item.value(), "credentialMapping[" + GoQuote(item.key()) + "]");
      if (!creds) return std::unexpected(creds.error());
      record.credential_mapping.emplace(item.key(), *std::move(creds));
    }
  }
  return record;
}

std::string FormatRecordTime(Timestamp time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss clock{seconds - days};
  auto two = [](long value) {
    std::string text = std::to_string(value);
    return text.size() < 2 ? "0" + text : text;
  };
  std::string year = std::to_string(static_cast<int>(date.year()));
  while (year.size() < 4) year.insert(year.begin(), '0');
  return year + "-" + two(static_cast<unsigned>(date.month())) + "-" +
         two(static_cast<unsigned>(date.day())) + "T" + two(clock.hours().count()) + ":" +
         two(clock.minutes().count()) + ":" + two(clock.seconds().count()) + "Z";
}

Result<Timestamp> ParseRecordTime(std::string_view text) {
  std::string_view rest = text;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool ok = TakeDigits(rest, 4, year) && TakeChar(rest, '-') && TakeDigits(rest, 2, month) &&
            TakeChar(rest, '-') && TakeDigits(rest, 2, day) &&
            (TakeChar(rest, 'T') || TakeChar(rest, 't')) && TakeDigits(rest, 2, hour) &&
            TakeChar(rest, ':') && TakeDigits(rest, 2, minute) && TakeChar(rest, ':') &&
            TakeDigits(rest, 2, second);
  Duration fraction{};
  if (ok && TakeChar(rest, '.')) {
    std::int64_t nanos = 0;
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (rest.front() - '0');
        ++digits;
      }
      rest.remove_prefix(1);
    }
    ok = digits > 0;
    for (; digits < 9; ++digits) nanos *= 10;
    fraction = Duration(nanos);
  }
  int offset_minutes = 0;
  if (ok && !(TakeChar(rest, 'Z') || TakeChar(rest, 'z'))) {
    const int sign = TakeChar(rest, '+') ? 1 : TakeChar(rest, '-') ? -1 : 0;
    int oh = 0, om = 0;
    ok = sign != 0 && TakeDigits(rest, 2, oh) && TakeChar(rest, ':') && TakeDigits(rest, 2, om);
    offset_minutes = sign * (oh * 60 + om);
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  ok = ok && rest.empty() && date.ok() && hour < 24 && minute < 60 && second < 61;
  if (!ok) {
    return Fail(ErrorCode::kInvalidArgument,
                "time " + GoQuote(text) + ": expected RFC 3339, e.g. \"2024-10-21T12:26:40Z\"");
  }
  const auto local = std::chrono::sys_days{date} + std::chrono::hours{hour} +
                     std::chrono::minutes{minute} + std::chrono::seconds{second};
  return Timestamp(std::chrono::duration_cast<Duration>(local.time_since_epoch()) + fraction -
                   std::chrono::minutes{offset_minutes});
}

}  // namespace pullsim::node
