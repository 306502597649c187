// The registry API suite: the OCI distribution-spec conformance workflows (pull, push, content
// discovery, content management) and the auth cases, written against base URLs so that the same
// tests run against any registry. ctest runs it twice:
//  - pullsim_registry_api_test: pullsim's HTTP front on 127.0.0.1, port 0 (as `pullsim serve`);
//  - pullsim_registry_api_interop_test (label interop): Debian's docker-registry (CNCF
//    distribution 2.8), started by the test on loopback with a temporary config and storage.
// Where the two differ, Expectations says what each target does and DIFFERENCES.md explains it;
// every difference is asserted, so a change on either side shows up as a failure.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/registry/http_front.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/internal/base64.h"
#include "sim/registry/registry.h"
#include "sim/registry/testing_helpers.h"
#include "sim/registry/testing_processes.h"

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

// What a target does where registries are allowed to, or do, differ (DIFFERENCES.md).
struct Expectations {
  bool referrers_api = true;      // GET /v2/<name>/referrers/<digest> (spec v1.1)
  bool monolithic_post = true;    // POST ?digest= with the body answers 201
  int delete_tag_status = 202;    // DELETE /v2/<name>/manifests/<tag> (spec v1.1: 202)
  std::string delete_tag_code;    // the error code when it is refused
  int invalid_name_status = 400;  // /v2/Upper/Case/manifests/x
  std::string invalid_name_code = "NAME_INVALID";
  bool per_repository_rules = true;  // a valid user without the right gets 403 DENIED
  bool token_auth = true;            // a bearer-token front is available
  int accept_mismatch_status = 404;  // Accept excluding the stored manifest type
  bool pagination_link = true;       // tags/list?n= answers a Link header when more remain
  int unsupported_method_status = 405;
  bool subject_header = true;           // OCI-Subject on a PUT of a manifest with a subject
  int no_accept_oci_status = 200;       // GET of an OCI manifest without any Accept header
  int out_of_order_chunk_status = 416;  // PATCH whose Content-Range does not start at the end
  bool tags_sorted = true;              // tags/list in lexical order
  bool tags_paginated = true;           // tags/list honours n and last
};

// The registries under test: an open one, one with Basic auth (users alice and bob; pullsim
// restricts "alice-only/**" to alice), and, where available, one with bearer tokens.
struct Target {
  std::string name;
  std::string open_url;
  std::string basic_url;
  std::string token_url;
  Expectations expect;
};

constexpr std::string_view kAliceHash =
    "$2b$05$WHRr47kT5CXlxDINpiwv8eqsnUG2NQGm/7kByIMrMK5fAq6BFY9j.";  // alice-pw
constexpr std::string_view kBobHash =
    "$2b$05$EGNqM/88jGmBs.Xrbf8WkuvYfIAuTfX9TjS0Rn3V1MrCrR.Jh6em6";  // bob-pw

class TargetEnvironment {
 public:
  virtual ~TargetEnvironment() = default;
  [[nodiscard]] virtual Result<Target> Start() = 0;
};

// --- pullsim's HTTP front -------------------------------------------------------------------

class PullsimEnvironment final : public TargetEnvironment {
 public:
  Result<Target> Start() override {
    open_ = std::make_unique<Registry>(clock_);
    RegistryOptions basic;
    basic.auth.mode = AuthMode::kBasic;
    basic.auth.realm = "basic-realm";
    basic.auth.users = {{"alice", "", std::string(kAliceHash)}, {"bob", "", std::string(kBobHash)}};
    AccessRule alice_only;
    alice_only.repositories = *RepositoryGlob::Parse("alice-only/**");
    alice_only.pull = alice_only.push = alice_only.del = {"alice"};
    AccessRule rest;
    rest.repositories = *RepositoryGlob::Parse("**");
    rest.pull = rest.push = rest.del = {"authenticated"};
    basic.auth.policy = AccessPolicy({alice_only, rest});
    RegistryOptions token = basic;
    token.auth.mode = AuthMode::kToken;
    token.auth.service = "pullsim-api";
    basic_ = std::make_unique<Registry>(clock_, std::move(basic));
    token_ = std::make_unique<Registry>(clock_, std::move(token));
    Target target{"pullsim", {}, {}, {}, {}};
    for (auto [registry, front, url] :
         {std::tuple{open_.get(), &open_front_, &target.open_url},
          std::tuple{basic_.get(), &basic_front_, &target.basic_url},
          std::tuple{token_.get(), &token_front_, &target.token_url}}) {
      auto started = HttpFront::Start(*registry);
      if (!started) return std::unexpected(started.error());
      *front = std::move(*started);
      *url = (*front)->base_url();
    }
    return target;
  }

 private:
  SystemClock clock_;
  std::unique_ptr<Registry> open_, basic_, token_;
  std::unique_ptr<HttpFront> open_front_, basic_front_, token_front_;
};

// --- Debian's docker-registry ----------------------------------------------------------------

class DockerRegistryEnvironment final : public TargetEnvironment {
 public:
  Result<Target> Start() override {
    const std::string htpasswd =
        "alice:" + std::string(kAliceHash) + "\nbob:" + std::string(kBobHash) + "\n";
    Target target{"docker-registry", {}, {}, {}, {}};
    auto open = open_.Start(dir_.path(), "open");
    if (!open) return std::unexpected(open.error());
    target.open_url = *open;
    auto basic = basic_.Start(dir_.path(), "basic", htpasswd);
    if (!basic) return std::unexpected(basic.error());
    target.basic_url = *basic;
    // Measured differences of distribution 2.8 (DIFFERENCES.md).
    Expectations& e = target.expect;
    e.referrers_api = false;
    e.monolithic_post = false;
    e.delete_tag_status = 400;
    e.delete_tag_code = "DIGEST_INVALID";
    e.invalid_name_status = 404;
    e.invalid_name_code = "";
    e.per_repository_rules = false;
    e.token_auth = false;
    e.subject_header = false;
    e.no_accept_oci_status = 404;
    e.out_of_order_chunk_status = 202;
    e.tags_sorted = false;
    e.tags_paginated = false;
    e.pagination_link = false;
    return target;
  }

 private:
  TempDir dir_{"pullsim-docker-registry"};
  DockerRegistryProcess open_;
  DockerRegistryProcess basic_;
};

// --- the suite --------------------------------------------------------------------------------

std::unique_ptr<TargetEnvironment> MakeEnvironment() {
#ifdef PULLSIM_API_TARGET_DOCKER_REGISTRY
  return std::make_unique<DockerRegistryEnvironment>();
#else
  return std::make_unique<PullsimEnvironment>();
#endif
}

oci::RegistryRequest Accepting(oci::RegistryRequest request) {
  if (request.endpoint == RegistryEndpoint::kManifest) {
    request.headers.Set("Accept",
                        "application/vnd.oci.image.manifest.v1+json, "
                        "application/vnd.oci.image.index.v1+json, "
                        "application/vnd.docker.distribution.manifest.v2+json, "
                        "application/vnd.docker.distribution.manifest.list.v2+json");
  }
  return request;
}

oci::HttpHeaders Basic(std::string_view user, std::string_view password) {
  return {{"Authorization",
           "Basic " + internal::Base64Encode(std::string(user) + ":" + std::string(password))}};
}

class RegistryApiFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    environment_ = MakeEnvironment().release();
    auto target = environment_->Start();
    if (!target) {
      start_error_ = target.error().ToString();
      return;
    }
    target_ = new Target(std::move(*target));
  }
  static void TearDownTestSuite() {
    delete target_;
    target_ = nullptr;
    delete environment_;
    environment_ = nullptr;
  }

  void SetUp() override {
    if (target_ == nullptr) GTEST_SKIP() << "target not available: " << start_error_;
    open_ = *HttpTransport::Create(target_->open_url);
    basic_ = *HttpTransport::Create(target_->basic_url);
    // One repository per test, so tests do not see each other's content.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (char& c : name) c = (c == '_') ? '-' : c;
    repo_ = "api/" + name;
  }

  const Expectations& expect() const { return target_->expect; }

  oci::RegistryResponse Open(oci::RegistryRequest request) {
    return Send(*open_, std::move(request));
  }
  // Manifest requests carry an Accept header naming the four manifest types, as every real
  // client sends (distribution answers MANIFEST_UNKNOWN for OCI content without one).
  oci::RegistryResponse Get(RegistryEndpoint endpoint, const std::string& reference,
                            HttpMethod method = HttpMethod::kGet) {
    return Open(Accepting(Request(method, endpoint, repo_, reference)));
  }

  static TargetEnvironment* environment_;
  static Target* target_;
  static std::string start_error_;
  std::unique_ptr<HttpTransport> open_;
  std::unique_ptr<HttpTransport> basic_;
  std::string repo_;
};

TargetEnvironment* RegistryApiFixture::environment_ = nullptr;
Target* RegistryApiFixture::target_ = nullptr;
std::string RegistryApiFixture::start_error_;

// One suite name per target, so ctest tells the two runs apart (PullsimRegistryApi.* and
// DockerRegistryApi.*).
#ifdef PULLSIM_API_TARGET_DOCKER_REGISTRY
using DockerRegistryApi = RegistryApiFixture;
#define REGISTRY_API DockerRegistryApi
#else
using PullsimRegistryApi = RegistryApiFixture;
#define REGISTRY_API PullsimRegistryApi
#endif

// --- pull ---------------------------------------------------------------------------------

TEST_F(REGISTRY_API, Pull_PingAnswersApiVersion) {
  auto ping = Open(Request(HttpMethod::kGet, RegistryEndpoint::kPing));
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(ping.headers.Get("Docker-Distribution-API-Version"), "registry/2.0");
}

TEST_F(REGISTRY_API, Pull_ManifestByTagAndDigest) {
  const Image image = MakeImage(repo_);
  PushImage(*open_, repo_, image, "v1");
  for (const std::string& reference : {std::string("v1"), image.manifest.digest.str()}) {
    SCOPED_TRACE(reference);
    auto got = Get(RegistryEndpoint::kManifest, reference);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.body.view(), image.manifest.bytes);
    EXPECT_EQ(got.headers.Get("Content-Type"), kOciManifest);
    EXPECT_EQ(got.headers.Get("Docker-Content-Digest"), image.manifest.digest.str());
    auto head = Get(RegistryEndpoint::kManifest, reference, HttpMethod::kHead);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.headers.Get("Content-Length"), std::to_string(image.manifest.bytes.size()));
    EXPECT_EQ(head.headers.Get("Docker-Content-Digest"), image.manifest.digest.str());
  }
}

TEST_F(REGISTRY_API, Pull_BlobGetHeadAndRange) {
  const Blob blob = MakeBlob("0123456789abcdef");
  ASSERT_EQ(PushBlob(*open_, repo_, blob).status, 201);
  auto got = Get(RegistryEndpoint::kBlob, blob.digest.str());
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body.view(), blob.bytes);
  EXPECT_EQ(got.headers.Get("Docker-Content-Digest"), blob.digest.str());
  auto head = Get(RegistryEndpoint::kBlob, blob.digest.str(), HttpMethod::kHead);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers.Get("Content-Length"), "16");
  auto ranged = Request(HttpMethod::kGet, RegistryEndpoint::kBlob, repo_, blob.digest.str());
  ranged.headers.Set("Range", "bytes=4-7");
  auto part = Open(ranged);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body.view(), "4567");
  EXPECT_EQ(part.headers.Get("Content-Range"), "bytes 4-7/16");
}

TEST_F(REGISTRY_API, Pull_UnknownContentIsNotFound) {
  PushImage(*open_, repo_, MakeImage(repo_), "v1");
  auto manifest = Get(RegistryEndpoint::kManifest, "absent");
  EXPECT_EQ(manifest.status, 404);
  EXPECT_EQ(FirstErrorCode(manifest), "MANIFEST_UNKNOWN");
  auto by_digest = Get(RegistryEndpoint::kManifest, MakeBlob("absent").digest.str());
  EXPECT_EQ(by_digest.status, 404);
  EXPECT_EQ(FirstErrorCode(by_digest), "MANIFEST_UNKNOWN");
  auto blob = Get(RegistryEndpoint::kBlob, MakeBlob("absent").digest.str());
  EXPECT_EQ(blob.status, 404);
  EXPECT_EQ(FirstErrorCode(blob), "BLOB_UNKNOWN");
  auto other_repo =
      Open(Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_ + "-none", "v1"));
  EXPECT_EQ(other_repo.status, 404);
}

TEST_F(REGISTRY_API, Pull_WithoutAcceptHeader) {
  const Image image = MakeImage(repo_);
  PushImage(*open_, repo_, image, "v1");
  auto got = Open(Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1"));
  EXPECT_EQ(got.status, expect().no_accept_oci_status);
  if (got.status == 200) {
    EXPECT_EQ(got.body.view(), image.manifest.bytes);
  } else {
    EXPECT_EQ(FirstErrorCode(got), "MANIFEST_UNKNOWN");
  }
}

TEST_F(REGISTRY_API, Pull_AcceptExcludingTheStoredType) {
  PushImage(*open_, repo_, MakeImage(repo_), "v1");
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1");
  request.headers.Set("Accept", "application/vnd.docker.distribution.manifest.v2+json");
  auto refused = Open(request);
  EXPECT_EQ(refused.status, expect().accept_mismatch_status);
  EXPECT_EQ(FirstErrorCode(refused), "MANIFEST_UNKNOWN");
  request.headers.Set("Accept", std::string(kOciManifest));
  EXPECT_EQ(Open(request).status, 200);
}

// --- push ---------------------------------------------------------------------------------

TEST_F(REGISTRY_API, Push_PostThenPut) {
  const Blob blob = MakeBlob("post then put");
  auto start = Open(Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_));
  ASSERT_EQ(start.status, 202);
  ASSERT_TRUE(start.headers.Has("Location"));
  auto put = FollowLocation(HttpMethod::kPut, *start.headers.Get("Location"));
  put.query.emplace_back("digest", blob.digest.str());
  put.headers.Set("Content-Type", "application/octet-stream");
  put.body = oci::SharedBytes(blob.bytes);
  auto created = Open(put);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.headers.Get("Docker-Content-Digest"), blob.digest.str());
  ASSERT_TRUE(created.headers.Has("Location"));
  EXPECT_NE(created.headers.Get("Location")->find("/v2/" + repo_ + "/blobs/" + blob.digest.str()),
            std::string_view::npos);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str()).body.view(), blob.bytes);
}

TEST_F(REGISTRY_API, Push_MonolithicPost) {
  const Blob blob = MakeBlob("single post");
  auto post = Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_);
  post.query.emplace_back("digest", blob.digest.str());
  post.headers.Set("Content-Type", "application/octet-stream");
  post.body = oci::SharedBytes(blob.bytes);
  auto response = Open(post);
  if (!expect().monolithic_post) {
    // The body is ignored and an ordinary session opens; the blob is not stored.
    EXPECT_EQ(response.status, 202);
    EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str(), HttpMethod::kHead).status, 404);
    return;
  }
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str()).body.view(), blob.bytes);
}

TEST_F(REGISTRY_API, Push_ChunkedUpload) {
  const Blob blob = MakeBlob("first-chunk|second-chunk|last");
  auto start = Open(Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_));
  ASSERT_EQ(start.status, 202);
  std::string location(*start.headers.Get("Location"));
  std::size_t offset = 0;
  for (std::string_view chunk :
       {std::string_view("first-chunk|"), std::string_view("second-chunk|")}) {
    auto patch = FollowLocation(HttpMethod::kPatch, location);
    patch.headers.Set("Content-Type", "application/octet-stream");
    patch.headers.Set("Content-Range",
                      std::to_string(offset) + "-" + std::to_string(offset + chunk.size() - 1));
    patch.body = oci::SharedBytes(std::string(chunk));
    auto accepted = Open(patch);
    ASSERT_EQ(accepted.status, 202);
    offset += chunk.size();
    EXPECT_EQ(accepted.headers.Get("Range"), "0-" + std::to_string(offset - 1));
    location = std::string(*accepted.headers.Get("Location"));
  }
  auto status = Open(FollowLocation(HttpMethod::kGet, location));
  EXPECT_EQ(status.status, 204);
  EXPECT_EQ(status.headers.Get("Range"), "0-" + std::to_string(offset - 1));
  auto put = FollowLocation(HttpMethod::kPut, location);
  put.query.emplace_back("digest", blob.digest.str());
  put.headers.Set("Content-Type", "application/octet-stream");
  put.body = oci::SharedBytes(std::string("last"));
  EXPECT_EQ(Open(put).status, 201);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str()).body.view(), blob.bytes);
}

TEST_F(REGISTRY_API, Push_OutOfOrderChunkIs416) {
  auto start = Open(Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_));
  ASSERT_EQ(start.status, 202);
  auto patch = FollowLocation(HttpMethod::kPatch, *start.headers.Get("Location"));
  patch.headers.Set("Content-Type", "application/octet-stream");
  patch.headers.Set("Content-Range", "10-14");
  patch.body = oci::SharedBytes(std::string("later"));
  EXPECT_EQ(Open(patch).status, expect().out_of_order_chunk_status);
}

TEST_F(REGISTRY_API, Push_DigestMismatchStoresNothing) {
  const Blob blob = MakeBlob("actual bytes");
  const Blob claimed = MakeBlob("claimed bytes");
  auto start = Open(Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_));
  ASSERT_EQ(start.status, 202);
  auto put = FollowLocation(HttpMethod::kPut, *start.headers.Get("Location"));
  put.query.emplace_back("digest", claimed.digest.str());
  put.headers.Set("Content-Type", "application/octet-stream");
  put.body = oci::SharedBytes(blob.bytes);
  auto refused = Open(put);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "DIGEST_INVALID");
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, claimed.digest.str(), HttpMethod::kHead).status, 404);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str(), HttpMethod::kHead).status, 404);
}

TEST_F(REGISTRY_API, Push_CancelUpload) {
  auto start = Open(Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_));
  ASSERT_EQ(start.status, 202);
  const std::string location(*start.headers.Get("Location"));
  EXPECT_EQ(Open(FollowLocation(HttpMethod::kDelete, location)).status, 204);
  auto gone = Open(FollowLocation(HttpMethod::kGet, location));
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(FirstErrorCode(gone), "BLOB_UPLOAD_UNKNOWN");
}

TEST_F(REGISTRY_API, Push_CrossRepositoryMount) {
  const Blob blob = MakeBlob("mount me " + repo_);
  ASSERT_EQ(PushBlob(*open_, repo_ + "-source", blob).status, 201);
  auto mount = Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo_);
  mount.query = {{"mount", blob.digest.str()}, {"from", repo_ + "-source"}};
  auto mounted = Open(mount);
  EXPECT_EQ(mounted.status, 201);
  EXPECT_EQ(mounted.headers.Get("Docker-Content-Digest"), blob.digest.str());
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str()).body.view(), blob.bytes);
  // Unknown source: an ordinary upload session instead.
  mount.query = {{"mount", MakeBlob("nowhere").digest.str()}, {"from", repo_ + "-source"}};
  EXPECT_EQ(Open(mount).status, 202);
}

TEST_F(REGISTRY_API, Push_ManifestNeedsItsBlobs) {
  const Image image = MakeImage(repo_);
  ASSERT_EQ(PushBlob(*open_, repo_, image.config).status, 201);
  auto refused = PushManifest(*open_, repo_, "v1", image.manifest, kOciManifest);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "MANIFEST_BLOB_UNKNOWN");
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "v1").status, 404);
}

TEST_F(REGISTRY_API, Push_InvalidManifestIsRefused) {
  auto refused = PushManifest(*open_, repo_, "v1", MakeBlob("{not json"), kOciManifest);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(FirstErrorCode(refused), "MANIFEST_INVALID");
}

TEST_F(REGISTRY_API, Push_ManifestByDigest) {
  const Image image = MakeImage(repo_);
  EXPECT_EQ(PushBlob(*open_, repo_, image.config).status, 201);
  EXPECT_EQ(PushBlob(*open_, repo_, image.layers[0]).status, 201);
  auto created =
      PushManifest(*open_, repo_, image.manifest.digest.str(), image.manifest, kOciManifest);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.headers.Get("Docker-Content-Digest"), image.manifest.digest.str());
  auto mismatched =
      PushManifest(*open_, repo_, MakeBlob("other").digest.str(), image.manifest, kOciManifest);
  EXPECT_EQ(mismatched.status, 400);
  EXPECT_EQ(FirstErrorCode(mismatched), "DIGEST_INVALID");
}

TEST_F(REGISTRY_API, Push_IndexOfPushedManifests) {
  const Image amd = MakeImage(repo_ + "amd", "amd64");
  const Image arm = MakeImage(repo_ + "arm", "arm64");
  PushImage(*open_, repo_, amd, "amd64");
  PushImage(*open_, repo_, arm, "arm64");
  const Blob index = MakeIndex({{&amd, "amd64"}, {&arm, "arm64"}});
  EXPECT_EQ(PushManifest(*open_, repo_, "multi", index, kOciIndex).status, 201);
  auto got = Get(RegistryEndpoint::kManifest, "multi");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.headers.Get("Content-Type"), kOciIndex);
  EXPECT_EQ(got.body.view(), index.bytes);
}

// --- content discovery ----------------------------------------------------------------------

TEST_F(REGISTRY_API, Discovery_TagsListAndPagination) {
  const Image image = MakeImage(repo_);
  for (const char* tag : {"c", "a", "d", "b"}) PushImage(*open_, repo_, image, tag);
  auto all = Get(RegistryEndpoint::kTags, "");
  ASSERT_EQ(all.status, 200);
  auto json = nlohmann::json::parse(all.body.view());
  EXPECT_EQ(json["name"], repo_);
  std::vector<std::string> tags = json["tags"];
  if (!expect().tags_sorted) std::sort(tags.begin(), tags.end());
  EXPECT_EQ(tags, (std::vector<std::string>{"a", "b", "c", "d"}));
  auto page = Request(HttpMethod::kGet, RegistryEndpoint::kTags, repo_);
  page.query = {{"n", "2"}};
  auto first = Open(page);
  EXPECT_EQ(first.headers.Has("Link"), expect().pagination_link);
  if (!expect().tags_paginated) {
    EXPECT_EQ(nlohmann::json::parse(first.body.view())["tags"].size(), 4u);  // n ignored
    return;
  }
  EXPECT_EQ(nlohmann::json::parse(first.body.view())["tags"], nlohmann::json::array({"a", "b"}));
  page.query = {{"n", "2"}, {"last", "b"}};
  auto second = Open(page);
  EXPECT_EQ(nlohmann::json::parse(second.body.view())["tags"], nlohmann::json::array({"c", "d"}));
}

TEST_F(REGISTRY_API, Discovery_UnknownRepositoryHasNoTags) {
  auto tags = Get(RegistryEndpoint::kTags, "");
  EXPECT_EQ(tags.status, 404);
  EXPECT_EQ(FirstErrorCode(tags), "NAME_UNKNOWN");
}

TEST_F(REGISTRY_API, Discovery_Referrers) {
  const Image subject = MakeImage(repo_);
  PushImage(*open_, repo_, subject, "v1");
  const Image sbom =
      MakeImage(repo_ + "-sbom", "amd64", 32, subject.manifest, "application/spdx+json");
  EXPECT_EQ(PushBlob(*open_, repo_, sbom.config).status, 201);
  EXPECT_EQ(PushBlob(*open_, repo_, sbom.layers[0]).status, 201);
  auto put = PushManifest(*open_, repo_, sbom.manifest.digest.str(), sbom.manifest, kOciManifest);
  EXPECT_EQ(put.status, 201);
  EXPECT_EQ(put.headers.Get("OCI-Subject") == subject.manifest.digest.str(),
            expect().subject_header);
  auto list = Get(RegistryEndpoint::kReferrers, subject.manifest.digest.str());
  if (!expect().referrers_api) {
    EXPECT_EQ(list.status, 404);
    return;
  }
  ASSERT_EQ(list.status, 200);
  auto index = nlohmann::json::parse(list.body.view());
  ASSERT_EQ(index["manifests"].size(), 1u);
  EXPECT_EQ(index["manifests"][0]["digest"], sbom.manifest.digest.str());
  EXPECT_EQ(index["manifests"][0]["artifactType"], "application/spdx+json");
}

TEST_F(REGISTRY_API, Discovery_Catalog) {
  PushImage(*open_, repo_, MakeImage(repo_), "v1");
  auto catalog = Open(Request(HttpMethod::kGet, RegistryEndpoint::kCatalog));
  ASSERT_EQ(catalog.status, 200);
  const auto repositories = nlohmann::json::parse(catalog.body.view())["repositories"];
  EXPECT_NE(std::find(repositories.begin(), repositories.end(), repo_), repositories.end());
}

// --- content management ---------------------------------------------------------------------

TEST_F(REGISTRY_API, Management_DeleteManifestByDigest) {
  const Image image = MakeImage(repo_);
  PushImage(*open_, repo_, image, "v1");
  EXPECT_EQ(
      Get(RegistryEndpoint::kManifest, image.manifest.digest.str(), HttpMethod::kDelete).status,
      202);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, image.manifest.digest.str()).status, 404);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "v1").status, 404);
  auto again = Get(RegistryEndpoint::kManifest, image.manifest.digest.str(), HttpMethod::kDelete);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(FirstErrorCode(again), "MANIFEST_UNKNOWN");
}

TEST_F(REGISTRY_API, Management_DeleteTag) {
  const Image image = MakeImage(repo_);
  PushImage(*open_, repo_, image, "v1");
  auto deleted = Get(RegistryEndpoint::kManifest, "v1", HttpMethod::kDelete);
  EXPECT_EQ(deleted.status, expect().delete_tag_status);
  EXPECT_EQ(FirstErrorCode(deleted), expect().delete_tag_code);
  EXPECT_EQ(Get(RegistryEndpoint::kManifest, "v1").status,
            expect().delete_tag_status == 202 ? 404 : 200);
}

TEST_F(REGISTRY_API, Management_DeleteBlob) {
  const Blob blob = MakeBlob("delete me");
  ASSERT_EQ(PushBlob(*open_, repo_, blob).status, 201);
  EXPECT_EQ(Get(RegistryEndpoint::kBlob, blob.digest.str(), HttpMethod::kDelete).status, 202);
  auto gone = Get(RegistryEndpoint::kBlob, blob.digest.str());
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(FirstErrorCode(gone), "BLOB_UNKNOWN");
}

// --- bad requests ------------------------------------------------------------------------------

TEST_F(REGISTRY_API, BadRequest_InvalidRepositoryName) {
  auto response = Open(Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "Upper/Case", "v1"));
  EXPECT_EQ(response.status, expect().invalid_name_status);
  EXPECT_EQ(FirstErrorCode(response), expect().invalid_name_code);
}

TEST_F(REGISTRY_API, BadRequest_InvalidDigest) {
  auto response = Get(RegistryEndpoint::kBlob, "sha256:1234");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(FirstErrorCode(response), "DIGEST_INVALID");
}

TEST_F(REGISTRY_API, BadRequest_UnsupportedMethod) {
  auto response = Open(Request(HttpMethod::kPost, RegistryEndpoint::kManifest, repo_, "v1"));
  EXPECT_EQ(response.status, expect().unsupported_method_status);
}

// --- auth ------------------------------------------------------------------------------------

TEST_F(REGISTRY_API, Auth_BasicChallengesAnonymousClients) {
  auto ping = Send(*basic_, Request(HttpMethod::kGet, RegistryEndpoint::kPing));
  EXPECT_EQ(ping.status, 401);
  EXPECT_EQ(ping.headers.Get("WWW-Authenticate"), "Basic realm=\"basic-realm\"");
  EXPECT_EQ(FirstErrorCode(ping), "UNAUTHORIZED");
  auto pull = Send(*basic_, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1"));
  EXPECT_EQ(pull.status, 401);
  EXPECT_EQ(FirstErrorCode(pull), "UNAUTHORIZED");
}

TEST_F(REGISTRY_API, Auth_BasicWrongPasswordIs401) {
  auto ping =
      Send(*basic_, Request(HttpMethod::kGet, RegistryEndpoint::kPing), Basic("alice", "wrong"));
  EXPECT_EQ(ping.status, 401);
  EXPECT_TRUE(ping.headers.Has("WWW-Authenticate"));
  auto unknown = Send(*basic_, Request(HttpMethod::kGet, RegistryEndpoint::kPing),
                      Basic("mallory", "alice-pw"));
  EXPECT_EQ(unknown.status, 401);
}

TEST_F(REGISTRY_API, Auth_BasicValidUserPushesAndPulls) {
  const auto alice = Basic("alice", "alice-pw");
  EXPECT_EQ(Send(*basic_, Request(HttpMethod::kGet, RegistryEndpoint::kPing), alice).status, 200);
  const Image image = MakeImage(repo_);
  PushImage(*basic_, repo_, image, "v1", alice);
  auto got =
      Send(*basic_, Accepting(Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1")),
           alice);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body.view(), image.manifest.bytes);
}

TEST_F(REGISTRY_API, Auth_ValidUserWithoutTheRight) {
  const std::string repo = "alice-only/" + repo_.substr(4);
  const auto bob = Basic("bob", "bob-pw");
  auto push = Send(*basic_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo), bob);
  if (!expect().per_repository_rules) {
    // htpasswd knows users, not rights: every valid user may do everything.
    EXPECT_EQ(push.status, 202);
    return;
  }
  EXPECT_EQ(push.status, 403);
  EXPECT_EQ(FirstErrorCode(push), "DENIED");
  EXPECT_EQ(Send(*basic_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, repo),
                 Basic("alice", "alice-pw"))
                .status,
            202);
}

TEST_F(REGISTRY_API, Auth_BearerTokenFlow) {
  if (!expect().token_auth) GTEST_SKIP() << target_->name << " has no token server here";
  auto token_transport = *HttpTransport::Create(target_->token_url);
  auto challenge =
      Send(*token_transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1"));
  ASSERT_EQ(challenge.status, 401);
  auto parsed = oci::ParseAuthChallenges(*challenge.headers.Get("WWW-Authenticate"));
  ASSERT_TRUE(parsed.has_value());
  const auto& params = (*parsed)[0].params;
  EXPECT_EQ((*parsed)[0].scheme, "Bearer");
  EXPECT_EQ(params.at("scope"), "repository:" + repo_ + ":pull");
  oci::RegistryRequest token;
  token.endpoint = RegistryEndpoint::kToken;
  token.url = params.at("realm");
  token.query = {{"service", params.at("service")},
                 {"scope", "repository:" + repo_ + ":pull,push"}};
  auto wrong = Send(*token_transport, token, Basic("alice", "wrong"));
  EXPECT_EQ(wrong.status, 401);
  auto granted = Send(*token_transport, token, Basic("alice", "alice-pw"));
  ASSERT_EQ(granted.status, 200);
  const std::string value = nlohmann::json::parse(granted.body.view())["token"];
  const oci::HttpHeaders bearer = {{"Authorization", "Bearer " + value}};
  PushImage(*token_transport, repo_, MakeImage(repo_), "v1", bearer);
  EXPECT_EQ(
      Send(*token_transport,
           Accepting(Request(HttpMethod::kGet, RegistryEndpoint::kManifest, repo_, "v1")), bearer)
          .status,
      200);
}

}  // namespace
}  // namespace pullsim::registry
