// Interop with a real OCI tool (label "interop"): skopeo reads a layout pullsim writes, copies it,
// and pullsim reads skopeo's copy back with every digest intact.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "sim/oci/image_builder.h"
#include "sim/oci/image_layout.h"
#include "sim/oci/manifest.h"
#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::oci {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;  // stdout, then stderr
};

// Runs `command` through the shell, capturing stdout (stderr goes to a side file).
CommandResult RunShell(const std::string& command, const fs::path& stderr_file) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>'" + stderr_file.string() + "'").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  result.status = pclose(pipe);
  return result;
}

std::string ReadAll(const fs::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {};
  std::string out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) out.append(buffer.data(), n);
  std::fclose(file);
  return out;
}

bool HaveSkopeo() { return std::system("command -v skopeo >/dev/null 2>&1") == 0; }

class SkopeoInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveSkopeo())
      GTEST_SKIP() << "skopeo is not installed (scripts/install-deps.sh installs it)";
    dir_ = fs::path(PULLSIM_BINARY_DIR) / "test-tmp" / "skopeo_interop" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  // skopeo with a private policy-free, cache-in-the-test-dir environment.
  CommandResult Skopeo(const std::string& arguments) {
    const std::string env = "HOME='" + dir_.string() + "' TMPDIR='" + dir_.string() + "' ";
    CommandResult result =
        RunShell(env + "skopeo --insecure-policy " + arguments, dir_ / "stderr.txt");
    const std::string errors = ReadAll(dir_ / "stderr.txt");
    if (result.status != 0) result.output += errors;
    return result;
  }

  fs::path dir_;
};

TEST_F(SkopeoInterop, ARCH_01_SkopeoReadsAndCopiesOurLayout) {
  pullsim::testing::CoversRule("ARCH-01");
  ImageBuilder builder;
  ImageSpec spec;
  spec.repository = "registry.test/team/app";
  spec.tag = "1.0";
  spec.platforms = {"linux/amd64", "linux/arm64/v8", "linux/arm/v7"};
  spec.base_layers = {{"debian", 200000}};
  spec.layer_sizes = {150000, 4096};
  spec.seed = 7;
  auto multi = builder.Build(spec);
  ASSERT_TRUE(multi.has_value()) << multi.error().ToString();
  ImageSpec single_spec = spec;
  single_spec.repository = "registry.test/team/tool";
  single_spec.platforms = {"linux/amd64"};
  auto single = builder.Build(single_spec);
  ASSERT_TRUE(single.has_value()) << single.error().ToString();

  ImageLayout layout;
  AddImage(layout, *multi, "app-1.0");
  AddImage(layout, *single, "tool-1.0");
  const fs::path source = dir_ / "a";
  const fs::path copy = dir_ / "b";
  ASSERT_TRUE(WriteImageLayout(source, layout).has_value());

  // skopeo reads the index back byte for byte, and each platform's manifest.
  const CommandResult raw = Skopeo("inspect --raw 'oci:" + source.string() + ":app-1.0'");
  ASSERT_EQ(raw.status, 0) << raw.output;
  EXPECT_EQ(raw.output, *multi->root.bytes);
  const CommandResult tool = Skopeo("inspect --raw 'oci:" + source.string() + ":tool-1.0'");
  ASSERT_EQ(tool.status, 0) << tool.output;
  EXPECT_EQ(tool.output, *single->root.bytes);
  const CommandResult config =
      Skopeo("inspect --config --raw 'oci:" + source.string() + ":tool-1.0'");
  ASSERT_EQ(config.status, 0) << config.output;
  EXPECT_EQ(config.output, *single->platforms[0].config.bytes);

  // skopeo copies every platform; no layer is recompressed and no manifest rewritten.
  const CommandResult copied = Skopeo("copy --all 'oci:" + source.string() +
                                      ":app-1.0' 'oci:" + copy.string() + ":app-1.0'");
  ASSERT_EQ(copied.status, 0) << copied.output;
  const CommandResult copied_tool =
      Skopeo("copy 'oci:" + source.string() + ":tool-1.0' 'oci:" + copy.string() + ":tool-1.0'");
  ASSERT_EQ(copied_tool.status, 0) << copied_tool.output;

  // pullsim reads skopeo's layout, checking every reachable blob against its digest.
  auto read = ReadImageLayout(copy);
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  const Descriptor* app = read->Find("app-1.0");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->digest, multi->root.descriptor.digest);
  EXPECT_EQ(app->media_type, media_type::kOciIndex);
  EXPECT_EQ(app->size, multi->root.descriptor.size);
  const Descriptor* tool_entry = read->Find("tool-1.0");
  ASSERT_NE(tool_entry, nullptr);
  EXPECT_EQ(tool_entry->digest, single->root.descriptor.digest);
  for (const BuiltImage* image : {&*multi, &*single}) {
    for (const Blob& blob : image->AllBlobs()) {
      SCOPED_TRACE(blob.descriptor.digest.str());
      const BlobBytes bytes = read->Bytes(blob.descriptor.digest);
      ASSERT_NE(bytes, nullptr) << "skopeo's copy lacks a blob";
      EXPECT_EQ(Digest::Sha256Of(*bytes), blob.descriptor.digest);
    }
  }
}

}  // namespace
}  // namespace pullsim::oci
