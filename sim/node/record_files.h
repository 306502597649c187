#pragma once
// KEP-2535 records on disk (KEP2535-06): file names under <root-dir>/image_manager, the JSON the
// kubelet writes byte for byte, and strict reading of either API version.

#include <string>
#include <string_view>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/node/pull_records.h"

namespace pullsim::node {

// "sha256-<hex sha256 of key>": key is the image string (intents) or the imageRef (records).
[[nodiscard]] std::string CacheFileName(std::string_view key);
// <root>/image_manager/pulling and <root>/image_manager/pulled.
[[nodiscard]] std::string PullingDirectory(std::string_view root_dir);
[[nodiscard]] std::string PulledDirectory(std::string_view root_dir);
// True for names the kubelet reads back: "sha256-…" and not "….tmp".
[[nodiscard]] bool IsCacheFileName(std::string_view name);

// The JSON the kubelet writes (Go encoding/json: fields in struct order, map keys sorted, Go's
// string escaping, a trailing newline). `api_version` is kubelet.config.k8s.io/v1beta1 (v1.35)
// or v1alpha1 (v1.33–v1.34, which also wrote "kubernetesSecrets":null when unused).
[[nodiscard]] std::string EncodePullIntent(const ImagePullIntent& intent,
                                           std::string_view api_version);
[[nodiscard]] std::string EncodePulledRecord(const ImagePulledRecord& record,
                                             std::string_view api_version);

// Strict reading: either API version, kind checked, unknown fields and wrong types rejected.
// kInvalidArgument naming the field and what was expected.
[[nodiscard]] Result<ImagePullIntent> DecodePullIntent(std::string_view bytes);
[[nodiscard]] Result<ImagePulledRecord> DecodePulledRecord(std::string_view bytes);

// `text` as Go's encoding/json writes a string: quoted, <, > and & as \u003c…, control
// characters escaped, invalid UTF-8 as \ufffd.
[[nodiscard]] std::string GoJsonString(std::string_view text);

// RFC 3339 as metav1.Time writes it: UTC, whole seconds ("2024-10-21T12:26:40Z").
[[nodiscard]] std::string FormatRecordTime(Timestamp time);
// RFC 3339 with optional fraction and "Z" or ±hh:mm; kInvalidArgument otherwise.
[[nodiscard]] Result<Timestamp> ParseRecordTime(std::string_view text);

}  // namespace pullsim::node
