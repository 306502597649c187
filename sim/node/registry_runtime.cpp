#include "sim/node/registry_runtime.h"

#include "sim/node/kubelet_constants.h"
#include "sim/reference/reference.h"

namespace pullsim::node {
namespace {

// The CRI text of a failed pull: containerd wraps the cause, and gRPC codes other than Unknown
// keep their "rpc error" form (KUB-06).
std::string CriText(const Error& error, std::string_view reference, bool unavailable_prefix) {
  const std::string text =
      "failed to pull and unpack image " + GoQuote(reference) + ": " + error.message;
  switch (error.code) {
    case ErrorCode::kNotFound:
      return "rpc error: code = NotFound desc = " + text;
    case ErrorCode::kFailedPrecondition:
      return "rpc error: code = FailedPrecondition desc = " + text;
    case ErrorCode::kUnavailable:
      return unavailable_prefix ? "RegistryUnavailable: " + text : text;
    default:
      return text;
  }
}

Duration Seconds(double seconds) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::string RegistryHostOf(std::string_view domain) {
  if (domain == "docker.io" || domain == "index.docker.io") return "registry-1.docker.io";
  return std::string(domain);
}

RegistryRuntime::RegistryRuntime(ImageStore& store, const oci::Platform& node_platform,
                                 RegistryTransports transports, const Clock& clock,
                                 RegistryRuntimeOptions options)
    : store_(store),
      matcher_(oci::PlatformMatcher::Only(node_platform, options.platform_options)),
      transports_(std::move(transports)),
      clock_(clock),
      options_(std::move(options)) {
  // Layers the store will not keep need not be held while they arrive either.
  if (!options_.keep_layer_content) options_.client.keep_layer_bytes = false;
}

RegistryRuntime::~RegistryRuntime() = default;

RegistryClient* RegistryRuntime::ClientFor(std::string_view domain) {
  const std::string host = RegistryHostOf(domain);
  if (auto it = clients_.find(host); it != clients_.end()) return it->second.get();
  oci::RegistryTransport* transport = nullptr;
  for (std::string_view key : {domain, std::string_view(host)}) {
    if (auto it = transports_.find(key); it != transports_.end()) transport = it->second;
    if (transport != nullptr) break;
  }
  if (transport == nullptr && host == "registry-1.docker.io") {
    for (std::string_view key : {"docker.io", "index.docker.io"}) {
      if (auto it = transports_.find(key); it != transports_.end()) transport = it->second;
      if (transport != nullptr) break;
    }
  }
  if (transport == nullptr) return nullptr;
  auto client = std::make_unique<RegistryClient>(*transport, host, clock_, options_.client);
  RegistryClient* raw = client.get();
  clients_.emplace(host, std::move(client));
  return raw;
}

Result<std::string> RegistryRuntime::GetImageRef(const ImageSpec& spec) {
  const StoredImage* image = store_.Resolve(spec.image);
  return image == nullptr ? std::string() : image->id;
}

Result<std::vector<RuntimeImage>> RegistryRuntime::ListImages() { return store_.List(); }

PullAttempt RegistryRuntime::PullImage(const ImageSpec& spec, const PullCredential* credential) {
  RuntimePull& record = pulls_.emplace_back();
  record.image = spec.image;
  record.credential = credential == nullptr ? "anonymous" : credential->Describe();
  record.requested_by = spec.requested_by;
  record.started = clock_.Now();
  PullAttempt attempt;
  attempt.duration = Duration::zero();

  Result<reference::Reference> parsed = reference::ParseDockerRef(spec.image);
  if (!parsed) {
    record.error =
        "failed to parse image reference " + GoQuote(spec.image) + ": " + parsed.error().message;
    attempt.result = Fail(ErrorCode::kInvalidArgument, record.error);
    return attempt;
  }
  record.reference = parsed->String();
  record.host = RegistryHostOf(parsed->domain);
  const std::string in_repository = parsed->digest.empty() ? parsed->tag : parsed->digest;

  const Timestamp wire_start =
      options_.wire_clock != nullptr ? options_.wire_clock->Now() : Timestamp{};
  PullSession session;
  session.reference = record.reference;
  session.repository = parsed->path;
  session.credential = credential;

  auto finish = [&](Result<PulledImage> result) {
    record.exchanges = std::move(session.exchanges);
    record.bytes_received = session.bytes_received;
    bytes_received_ += session.bytes_received;
    attempt.duration =
        options_.round_trip_latency * session.round_trips +
        Seconds(static_cast<double>(session.bytes_received) / options_.bytes_per_second);
    if (options_.wire_clock != nullptr) attempt.duration += options_.wire_clock->Now() - wire_start;
    record.duration = attempt.duration;
    if (result) {
      record.ok = true;
      record.image_ref = result->image_ref;
    } else {
      record.error = result.error().message;
    }
    attempt.result = std::move(result);
    return attempt;
  };

  RegistryClient* client = ClientFor(parsed->domain);
  if (client == nullptr) {
    // No transport serves the host: what a node sees when the name does not resolve.
    const Error unreachable{ErrorCode::kUnavailable,
                            "failed to resolve reference " + GoQuote(record.reference) +
                                ": failed to do request: Get " +
                                GoQuote("https://" + record.host + "/v2/" + parsed->path +
                                        "/manifests/" + in_repository) +
                                ": dial tcp: lookup " + record.host + ": no such host",
                            {}};
    return finish(Fail(ErrorCode::kUnavailable, CriText(unreachable, record.reference,
                                                        options_.registry_unavailable_prefix)));
  }

  auto has_blob = [this](std::string_view digest) {
    return store_.HasLayer(digest) || store_.FindById(digest) != nullptr;
  };
  Result<PulledContent> pulled = client->Pull(session, in_repository, matcher_, has_blob);
  if (!pulled) {
    const ErrorCode code = pulled.error().code;
    return finish(std::unexpected(
        Error{code,
              CriText(pulled.error(), record.reference, options_.registry_unavailable_prefix),
              {}}));
  }
  record.root_digest = pulled->root.digest.str();
  if (pulled->index) record.index_digest = pulled->index->digest.str();
  record.manifest_digest = pulled->manifest_descriptor.digest.str();
  if (pulled->platform) record.platform = oci::FormatPlatform(*pulled->platform);
  record.blob_bytes = pulled->blob_bytes;
  blob_bytes_ += pulled->blob_bytes;

  // Everything verified: now the store takes it (nothing was kept before this point).
  StoredImage stored;
  stored.id = pulled->manifest.config.digest.str();
  stored.config_digest = stored.id;
  stored.config_size = static_cast<std::uint64_t>(pulled->manifest.config.size);
  for (PulledContent::Layer& layer : pulled->layers) {
    const std::string digest = layer.descriptor.digest.str();
    stored.layers.push_back(digest);
    if (!layer.fetched) {
      ++record.layers_present;
      continue;
    }
    ++record.layers_fetched;
    std::shared_ptr<const std::string> content;
    if (options_.keep_layer_content) {
      content = layer.bytes.is_whole_buffer()
                    ? layer.bytes.buffer()
                    : std::make_shared<const std::string>(layer.bytes.view());
    }
    store_.PutLayer(digest, layer.size, std::move(content));
  }
  if (!parsed->tag.empty()) stored.repo_tags.push_back(parsed->Name() + ":" + parsed->tag);
  stored.repo_digests.push_back(parsed->Name() + "@" + record.root_digest);
  const std::string id = stored.id;
  if (Result<void> added = store_.AddImage(std::move(stored)); !added) {
    return finish(std::unexpected(added.error()));
  }
  return finish(PulledImage{id, store_.ImageSize(*store_.FindById(id))});
}

}  // namespace pullsim::node
