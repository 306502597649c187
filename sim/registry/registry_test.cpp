// The registry's Distribution API through the in-process front: pull, push, discovery,
// management, bad requests, faults, rate limit and the request log.
#include "sim/registry/registry.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/registry/in_process_transport.h"
#include "sim/registry/testing_helpers.h"

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

class RegistryTest : public ::testing::Test {
 protected:
  explicit RegistryTest(RegistryOptions options = {})
      : registry_(clock_, std::move(options)), transport_(registry_, "node-a") {}

  oci::RegistryResponse Get(RegistryEndpoint endpoint, std::string repository,
                            std::string reference = {}, HttpMethod method = HttpMethod::kGet) {
    return Send(transport_, Request(method, endpoint, std::move(repository), std::move(reference)));
  }

  VirtualClock clock_;
  Registry registry_;
  InProcessTransport transport_;
};

TEST_F(RegistryTest, PingAnswersWithTheApiVersion) {
  auto response = Get(RegistryEndpoint::kPing, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.Get("Docker-Distribution-API-Version"), "registry/2.0");
}

TEST_F(RegistryTest, PushedImagePullsByTagAndDigest) {
  const Image image = MakeImage("pull");
  PushImage(transport_, "team/app", image, "1.0");

  auto by_tag = Get(RegistryEndpoint::kManifest, "team/app", "1.0");
  ASSERT_EQ(by_tag.status, 200);
  EXPECT_EQ(by_tag.body.view(), image.manifest.bytes);
  EXPECT_EQ(by_tag.headers.Get("Content-Type"), kOciManifest);
  EXPECT_EQ(by_tag.headers.Get("Docker-Content-Digest"), image.manifest.digest.str());

  auto by_digest = Get(RegistryEndpoint::kManifest, "team/app", image.manifest.digest.str());
  EXPECT_EQ(by_digest.status, 200);
  EXPECT_EQ(by_digest.body.view(), image.manifest.bytes);

  auto head = Get(RegistryEndpoint::kManifest, "team/app", "1.0", HttpMethod::kHead);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers.Get("Content-Length"), std::to_string(image.manifest.bytes.size()));

  auto layer = Get(RegistryEndpoint::kBlob, "team/app", image.layers[0].digest.str());
  EXPECT_EQ(layer.status, 200);
  EXPECT_EQ(layer.body.view(), image.layers[0].bytes);
  EXPECT_EQ(layer.headers.Get("Docker-Content-Digest"), image.layers[0].digest.str());
}

TEST_F(RegistryTest, BlobBytesAreSharedNotCopied) {
  const Blob blob = MakeBlob(std::string(1 << 16, 'x'));
  EXPECT_EQ(PushBlob(transport_, "app", blob).status, 201);
  auto first = Get(RegistryEndpoint::kBlob, "app", blob.digest.str());
  auto second = Get(RegistryEndpoint::kBlob, "app", blob.digest.str());
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body.data(), second.body.data());
  EXPECT_EQ(first.body.buffer(), registry_.store().FindBlob(blob.digest)->buffer());
}

TEST_F(RegistryTest, UnknownContentIsReportedWithSpecCodes) {
  PushImage(transport_, "app", MakeImage("x"), "1");
  auto manifest = Get(RegistryEndpoint::kManifest, "app", "nope");
  EXPECT_EQ(manifest.status, 404);
  EXPECT_EQ(FirstErrorCode(manifest), "MANIFEST_UNKNOWN");
  const std::string digest = MakeBlob("absent").digest.str();
  auto blob = Get(RegistryEndpoint::kBlob, "app", digest);
  EXPECT_EQ(blob.status, 404);
  EXPECT_EQ(FirstErrorCode(blob), "BLOB_UNKNOWN");
  auto tags = Get(RegistryEndpoint::kTags, "unknown/repo");
  EXPECT_EQ(tags.status, 404);
  EXPECT_EQ(FirstErrorCode(tags), "NAME_UNKNOWN");
}

TEST_F(RegistryTest, BlobRangesFollowRfc9110) {
  const Blob blob = MakeBlob("0123456789");
  ASSERT_EQ(PushBlob(transport_, "app", blob).status, 201);
  auto ranged = [&](std::string range) {
    auto request = Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", blob.digest.str());
    request.headers.Set("Range", std::move(range));
    return Send(transport_, request);
  };
  auto middle = ranged("bytes=2-5");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.body.view(), "2345");
  EXPECT_EQ(middle.headers.Get("Content-Range"), "bytes 2-5/10");
  auto open_end = ranged("bytes=7-");
  EXPECT_EQ(open_end.body.view(), "789");
  auto suffix = ranged("bytes=-3");
  EXPECT_EQ(suffix.body.view(), "789");
  auto clamped = ranged("bytes=8-100");
  EXPECT_EQ(clamped.body.view(), "89");
  auto beyond = ranged("bytes=10-");
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.headers.Get("Content-Range"), "bytes */10");
  auto malformed = ranged("bytes=x-y");
  EXPECT_EQ(malformed.status, 200);
  EXPECT_EQ(malformed.body.view(), blob.bytes);
  auto several = ranged("bytes=0-1,3-4");
  EXPECT_EQ(several.status, 200);
}

TEST_F(RegistryTest, UploadWithWrongDigestStoresNothing) {
  const Blob blob = MakeBlob("real bytes");
  const Blob other = MakeBlob("other bytes");
  auto start = Send(transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "app"));
  ASSERT_EQ(start.status, 202);
  const std::string location(*start.headers.Get("Location"));
  auto put = FollowLocation(HttpMethod::kPut, location);
  put.query.emplace_back("digest", other.digest.str());
  put.body = oci::SharedBytes(blob.bytes);
  auto refused = Send(transport_, put);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "DIGEST_INVALID");
  EXPECT_FALSE(registry_.store().FindBlob(blob.digest));
  EXPECT_FALSE(registry_.store().FindBlob(other.digest));
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "app", other.digest.str(), HttpMethod::kHead).status, 404);
  // The session is gone too.
  auto status = Send(transport_, FollowLocation(HttpMethod::kGet, location));
  EXPECT_EQ(status.status, 404);
  EXPECT_EQ(FirstErrorCode(status), "BLOB_UPLOAD_UNKNOWN");
}

TEST_F(RegistryTest, MonolithicPostStoresVerifiedBlob) {
  const Blob blob = MakeBlob("monolithic");
  auto post = Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "app");
  post.query.emplace_back("digest", blob.digest.str());
  post.body = oci::SharedBytes(blob.bytes);
  auto created = Send(transport_, post);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.headers.Get("Location"), "/v2/app/blobs/" + blob.digest.str());
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "app", blob.digest.str()).body.view(), blob.bytes);

  post.query = {{"digest", MakeBlob("else").digest.str()}};
  auto refused = Send(transport_, post);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "DIGEST_INVALID");
}

TEST_F(RegistryTest, ChunkedUploadAcceptsChunksInOrderOnly) {
  const Blob blob = MakeBlob("chunk-one|chunk-two|end");
  auto start = Send(transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "app"));
  ASSERT_EQ(start.status, 202);
  EXPECT_EQ(start.headers.Get("Range"), "0-0");
  std::string location(*start.headers.Get("Location"));

  auto patch = [&](std::string_view bytes, std::size_t offset) {
    auto request = FollowLocation(HttpMethod::kPatch, location);
    request.headers.Set("Content-Range",
                        std::to_string(offset) + "-" + std::to_string(offset + bytes.size() - 1));
    request.body = oci::SharedBytes(std::string(bytes));
    return Send(transport_, request);
  };
  auto first = patch("chunk-one|", 0);
  EXPECT_EQ(first.status, 202);
  EXPECT_EQ(first.headers.Get("Range"), "0-9");
  location = std::string(*first.headers.Get("Location"));
  auto out_of_order = patch("end", 20);
  EXPECT_EQ(out_of_order.status, 416);
  EXPECT_EQ(out_of_order.headers.Get("Range"), "0-9");
  auto second = patch("chunk-two|", 10);
  EXPECT_EQ(second.status, 202);
  EXPECT_EQ(second.headers.Get("Range"), "0-19");

  auto status = Send(transport_, FollowLocation(HttpMethod::kGet, location));
  EXPECT_EQ(status.status, 204);
  EXPECT_EQ(status.headers.Get("Range"), "0-19");

  auto put = FollowLocation(HttpMethod::kPut, location);
  put.query.emplace_back("digest", blob.digest.str());
  put.headers.Set("Content-Range", "20-22");
  put.body = oci::SharedBytes(std::string("end"));
  auto done = Send(transport_, put);
  EXPECT_EQ(done.status, 201);
  EXPECT_EQ(done.headers.Get("Docker-Content-Digest"), blob.digest.str());
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "app", blob.digest.str()).body.view(), blob.bytes);
}

TEST_F(RegistryTest, CancelledUploadIsForgotten) {
  auto start = Send(transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "app"));
  const std::string location(*start.headers.Get("Location"));
  EXPECT_EQ(Send(transport_, FollowLocation(HttpMethod::kDelete, location)).status, 204);
  EXPECT_EQ(Send(transport_, FollowLocation(HttpMethod::kGet, location)).status, 404);
  EXPECT_EQ(Send(transport_, FollowLocation(HttpMethod::kDelete, location)).status, 404);
}

TEST_F(RegistryTest, UploadSessionBelongsToItsRepository) {
  auto start = Send(transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "a"));
  std::string location(*start.headers.Get("Location"));
  location.replace(location.find("/v2/a/"), 6, "/v2/b/");
  auto status = Send(transport_, FollowLocation(HttpMethod::kGet, location));
  EXPECT_EQ(status.status, 404);
  EXPECT_EQ(FirstErrorCode(status), "BLOB_UPLOAD_UNKNOWN");
}

TEST_F(RegistryTest, CrossRepositoryMountLinksOrFallsBack) {
  const Blob blob = MakeBlob("shared layer");
  ASSERT_EQ(PushBlob(transport_, "source", blob).status, 201);
  auto mount = Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "target");
  mount.query = {{"mount", blob.digest.str()}, {"from", "source"}};
  auto mounted = Send(transport_, mount);
  EXPECT_EQ(mounted.status, 201);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "target", blob.digest.str()).status, 200);

  mount.query = {{"mount", blob.digest.str()}, {"from", "elsewhere"}};
  auto fallback = Send(transport_, mount);
  EXPECT_EQ(fallback.status, 202);
  EXPECT_TRUE(fallback.headers.Has("Location"));
}

TEST_F(RegistryTest, ManifestReferencingMissingBlobsIsRefused) {
  const Image image = MakeImage("partial");
  ASSERT_EQ(PushBlob(transport_, "app", image.config).status, 201);
  auto refused = PushManifest(transport_, "app", "1", image.manifest, kOciManifest);
  EXPECT_EQ(refused.status, 400);
  ASSERT_EQ(refused.errors.size(), 1u);
  EXPECT_EQ(refused.errors[0].code, "MANIFEST_BLOB_UNKNOWN");
  EXPECT_NE(refused.errors[0].detail.find(image.layers[0].digest.str()), std::string::npos);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "1").status, 404);

  // A blob pushed to another repository does not count.
  ASSERT_EQ(PushBlob(transport_, "other", image.layers[0]).status, 201);
  EXPECT_EQ(PushManifest(transport_, "app", "1", image.manifest, kOciManifest).status, 400);
}

TEST_F(RegistryTest, IndexNeedsItsChildManifests) {
  const Image amd = MakeImage("amd", "amd64");
  const Image arm = MakeImage("arm", "arm64");
  PushImage(transport_, "app", amd, "amd");
  const Blob index = MakeIndex({{&amd, "amd64"}, {&arm, "arm64"}});
  auto refused = PushManifest(transport_, "app", "multi", index, kOciIndex);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "MANIFEST_BLOB_UNKNOWN");
  PushImage(transport_, "app", arm, "arm");
  EXPECT_EQ(PushManifest(transport_, "app", "multi", index, kOciIndex).status, 201);
  auto got = Get(RegistryEndpoint::kManifest, "app", "multi");
  EXPECT_EQ(got.headers.Get("Content-Type"), kOciIndex);
}

TEST_F(RegistryTest, ManifestPutByDigestMustMatch) {
  const Image image = MakeImage("digest");
  PushImage(transport_, "app", image, "1");
  auto wrong =
      PushManifest(transport_, "app", MakeBlob("x").digest.str(), image.manifest, kOciManifest);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(FirstErrorCode(wrong), "DIGEST_INVALID");
  auto right =
      PushManifest(transport_, "app", image.manifest.digest.str(), image.manifest, kOciManifest);
  EXPECT_EQ(right.status, 201);
  EXPECT_EQ(right.headers.Get("Location"), "/v2/app/manifests/" + image.manifest.digest.str());
}

TEST_F(RegistryTest, InvalidManifestsAreRefused) {
  const char* bodies[] = {
      "not json",
      "[]",
      R"({"schemaVersion":1})",
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})",
      R"({"schemaVersion":2,"mediaType":"text/plain","config":{}})",
      R"({"schemaVersion":2,"config":{"digest":"sha256:zz","size":1},"layers":[]})",
      R"({"schemaVersion":2,"config":{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":-1},"layers":[]})",
  };
  for (const char* body : bodies) {
    SCOPED_TRACE(body);
    auto response = PushManifest(transport_, "app", "bad", MakeBlob(body), kOciManifest);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(FirstErrorCode(response), "MANIFEST_INVALID");
  }
  const Blob docker_in_oci_clothes = MakeBlob(
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]})");
  EXPECT_EQ(
      FirstErrorCode(PushManifest(transport_, "app", "bad", docker_in_oci_clothes, kOciManifest)),
      "MANIFEST_INVALID");
}

TEST_F(RegistryTest, AcceptHeaderExcludingStoredTypeIsManifestUnknown) {
  const Image image = MakeImage("accept");
  PushImage(transport_, "app", image, "1");
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "app", "1");
  request.headers.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json");
  auto refused = Send(transport_, request);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(FirstErrorCode(refused), "MANIFEST_UNKNOWN");
  request.headers.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json, " +
                                    std::string(kOciManifest) + ";q=0.9");
  EXPECT_EQ(Send(transport_, request).status, 200);
  request.headers.Set("Accept", "application/*");
  EXPECT_EQ(Send(transport_, request).status, 200);
  request.headers.Set("Accept", "*/*");
  EXPECT_EQ(Send(transport_, request).status, 200);
}

TEST_F(RegistryTest, TagsListPaginatesWithLink) {
  const Image image = MakeImage("tags");
  for (const char* tag : {"c", "a", "b", "d"}) PushImage(transport_, "app", image, tag);
  auto all = Get(RegistryEndpoint::kTags, "app");
  EXPECT_EQ(nlohmann::json::parse(all.body.view())["tags"],
            nlohmann::json::array({"a", "b", "c", "d"}));
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kTags, "app");
  request.query = {{"n", "2"}};
  auto first = Send(transport_, request);
  EXPECT_EQ(nlohmann::json::parse(first.body.view())["tags"], nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(first.headers.Get("Link"), "</v2/app/tags/list?last=b&n=2>; rel=\"next\"");
  request.query = {{"n", "2"}, {"last", "b"}};
  auto second = Send(transport_, request);
  EXPECT_EQ(nlohmann::json::parse(second.body.view())["tags"], nlohmann::json::array({"c", "d"}));
  EXPECT_FALSE(second.headers.Has("Link"));
  request.query = {{"n", "-1"}};
  auto bad = Send(transport_, request);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FirstErrorCode(bad), "PAGINATION_NUMBER_INVALID");
}

TEST_F(RegistryTest, ReferrersListsManifestsWithTheSubject) {
  const Image subject = MakeImage("subject");
  PushImage(transport_, "app", subject, "1");
  const Image sbom = MakeImage("sbom", "amd64", 16, subject.manifest, "application/spdx+json");
  const Image sig = MakeImage("sig", "amd64", 16, subject.manifest, "application/vnd.sig");
  for (const Image* referrer : {&sbom, &sig}) {
    EXPECT_EQ(PushBlob(transport_, "app", referrer->config).status, 201);
    EXPECT_EQ(PushBlob(transport_, "app", referrer->layers[0]).status, 201);
    auto put = PushManifest(transport_, "app", referrer->manifest.digest.str(), referrer->manifest,
                            kOciManifest);
    EXPECT_EQ(put.status, 201);
    EXPECT_EQ(put.headers.Get("OCI-Subject"), subject.manifest.digest.str());
  }
  auto list = Get(RegistryEndpoint::kReferrers, "app", subject.manifest.digest.str());
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.headers.Get("Content-Type"), kOciIndex);
  auto index = nlohmann::json::parse(list.body.view());
  ASSERT_EQ(index["manifests"].size(), 2u);

  auto filtered =
      Request(HttpMethod::kGet, RegistryEndpoint::kReferrers, "app", subject.manifest.digest.str());
  filtered.query = {{"artifactType", "application/spdx+json"}};
  auto only_sbom = Send(transport_, filtered);
  EXPECT_EQ(only_sbom.headers.Get("OCI-Filters-Applied"), "artifactType");
  auto sbom_index = nlohmann::json::parse(only_sbom.body.view());
  ASSERT_EQ(sbom_index["manifests"].size(), 1u);
  EXPECT_EQ(sbom_index["manifests"][0]["digest"], sbom.manifest.digest.str());
  EXPECT_EQ(sbom_index["manifests"][0]["artifactType"], "application/spdx+json");

  auto none = Get(RegistryEndpoint::kReferrers, "app", MakeBlob("z").digest.str());
  EXPECT_EQ(none.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(none.body.view())["manifests"].empty());
}

TEST_F(RegistryTest, DeletesManifestsTagsAndBlobs) {
  const Image image = MakeImage("delete");
  PushImage(transport_, "app", image, "1");
  PushImage(transport_, "app", image, "2");
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "2", HttpMethod::kDelete).status, 202);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "2").status, 404);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "1").status, 200);
  EXPECT_EQ(
      Get(RegistryEndpoint::kManifest, "app", image.manifest.digest.str(), HttpMethod::kDelete)
          .status,
      202);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "1").status, 404);
  auto again =
      Get(RegistryEndpoint::kManifest, "app", image.manifest.digest.str(), HttpMethod::kDelete);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(FirstErrorCode(again), "MANIFEST_UNKNOWN");
  const std::string layer = image.layers[0].digest.str();
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "app", layer, HttpMethod::kDelete).status, 202);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, "app", layer).status, 404);
  EXPECT_EQ(FirstErrorCode(Get(RegistryEndpoint::kBlob, "app", layer, HttpMethod::kDelete)),
            "BLOB_UNKNOWN");
}

struct BadRequest {
  const char* method;
  const char* target;
  int status;
  const char* code;
};

constexpr BadRequest kBadRequests[] = {
    {"GET", "/v2/Team/app/manifests/1", 400, "NAME_INVALID"},
    {"GET", "/v2/team/../etc/manifests/1", 400, "NAME_INVALID"},
    {"GET", "/v2/team//app/manifests/1", 400, "NAME_INVALID"},
    {"GET", "/v2/app/blobs/sha256:abc", 400, "DIGEST_INVALID"},
    {"GET", "/v2/app/blobs/md5:d41d8cd98f00b204e9800998ecf8427e", 400, "DIGEST_INVALID"},
    {"GET", "/v2/app/blobs/latest", 400, "DIGEST_INVALID"},
    {"GET", "/v2/app/referrers/latest", 400, "DIGEST_INVALID"},
    {"GET", "/v2/app/manifests/sha256:XYZ", 400, "DIGEST_INVALID"},
    {"GET", "/v2/app/manifests/-bad", 404, "MANIFEST_UNKNOWN"},
    {"PUT", "/v2/app/manifests/-bad", 400, "MANIFEST_INVALID"},
    {"GET", "/v2/app/unknown/thing", 404, ""},
    {"GET", "/index.html", 404, ""},
    {"GET", "/v2/app%zz/tags/list", 400, "NAME_INVALID"},
    {"POST", "/v2/app/manifests/1", 405, "UNSUPPORTED"},
    {"PURGE", "/v2/app/manifests/1", 405, "UNSUPPORTED"},
    {"PATCH", "/v2/app/blobs/uploads/", 405, "UNSUPPORTED"},
    {"DELETE", "/v2/", 405, "UNSUPPORTED"},
    {"PUT",
     "/v2/app/blobs/uploads/"
     "nope?digest=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     404, "BLOB_UPLOAD_UNKNOWN"},
};

TEST_F(RegistryTest, BadRequestsGetSpecErrorCodes) {
  for (const BadRequest& bad : kBadRequests) {
    SCOPED_TRACE(std::string(bad.method) + " " + bad.target);
    ServedResponse served =
        registry_.Serve(ServerRequest{bad.method, bad.target, {}, {}, "test", "http://x"});
    EXPECT_EQ(served.response.status, bad.status);
    EXPECT_EQ(FirstErrorCode(served.response), bad.code);
  }
}

TEST_F(RegistryTest, RequestLogRecordsEveryRequest) {
  const Image image = MakeImage("log");
  PushImage(transport_, "app", image, "1");
  registry_.log().Clear();
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "1").status, 200);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "app", "2").status, 404);
  auto entries = registry_.log().Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].client, "node-a");
  EXPECT_EQ(entries[0].identity, "anonymous");
  EXPECT_EQ(entries[0].method, "GET");
  EXPECT_EQ(entries[0].path, "/v2/app/manifests/1");
  EXPECT_EQ(entries[0].endpoint, RegistryEndpoint::kManifest);
  EXPECT_EQ(entries[0].status, 200);
  EXPECT_EQ(entries[0].response_bytes, image.manifest.bytes.size());
  EXPECT_EQ(entries[0].time, VirtualClock::kDefaultStart + std::chrono::seconds(5));
  EXPECT_EQ(entries[1].error_code, "MANIFEST_UNKNOWN");
  const std::string json = RequestLog::ToJson(entries[0]);
  EXPECT_NE(json.find("\"time\":\"2026-01-01T00:00:05Z\""), std::string::npos) << json;
}

TEST_F(RegistryTest, CatalogListsRepositories) {
  PushImage(transport_, "b/app", MakeImage("1"), "1");
  PushImage(transport_, "a/app", MakeImage("2"), "1");
  auto catalog = Get(RegistryEndpoint::kCatalog, "");
  EXPECT_EQ(nlohmann::json::parse(catalog.body.view())["repositories"],
            nlohmann::json::array({"a/app", "b/app"}));
}

TEST_F(RegistryTest, LoadsContentDirectly) {
  const Image image = MakeImage("direct");
  EXPECT_EQ(registry_.PutBlob("app", oci::SharedBytes(image.config.bytes)), image.config.digest);
  auto refused =
      registry_.PutManifest("app", oci::SharedBytes(image.manifest.bytes), kOciManifest, "1");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("MANIFEST_BLOB_UNKNOWN"), std::string::npos);
  (void)registry_.PutBlob("app", oci::SharedBytes(image.layers[0].bytes));
  auto stored =
      registry_.PutManifest("app", oci::SharedBytes(image.manifest.bytes), kOciManifest, "1");
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_EQ(*stored, image.manifest.digest);
}

// --- faults ---------------------------------------------------------------------------------

RegistryOptions FaultOptions(std::vector<Fault> faults, std::function<void(Duration)> wait) {
  RegistryOptions options;
  options.faults = std::move(faults);
  options.wait = std::move(wait);
  return options;
}

TEST(RegistryFaults, InjectsErrorsForMatchingRequestsOnly) {
  VirtualClock clock;
  Fault fault;
  fault.name = "flaky-manifests";
  fault.match.repositories = *RepositoryGlob::Parse("flaky/**");
  fault.match.endpoints = {RegistryEndpoint::kManifest};
  fault.match.methods = {"GET"};
  fault.status = 503;
  fault.times = 2;
  Registry registry(clock, FaultOptions({fault}, {}));
  InProcessTransport transport(registry);
  const Image image = MakeImage("f");
  PushImage(transport, "flaky/app", image, "1");
  PushImage(transport, "solid/app", image, "1");
  auto get = [&](std::string repo) {
    return Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo, "1"));
  };
  auto first = get("flaky/app");
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(FirstErrorCode(first), "UNAVAILABLE");
  EXPECT_EQ(get("solid/app").status, 200);
  EXPECT_EQ(get("flaky/app").status, 503);
  EXPECT_EQ(get("flaky/app").status, 200);
  EXPECT_EQ(get("solid/app").status, 200);
  auto entries = registry.log().Entries();
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const auto& e) { return e.fault == "flaky-manifests"; }),
            2);
}

TEST(RegistryFaults, LatencyAndBandwidthSpendVirtualTime) {
  VirtualClock clock;
  Fault slow;
  slow.match.endpoints = {RegistryEndpoint::kBlob};
  slow.latency = std::chrono::milliseconds(250);
  slow.bandwidth = 1000;  // bytes per second
  Registry registry(clock, FaultOptions({slow}, [&](Duration d) { clock.Advance(d); }));
  InProcessTransport transport(registry);
  const Blob blob = MakeBlob(std::string(2000, 'b'));
  ASSERT_EQ(PushBlob(transport, "app", blob).status, 201);
  const Timestamp before = clock.Now();
  auto response =
      Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", blob.digest.str()));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(clock.Now() - before, std::chrono::milliseconds(2250));
}

TEST(RegistryFaults, DroppedConnectionIsUnavailable) {
  VirtualClock clock;
  Fault drop;
  drop.match.methods = {"GET"};
  drop.match.path = "/v2/**/blobs/*";
  drop.drop = true;
  drop.drop_after_bytes = 10;
  Registry registry(clock, FaultOptions({drop}, {}));
  InProcessTransport transport(registry);
  const Blob blob = MakeBlob(std::string(100, 'd'));
  ASSERT_EQ(PushBlob(transport, "app", blob).status, 201);
  auto response = transport.RoundTrip(
      Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", blob.digest.str()));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("connection dropped"), std::string::npos);
  EXPECT_EQ(registry.log().Entries().back().response_bytes, 10u);
}

TEST(RegistryFaults, AfterLetsTheFirstRequestsThrough) {
  VirtualClock clock;
  Fault fault;
  fault.match.endpoints = {RegistryEndpoint::kPing};
  fault.status = 500;
  fault.after = 1;
  fault.times = 1;
  Registry registry(clock, FaultOptions({fault}, {}));
  InProcessTransport transport(registry);
  auto ping = [&] { return Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kPing)); };
  EXPECT_EQ(ping().status, 200);
  EXPECT_EQ(ping().status, 500);
  EXPECT_EQ(ping().status, 200);
}

// --- rate limit -------------------------------------------------------------------------------

TEST(RegistryRateLimit, ManifestGetsPastTheLimitGet429) {
  VirtualClock clock;
  RegistryOptions options;
  options.rate_limits.push_back(
      RateLimitRule{*RepositoryGlob::Parse("library/**"), 2, std::chrono::hours(6)});
  Registry registry(clock, options);
  InProcessTransport transport(registry);
  const Image image = MakeImage("limited");
  PushImage(transport, "library/nginx", image, "1");
  PushImage(transport, "other/app", image, "1");
  auto manifest = [&](HttpMethod method, std::string repo = "library/nginx") {
    return Send(transport, Request(method, RegistryEndpoint::kManifest, repo, "1"));
  };
  auto first = manifest(HttpMethod::kGet);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.headers.Get("RateLimit-Limit"), "2;w=21600");
  EXPECT_EQ(first.headers.Get("RateLimit-Remaining"), "1;w=21600");
  EXPECT_EQ(manifest(HttpMethod::kHead).status, 200);  // HEAD is not counted
  EXPECT_EQ(manifest(HttpMethod::kGet).status, 200);
  auto limited = manifest(HttpMethod::kGet);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(FirstErrorCode(limited), "TOOMANYREQUESTS");
  EXPECT_EQ(limited.headers.Get("Retry-After"), "21600");
  EXPECT_EQ(manifest(HttpMethod::kGet, "other/app").status, 200);  // not covered
  // Blobs are not limited.
  EXPECT_EQ(Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "library/nginx",
                                    image.config.digest.str()))
                .status,
            200);
  clock.Advance(std::chrono::hours(6));
  EXPECT_EQ(manifest(HttpMethod::kGet).status, 200);
}

}  // namespace
}  // namespace pullsim::registry
