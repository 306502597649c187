#include "sim/node/image_store.h"

#include <gtest/gtest.h>

#include "sim/node/catalog_runtime.h"

namespace pullsim::node {
namespace {

std::string Hex(char c) { return "sha256:" + std::string(64, c); }

StoredImage Image(std::string id, std::vector<std::string> tags, std::vector<std::string> layers) {
  StoredImage image;
  image.id = std::move(id);
  image.repo_tags = std::move(tags);
  image.layers = std::move(layers);
  image.config_size = 100;
  return image;
}

TEST(ImageStore, SharedLayersAreStoredOnce) {
  ImageStore store;
  EXPECT_TRUE(store.PutLayer("l1", 1000));
  EXPECT_TRUE(store.PutLayer("l2", 2000));
  ASSERT_TRUE(store.AddImage(Image(Hex('a'), {"docker.io/library/a:1"}, {"l1", "l2"})));
  EXPECT_FALSE(store.PutLayer("l1", 1000));  // already there: nothing stored
  EXPECT_TRUE(store.PutLayer("l3", 500));
  ASSERT_TRUE(store.AddImage(Image(Hex('b'), {"docker.io/library/b:1"}, {"l1", "l3"})));
  EXPECT_EQ(store.layer_count(), 3u);
  EXPECT_EQ(store.stored_layer_bytes(), 3500u);
  EXPECT_EQ(store.ImageSize(*store.FindById(Hex('b'))), 1600u);

  ASSERT_TRUE(store.RemoveImage(Hex('a')));
  EXPECT_FALSE(store.HasLayer("l2"));
  EXPECT_TRUE(store.HasLayer("l1"));  // still used by b
  EXPECT_EQ(store.stored_layer_bytes(), 1500u);
  EXPECT_EQ(store.RemoveImage(Hex('a')).error().code, ErrorCode::kNotFound);
}

TEST(ImageStore, RefusesImagesWithMissingLayers) {
  ImageStore store;
  Result<void> added = store.AddImage(Image(Hex('a'), {}, {"missing"}));
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store.image_count(), 0u);
}

TEST(ImageStore, ResolvesLikeContainerdsCri) {
  ImageStore store;
  StoredImage image = Image(Hex('a'), {"docker.io/library/nginx:latest"}, {});
  image.repo_digests = {"docker.io/library/nginx@" + Hex('d')};
  ASSERT_TRUE(store.AddImage(image));
  for (const char* name :
       {"nginx", "nginx:latest", "docker.io/library/nginx:latest", "library/nginx"}) {
    SCOPED_TRACE(name);
    ASSERT_NE(store.Resolve(name), nullptr);
    EXPECT_EQ(store.Resolve(name)->id, Hex('a'));
  }
  EXPECT_NE(store.Resolve("nginx@" + Hex('d')), nullptr);
  EXPECT_NE(store.Resolve(Hex('a')), nullptr);
  EXPECT_EQ(store.Resolve("nginx:1.25"), nullptr);
  EXPECT_EQ(store.Resolve("nginx@" + Hex('e')), nullptr);
  EXPECT_EQ(store.Resolve("Not A Reference"), nullptr);
}

TEST(ImageStore, ATagMovesToTheNewestImage) {
  ImageStore store;
  ASSERT_TRUE(store.AddImage(Image(Hex('a'), {"docker.io/library/app:latest"}, {})));
  ASSERT_TRUE(store.AddImage(Image(Hex('b'), {"docker.io/library/app:latest"}, {})));
  EXPECT_EQ(store.Resolve("app")->id, Hex('b'));
  EXPECT_TRUE(store.FindById(Hex('a'))->repo_tags.empty());
  EXPECT_EQ(store.List().size(), 2u);
}

TEST(CatalogRuntime, PullsOnlyMissingLayers) {
  ImageStore store;
  CatalogRuntime runtime(store, {std::chrono::milliseconds(100), 1000.0});
  runtime.AddToCatalog(
      {"registry.test/team/a", {"1"}, Hex('1'), Hex('a'), 10, {{"l1", 1000}, {"l2", 2000}}, {}});
  runtime.AddToCatalog(
      {"registry.test/team/b", {"1"}, Hex('2'), Hex('b'), 10, {{"l1", 1000}, {"l3", 500}}, {}});
  PullAttempt a = runtime.PullImage({"registry.test/team/a:1", ""}, nullptr);
  ASSERT_TRUE(a.result) << a.result.error().message;
  EXPECT_EQ(a.result->image_ref, Hex('a'));
  EXPECT_EQ(a.result->size, 3010u);
  EXPECT_EQ(a.duration, std::chrono::milliseconds(3100));  // 100 ms + 3000 bytes at 1000 B/s
  PullAttempt b = runtime.PullImage({"registry.test/team/b:1", ""}, nullptr);
  ASSERT_TRUE(b.result);
  EXPECT_EQ(runtime.pull_calls().back().bytes_fetched, 500u);
  EXPECT_EQ(store.stored_layer_bytes(), 3500u);
  EXPECT_EQ(runtime.GetImageRef({"registry.test/team/b:1", ""}), Hex('b'));
  EXPECT_EQ(store.FindById(Hex('b'))->repo_digests,
            (std::vector<std::string>{"registry.test/team/b@" + Hex('2')}));
}

TEST(CatalogRuntime, ContainerdErrorTexts) {
  ImageStore store;
  CatalogRuntime runtime(store);
  CatalogImage image{"registry.test/private", {"1"}, Hex('1'), Hex('a'), 10, {}, {"alice"}};
  runtime.AddToCatalog(image);
  PullAttempt missing = runtime.PullImage({"registry.test/nope:1", ""}, nullptr);
  ASSERT_FALSE(missing.result);
  EXPECT_EQ(missing.result.error().message,
            "rpc error: code = NotFound desc = failed to pull and unpack image "
            "\"registry.test/nope:1\": failed to resolve reference \"registry.test/nope:1\": "
            "registry.test/nope:1: not found");
  PullAttempt denied = runtime.PullImage({"registry.test/private:1", ""}, nullptr);
  ASSERT_FALSE(denied.result);
  EXPECT_TRUE(denied.result.error().message.starts_with("rpc error: code = Unknown desc = "));
  EXPECT_NE(denied.result.error().message.find("pull access denied"), std::string::npos);
  PullCredential alice;
  alice.username = "alice";
  EXPECT_TRUE(runtime.PullImage({"registry.test/private:1", ""}, &alice).result);
  runtime.FailPulls("registry.test/private:1", "RegistryUnavailable: dial tcp: i/o timeout");
  EXPECT_EQ(runtime.PullImage({"registry.test/private:1", ""}, &alice).result.error().message,
            "RegistryUnavailable: dial tcp: i/o timeout");
  runtime.FailInspection("rpc error: code = Unavailable desc = connection error");
  EXPECT_FALSE(runtime.GetImageRef({"registry.test/private:1", ""}));
}

}  // namespace
}  // namespace pullsim::node
