#pragma once
// Test-only helpers shared by the registry's unit tests and the registry API suite: requests as
// values, small images (config, layer, manifest, index), and pushing them through any
// RegistryTransport the way a client does (POST + PUT ?digest=, then PUT manifest).

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/oci/digest.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::registry::testing {

using oci::HttpMethod;
using oci::RegistryEndpoint;

inline oci::RegistryRequest Request(HttpMethod method, RegistryEndpoint endpoint,
                                    std::string repository = {}, std::string reference = {}) {
  oci::RegistryRequest request;
  request.method = method;
  request.endpoint = endpoint;
  request.repository = std::move(repository);
  request.reference = std::move(reference);
  return request;
}

// Follows a Location header: absolute or path.
inline oci::RegistryRequest FollowLocation(HttpMethod method, std::string_view location) {
  oci::RegistryRequest request;
  request.method = method;
  request.endpoint = RegistryEndpoint::kUploadSession;
  request.url = std::string(location);
  return request;
}

inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

struct Blob {
  std::string bytes;
  oci::Digest digest;
};

inline Blob MakeBlob(std::string bytes) {
  Blob blob{std::move(bytes), {}};
  blob.digest = oci::Digest::Sha256Of(blob.bytes);
  return blob;
}

inline nlohmann::json Descriptor(std::string_view media_type, const Blob& blob) {
  return {{"mediaType", media_type}, {"digest", blob.digest.str()}, {"size", blob.bytes.size()}};
}

// A single-platform image: config + layers + manifest.
struct Image {
  Blob config;
  std::vector<Blob> layers;
  Blob manifest;
};

inline Image MakeImage(std::string_view seed, std::string_view architecture = "amd64",
                       std::size_t layer_size = 64,
                       const std::optional<Blob>& subject = std::nullopt,
                       std::string_view artifact_type = {}) {
  Image image;
  image.config = MakeBlob(nlohmann::json{{"architecture", architecture},
                                         {"os", "linux"},
                                         {"rootfs", {{"type", "layers"}, {"diff_ids", {}}}},
                                         {"config", {{"Labels", {{"seed", seed}}}}}}
                              .dump());
  std::string layer;
  layer.reserve(layer_size);
  for (std::size_t i = 0; i < layer_size; ++i) {
    layer.push_back(static_cast<char>('a' + (i + seed.size()) % 26));
  }
  layer.replace(0, std::min(seed.size(), layer.size()), seed.substr(0, layer.size()));
  image.layers.push_back(MakeBlob(std::move(layer)));
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", kOciManifest},
                             {"config", Descriptor(kOciConfig, image.config)},
                             {"layers", nlohmann::json::array()}};
  for (const Blob& l : image.layers) manifest["layers"].push_back(Descriptor(kOciLayer, l));
  if (subject) manifest["subject"] = Descriptor(kOciManifest, *subject);
  if (!artifact_type.empty()) manifest["artifactType"] = artifact_type;
  image.manifest = MakeBlob(manifest.dump());
  return image;
}

inline Blob MakeIndex(const std::vector<std::pair<const Image*, std::string>>& entries) {
  nlohmann::json index = {
      {"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", nlohmann::json::array()}};
  for (const auto& [image, architecture] : entries) {
    nlohmann::json d = Descriptor(kOciManifest, image->manifest);
    d["platform"] = {{"os", "linux"}, {"architecture", architecture}};
    index["manifests"].push_back(std::move(d));
  }
  return MakeBlob(index.dump());
}

// Sends `request` with `headers` added (e.g. Authorization); fails the test on transport errors.
inline oci::RegistryResponse Send(oci::RegistryTransport& transport, oci::RegistryRequest request,
                                  const oci::HttpHeaders& headers = {}) {
  for (const oci::HttpHeader& h : headers.entries()) request.headers.Add(h.name, h.value);
  auto response = transport.RoundTrip(request);
  EXPECT_TRUE(response.has_value()) << (response ? "" : response.error().ToString());
  if (!response) return {};
  return std::move(*response);
}

// POST + PUT ?digest= (the common two-step monolithic upload). Returns the final response.
inline oci::RegistryResponse PushBlob(oci::RegistryTransport& transport,
                                      const std::string& repository, const Blob& blob,
                                      const oci::HttpHeaders& headers = {}) {
  oci::RegistryResponse start = Send(
      transport, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repository), headers);
  if (start.status != 202) return start;
  auto location = start.headers.Get("Location");
  EXPECT_TRUE(location.has_value());
  if (!location) return start;
  oci::RegistryRequest put = FollowLocation(HttpMethod::kPut, *location);
  put.query.emplace_back("digest", blob.digest.str());
  put.headers.Set("Content-Type", "application/octet-stream");
  put.body = oci::SharedBytes(blob.bytes);
  return Send(transport, std::move(put), headers);
}

inline oci::RegistryResponse PushManifest(oci::RegistryTransport& transport,
                                          const std::string& repository,
                                          const std::string& reference, const Blob& manifest,
                                          std::string_view media_type,
                                          const oci::HttpHeaders& headers = {}) {
  oci::RegistryRequest put =
      Request(HttpMethod::kPut, RegistryEndpoint::kManifest, repository, reference);
  put.headers.Set("Content-Type", std::string(media_type));
  put.body = oci::SharedBytes(manifest.bytes);
  return Send(transport, std::move(put), headers);
}

// Pushes an image's blobs and manifest under `tag`; EXPECTs every step to succeed.
inline void PushImage(oci::RegistryTransport& transport, const std::string& repository,
                      const Image& image, const std::string& tag,
                      const oci::HttpHeaders& headers = {}) {
  EXPECT_EQ(PushBlob(transport, repository, image.config, headers).status, 201);
  for (const Blob& layer : image.layers) {
    EXPECT_EQ(PushBlob(transport, repository, layer, headers).status, 201);
  }
  EXPECT_EQ(PushManifest(transport, repository, tag, image.manifest, kOciManifest, headers).status,
            201);
}

inline std::string FirstErrorCode(const oci::RegistryResponse& response) {
  return response.errors.empty() ? std::string() : response.errors.front().code;
}

}  // namespace pullsim::registry::testing
