#include "sim/scenario/external_registry.h"

#include <utility>

#include "sim/core/base64.h"

namespace pullsim::scenario {
namespace {

// Who the request says it is: the Basic user, the user of a token request's password grant
// (a form: grant_type=password&username=...), "bearer" for a token (its subject is the
// registry's secret), "anonymous" without credentials.
std::string IdentityOf(const oci::RegistryRequest& request) {
  if (request.endpoint == oci::RegistryEndpoint::kToken &&
      request.method == oci::HttpMethod::kPost) {
    for (auto& [key, value] : oci::DecodeForm(request.body.view())) {
      if (key == "username") return std::move(value);
    }
  }
  std::optional<std::string_view> authorization = request.headers.Get("Authorization");
  if (!authorization) return "anonymous";
  if (authorization->starts_with("Basic ")) {
    Result<std::string> decoded = DecodeBase64(authorization->substr(6));
    if (decoded) return decoded->substr(0, decoded->find(':'));
  }
  if (authorization->starts_with("Bearer ")) return "bearer";
  return "unknown";
}

}  // namespace

ExternalRegistryTransport::ExternalRegistryTransport(std::unique_ptr<registry::HttpTransport> http,
                                                     registry::RequestLog& log, const Clock& clock,
                                                     std::string client)
    : http_(std::move(http)), log_(log), clock_(clock), client_(std::move(client)) {}

Result<std::unique_ptr<ExternalRegistryTransport>> ExternalRegistryTransport::Create(
    const std::string& base_url, registry::HttpTransportOptions options, registry::RequestLog& log,
    const Clock& clock, std::string client) {
  Result<std::unique_ptr<registry::HttpTransport>> http =
      registry::HttpTransport::Create(base_url, options);
  if (!http) return std::unexpected(http.error());
  return std::unique_ptr<ExternalRegistryTransport>(
      new ExternalRegistryTransport(*std::move(http), log, clock, std::move(client)));
}

Result<oci::RegistryResponse> ExternalRegistryTransport::RoundTrip(
    const oci::RegistryRequest& request) {
  Result<oci::RegistryResponse> response = http_->RoundTrip(request);
  registry::RequestLogEntry entry;
  entry.time = clock_.Now();
  entry.client = client_;
  entry.identity = IdentityOf(request);
  entry.method = std::string(oci::HttpMethodName(request.method));
  entry.path = oci::RequestTarget(request);
  entry.endpoint = request.endpoint;
  if (request.url.empty()) {
    entry.repository = request.repository;
    entry.reference = request.reference;
  }
  entry.request_bytes = request.body.size();
  if (response) {
    entry.status = response->status;
    // A body streamed to the request's sink (layers hashed as they arrive) is counted there.
    entry.response_bytes = response->body.size() + response->streamed_bytes;
    if (!response->errors.empty()) entry.error_code = response->errors.front().code;
  } else {
    entry.fault = response.error().message;  // no answer: what the connection did instead
  }
  log_.Record(std::move(entry));
  return response;
}

Result<void> CheckRegistryAnswers(const std::string& base_url,
                                  registry::HttpTransportOptions options) {
  Result<std::unique_ptr<registry::HttpTransport>> http =
      registry::HttpTransport::Create(base_url, options);
  if (!http) return std::unexpected(http.error());
  oci::RegistryRequest ping;
  ping.method = oci::HttpMethod::kGet;
  ping.endpoint = oci::RegistryEndpoint::kPing;
  Result<oci::RegistryResponse> answer = (*http)->RoundTrip(ping);
  if (!answer) {
    return Fail(ErrorCode::kUnavailable,
                "registry " + base_url + " does not answer GET /v2/: " + answer.error().message);
  }
  if (answer->status != 200 && answer->status != 401) {
    return Fail(ErrorCode::kFailedPrecondition,
                "registry " + base_url + " answers GET /v2/ with " +
                    std::to_string(answer->status) +
                    "; a registry answers 200, or 401 with a challenge (distribution-spec)");
  }
  return {};
}

}  // namespace pullsim::scenario
