// KUB-08: every vector of fixtures/vectors/backoff.yaml, run through the node's image manager
// (EnsureImageExists with policy Always, so each call either pulls or is in back-off) on a
// virtual clock, with a runtime whose pulls fail or succeed as the vector says and take no
// simulated time. Vectors are loaded at run time; each test records the rule ids it names.
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/node/image_manager.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::node {
namespace {

using std::chrono::seconds;

constexpr std::string_view kVectorFile = "fixtures/vectors/backoff.yaml";
// The shared file's header: "subset: shared (7 of 10 vectors in this family)".
constexpr std::size_t kSharedVectorCount = 7;
const std::string kImageRef = "sha256:" + std::string(64, '1');

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

// Pulls succeed or fail on demand, instantly.
class ScriptedRuntime final : public ImageRuntime {
 public:
  bool next_pull_ok = false;
  int pulls = 0;

  Result<std::string> GetImageRef(const ImageSpec&) override { return std::string(); }
  PullAttempt PullImage(const ImageSpec& spec, const PullCredential*) override {
    ++pulls;
    PullAttempt attempt;
    if (next_pull_ok) {
      attempt.result = PulledImage{kImageRef, 1};
    } else {
      attempt.result = Fail(ErrorCode::kNotFound,
                            "rpc error: code = NotFound desc = " + spec.image + ": not found");
    }
    return attempt;
  }
  Result<std::vector<RuntimeImage>> ListImages() override { return std::vector<RuntimeImage>{}; }
};

struct Call {
  int t = 0;
  std::string key;
  bool pull_ok = false;
};

struct Observed {
  std::string result;  // "success" or the error name
  bool pull_attempted = false;
  const Backoff::Entry* entry = nullptr;
};

// One kubelet, its back-off configured as the vector says.
class Kubelet {
 public:
  Kubelet(Duration initial, Duration max) {
    settings_.image_backoff_initial = initial;
    settings_.image_backoff_max = max;
    pull_manager_.emplace(fs_, settings_.root_dir,
                          *CredentialVerificationPolicy::Create(settings_.verification_policy),
                          clock_);
    manager_.emplace(settings_, runtime_, clock_, events_, &*pull_manager_);
  }

  // The key is "<pod uid>_<image>"; the uid is everything before the first '_'.
  Observed Run(const Call& call) {
    clock_.AdvanceTo(VirtualClock::kDefaultStart + seconds(call.t));
    const std::size_t split = call.key.find('_');
    ContainerImageRequest request;
    request.pod = ObjectReference{"Pod", "default", "pod", call.key.substr(0, split), ""};
    request.container_name = "app";
    request.image = call.key.substr(split + 1);
    request.pull_policy = reference::PullPolicy::kAlways;
    runtime_.next_pull_ok = call.pull_ok;
    const int pulls_before = runtime_.pulls;
    EnsureImageResult result = manager_->EnsureImageExists(request, clock_);
    return Observed{result.ok() ? "success" : result.error, runtime_.pulls > pulls_before,
                    manager_->backoff().Find(call.key)};
  }

 private:
  KubeletSettings settings_;
  VirtualClock clock_;
  NodeFileSystem fs_;
  EventRecorder events_;
  ScriptedRuntime runtime_;
  std::optional<PullManager> pull_manager_;
  std::optional<ImageManager> manager_;
};

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }
double SecondsSinceStart(Timestamp t) { return Seconds(t - VirtualClock::kDefaultStart); }

class BackoffVectorTest : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
};

TEST(BackoffVectors, KUB_08_FileLoadsEveryVector) {
  testing::CoversRule("KUB-08");
  testing::ExpectEveryVectorLoaded(Vectors(), kSharedVectorCount);
}

TEST_P(BackoffVectorTest, KUB_08_Timeline) {
  const Vector& vector = GetParam();
  const YAML::Node& input = vector.input;
  for (const auto& item : input) {
    const std::string key = item.first.as<std::string>();
    if (key != "initial_s" && key != "max_s" && key != "attempts" && key != "calls") {
      ADD_FAILURE() << vector.id << ": input key " << key << " is not understood by this test";
    }
  }
  Kubelet kubelet(seconds(input["initial_s"].as<int>(10)), seconds(input["max_s"].as<int>(300)));

  if (input["attempts"]) {
    std::vector<Call> calls;
    for (const YAML::Node& attempt : input["attempts"]) {
      const std::string outcome = attempt["pull_would"].as<std::string>();
      ASSERT_TRUE(outcome == "fail" || outcome == "ok") << vector.id << ": pull_would " << outcome;
      calls.push_back({attempt["t"].as<int>(), attempt["key"].as<std::string>(), outcome == "ok"});
    }
    ASSERT_TRUE(vector.expected.IsSequence()) << vector.id;
    ASSERT_EQ(vector.expected.size(), calls.size()) << vector.id;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      const YAML::Node want = vector.expected[i];
      SCOPED_TRACE(vector.id + " t=" + std::to_string(calls[i].t) + " " + calls[i].key);
      ASSERT_EQ(want["t"].as<int>(), calls[i].t);
      ASSERT_EQ(want["key"].as<std::string>(), calls[i].key);
      const Observed got = kubelet.Run(calls[i]);
      for (const auto& item : want) {
        const std::string key = item.first.as<std::string>();
        const YAML::Node value = item.second;
        if (key == "t" || key == "key") continue;
        if (key == "result") {
          EXPECT_EQ(got.result, value.as<std::string>());
        } else if (key == "pull_attempted") {
          EXPECT_EQ(got.pull_attempted, value.as<bool>());
        } else if (key == "backoff_after") {
          ASSERT_NE(got.entry, nullptr);
          EXPECT_EQ(Seconds(got.entry->backoff), value.as<double>());
        } else if (key == "last_update_after") {
          ASSERT_NE(got.entry, nullptr);
          EXPECT_EQ(SecondsSinceStart(got.entry->last_update), value.as<double>());
        } else if (key == "entry_after") {
          if (value.IsNull()) {
            EXPECT_EQ(got.entry, nullptr);
          } else {
            ASSERT_NE(got.entry, nullptr);
            if (value["backoff"]) {
              EXPECT_EQ(Seconds(got.entry->backoff), value["backoff"].as<double>());
            }
            if (value["last_update"]) {
              EXPECT_EQ(SecondsSinceStart(got.entry->last_update),
                        value["last_update"].as<double>());
            }
          }
        } else {
          ADD_FAILURE() << "expected key " << key << " is not understood by this test";
        }
      }
    }
    return;
  }

  // A continuous timeline described in words: "… at every integer second t=A..B …; every pull
  // fails" (or succeeds).
  ASSERT_TRUE(input["calls"]) << vector.id << ": neither attempts nor calls";
  const std::string text = input["calls"].as<std::string>();
  std::smatch range;
  ASSERT_TRUE(std::regex_search(text, range, std::regex(R"(t=(\d+)\.\.(\d+))")))
      << vector.id << ": no time range in \"" << text << "\"";
  const bool fails = text.find("every pull fails") != std::string::npos;
  ASSERT_TRUE(fails || text.find("every pull succeeds") != std::string::npos)
      << vector.id << ": no pull outcome in \"" << text << "\"";
  const int first = std::stoi(range[1].str());
  const int last = std::stoi(range[2].str());
  std::vector<int> attempt_times;
  std::vector<double> backoffs;
  std::vector<std::string> other_results;
  for (int t = first; t <= last; ++t) {
    const Call call{t, "uid1_example.com/app:v1", !fails};
    const Observed got = kubelet.Run(call);
    if (got.pull_attempted) {
      attempt_times.push_back(t);
      backoffs.push_back(got.entry == nullptr ? 0.0 : Seconds(got.entry->backoff));
    } else {
      other_results.push_back(got.result);
    }
  }
  for (const auto& item : vector.expected) {
    const std::string key = item.first.as<std::string>();
    if (key == "pull_attempt_times") {
      EXPECT_EQ(attempt_times, item.second.as<std::vector<int>>()) << vector.id;
    } else if (key == "backoff_values_after_each_attempt") {
      EXPECT_EQ(backoffs, item.second.as<std::vector<double>>()) << vector.id;
    } else if (key == "all_other_calls") {
      const std::string want = item.second.as<std::string>();
      for (const std::string& result : other_results) ASSERT_EQ(result, want) << vector.id;
    } else {
      ADD_FAILURE() << vector.id << ": expected key " << key << " is not understood by this test";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BackoffYaml, BackoffVectorTest, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorIdName);

}  // namespace
}  // namespace pullsim::node
