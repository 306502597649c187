#include "sim/node/record_files.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

const Timestamp kT0 = VirtualClock::kDefaultStart;

ImagePullSecret Secret(std::string ns, std::string name, std::string uid, std::string hash) {
  return {std::move(uid), std::move(ns), std::move(name), std::move(hash)};
}

TEST(RecordFiles, KEP2535_06_FileNamesMatchUpstreamTestdata) {
  testing::CoversRule("KEP2535-06");
  EXPECT_EQ(CacheFileName("testimageref"),
            "sha256-b3c0cc4278800b03a308ceb2611161430df571ca733122f0a40ac8b9792a9064");
  EXPECT_EQ(CacheFileName("docker.io/testing/test:latest"),
            "sha256-aef2af226629a35d5f3ef0fdbb29fdbebf038d0acd8850590e8c48e1e283aa56");
  EXPECT_EQ(PulledDirectory("/var/lib/kubelet"), "/var/lib/kubelet/image_manager/pulled");
  EXPECT_EQ(PullingDirectory("/var/lib/kubelet/"), "/var/lib/kubelet/image_manager/pulling");
  EXPECT_TRUE(IsCacheFileName("sha256-abc"));
  EXPECT_FALSE(IsCacheFileName("sha256-abc.tmp"));
  EXPECT_FALSE(IsCacheFileName("notes.txt"));
}

TEST(RecordFiles, KEP2535_06_EncodesAsTheKubeletWrites) {
  testing::CoversRule("KEP2535-06");
  EXPECT_EQ(EncodePullIntent({"docker.io/testing/test:latest"}, "kubelet.config.k8s.io/v1beta1"),
            "{\"kind\":\"ImagePullIntent\",\"apiVersion\":\"kubelet.config.k8s.io/v1beta1\","
            "\"image\":\"docker.io/testing/test:latest\"}\n");
  Result<Timestamp> time = ParseRecordTime("2024-10-21T12:26:40Z");
  ASSERT_TRUE(time);
  ImagePulledRecord record{
      *time, "testimage-anonpull", {{"docker.io/testing/test", {{}, {}, true}}}};
  EXPECT_EQ(EncodePulledRecord(record, "kubelet.config.k8s.io/v1beta1"),
            "{\"kind\":\"ImagePulledRecord\",\"apiVersion\":\"kubelet.config.k8s.io/v1beta1\","
            "\"lastUpdatedTime\":\"2024-10-21T12:26:40Z\",\"imageRef\":\"testimage-anonpull\","
            "\"credentialMapping\":{\"docker.io/testing/test\":{\"nodePodsAccessible\":true}}}\n");
  // v1alpha1 (v1.33–v1.34) wrote the secrets list even when unused.
  EXPECT_NE(EncodePulledRecord(record, "kubelet.config.k8s.io/v1alpha1")
                .find("{\"kubernetesSecrets\":null,\"nodePodsAccessible\":true}"),
            std::string::npos);
  ImagePulledRecord escaped{*time, "a<b>&\"\n", {}};
  EXPECT_NE(
      EncodePulledRecord(escaped, "v").find("\"imageRef\":\"a\\u003cb\\u003e\\u0026\\\"\\n\"}"),
      std::string::npos);
}

TEST(RecordFiles, KEP2535_06_RoundTripsAndReadsStrictly) {
  testing::CoversRule("KEP2535-06");
  ImagePulledRecord record{
      kT0, "ref", {{"r", {{Secret("ns", "a", "u", "h")}, {{"sa", "ns", "b"}}, false}}}};
  Result<ImagePulledRecord> decoded =
      DecodePulledRecord(EncodePulledRecord(record, "kubelet.config.k8s.io/v1beta1"));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, record);

  Result<ImagePulledRecord> unknown = DecodePulledRecord(
      R"({"kind":"ImagePulledRecord","apiVersion":"kubelet.config.k8s.io/v1alpha1",)"
      R"("imageRef":"x","credentialMapping":{"r":{"kubernetesSecretCoordinates":[]}}})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "credentialMapping[\"r\"]: strict decoding error: unknown field "
            "\"kubernetesSecretCoordinates\"");
  EXPECT_FALSE(DecodePulledRecord(
      R"({"kind":"ImagePullIntent","apiVersion":"kubelet.config.k8s.io/v1beta1"})"));
  EXPECT_FALSE(DecodePulledRecord(R"({"kind":"ImagePulledRecord","apiVersion":"v9"})"));
  EXPECT_FALSE(DecodePulledRecord("{not json"));
  EXPECT_FALSE(DecodePullIntent(
      R"({"kind":"ImagePullIntent","apiVersion":"kubelet.config.k8s.io/v1beta1","image":7})"));
  Result<ImagePullIntent> intent = DecodePullIntent(
      R"({"kind":"ImagePullIntent","apiVersion":"kubelet.config.k8s.io/v1alpha1","image":"a"})");
  ASSERT_TRUE(intent);
  EXPECT_EQ(intent->image, "a");
}

TEST(RecordFiles, KEP2535_06_RecordTimes) {
  testing::CoversRule("KEP2535-06");
  EXPECT_EQ(FormatRecordTime(kT0 + std::chrono::milliseconds(1500)), "2026-01-01T00:00:01Z");
  Result<Timestamp> offset = ParseRecordTime("2026-01-01T02:00:00.5+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, kT0 + std::chrono::milliseconds(500));
  EXPECT_FALSE(ParseRecordTime("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseRecordTime("2026-01-01 00:00:00Z"));
  EXPECT_FALSE(ParseRecordTime("2026-01-01T00:00:00"));
}

}  // namespace
}  // namespace pullsim::node
