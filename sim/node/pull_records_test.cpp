#include "sim/node/pull_records.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

const Timestamp kT0 = VirtualClock::kDefaultStart;

ImagePullSecret Secret(std::string ns, std::string name, std::string uid, std::string hash) {
  return {std::move(uid), std::move(ns), std::move(name), std::move(hash)};
}

TEST(PullRecords, KEP2535_05_CredentialsToRecord) {
  testing::CoversRule("KEP2535-05");
  EXPECT_EQ(CredentialsToRecord(nullptr), (ImagePullCredentials{{}, {}, true}));
  PullCredential node;
  node.username = "u";
  EXPECT_EQ(CredentialsToRecord(&node), (ImagePullCredentials{{}, {}, true}));
  PullCredential secret;
  secret.secret = SecretCoordinates{"u1", "ns", "regcred"};
  secret.credential_hash = "h1";
  EXPECT_EQ(CredentialsToRecord(&secret),
            (ImagePullCredentials{{Secret("ns", "regcred", "u1", "h1")}, {}, false}));
  PullCredential account;
  account.service_account = ServiceAccountCoordinates{"sa1", "ns", "builder"};
  EXPECT_EQ(CredentialsToRecord(&account),
            (ImagePullCredentials{{}, {{"sa1", "ns", "builder"}}, false}));
}

TEST(PullRecords, KEP2535_05_CredentialHashIsSha256OfGoJson) {
  testing::CoversRule("KEP2535-05");
  PullCredential credential;
  credential.username = "u";
  credential.password = "p<";  // Go escapes '<' as \u003c
  EXPECT_EQ(CredentialHash(credential),
            "43613dbfa39e0fb6f3063b043db9971ece8a578c595a1818942ae332c4037ec5");
  EXPECT_EQ(CredentialHash(PullCredential{}),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  credential.secret = SecretCoordinates{"uid", "ns", "name"};  // the source is not hashed
  EXPECT_EQ(CredentialHash(credential),
            "43613dbfa39e0fb6f3063b043db9971ece8a578c595a1818942ae332c4037ec5");
}

TEST(PullRecords, KEP2535_05_SecretsUnionSortedNewHashWins) {
  testing::CoversRule("KEP2535-05");
  MergedSecrets merged =
      MergePullSecrets({Secret("b", "x", "1", "h1"), Secret("a", "y", "2", "h2")},
                       {Secret("a", "y", "2", "h9"), Secret("a", "a", "3", "h3")});
  EXPECT_TRUE(merged.changed);
  EXPECT_EQ(merged.secrets,
            (std::vector<ImagePullSecret>{Secret("a", "a", "3", "h3"), Secret("a", "y", "2", "h9"),
                                          Secret("b", "x", "1", "h1")}));
  MergedSecrets same =
      MergePullSecrets({Secret("b", "x", "1", "h1")}, {Secret("b", "x", "1", "h1")});
  EXPECT_FALSE(same.changed);
}

TEST(PullRecords, KEP2535_05_MergeRules) {
  testing::CoversRule("KEP2535-05");
  ImagePulledRecord record{kT0, "ref", {{"repo", {{Secret("ns", "a", "u1", "h1")}, {}, false}}}};
  const Timestamp later = kT0 + std::chrono::seconds(5);

  // Nothing new: unchanged, time kept.
  ImagePullCredentials nothing;
  EXPECT_FALSE(MergeNewCredentials(record, "repo", nullptr, later).changed);
  EXPECT_FALSE(MergeNewCredentials(record, "repo", &nothing, later).changed);

  // A new repository is added.
  ImagePullCredentials node{{}, {}, true};
  MergedRecord added = MergeNewCredentials(record, "other", &node, later);
  EXPECT_TRUE(added.changed);
  EXPECT_EQ(added.record.credential_mapping.size(), 2u);
  EXPECT_EQ(added.record.last_updated_time, later);

  // Node-accessible replaces the secrets, and is never narrowed afterwards.
  MergedRecord widened = MergeNewCredentials(record, "repo", &node, later);
  EXPECT_EQ(widened.record.credential_mapping["repo"], node);
  ImagePullCredentials secret{{Secret("ns", "b", "u2", "h2")}, {}, false};
  MergedRecord narrowed = MergeNewCredentials(widened.record, "repo", &secret, later);
  EXPECT_FALSE(narrowed.changed);

  // Service accounts join beside existing secrets.
  ImagePullCredentials account{{}, {{"sa", "ns", "builder"}}, false};
  MergedRecord both = MergeNewCredentials(record, "repo", &account, later);
  EXPECT_TRUE(both.changed);
  EXPECT_EQ(both.record.credential_mapping["repo"].kubernetes_secrets.size(), 1u);
  EXPECT_EQ(both.record.credential_mapping["repo"].kubernetes_service_accounts.size(), 1u);
}

}  // namespace
}  // namespace pullsim::node
