#include "sim/report/junit_report.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sim/report/sample_results.h"

namespace pullsim::report {
namespace {

std::string Write(const scenario::RunResults& results) {
  std::ostringstream out;
  WriteJunitReport(results, out);
  return out.str();
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(JunitReport, OneSuitePerFolderOneCasePerScenario) {
  std::string xml = Write(testing::HandBuiltResults());
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
  EXPECT_TRUE(Contains(xml,
                       "<testsuites name=\"pullsim\" tests=\"6\" failures=\"3\" errors=\"1\" "
                       "skipped=\"1\" time=\"2.345\""));
  EXPECT_TRUE(Contains(xml, "<testsuite name=\"multi-tenant\" tests=\"1\" failures=\"0\""));
  EXPECT_TRUE(Contains(xml,
                       "<testsuite name=\"private-registry\" tests=\"2\" failures=\"1\" "
                       "errors=\"1\""));
  EXPECT_TRUE(Contains(xml,
                       "<testcase name=\"tag-not-found-backs-off\" "
                       "classname=\"fixtures/public-images/tag-not-found-backs-off.yaml\""));
  EXPECT_TRUE(Contains(xml, "<property name=\"rule\" value=\"KEP2535-03\"/>"));
  EXPECT_TRUE(Contains(xml, "<property name=\"pullsim.version\" value=\"0.1.0-test\"/>"));
}

TEST(JunitReport, FailuresStartWithFileAndLine) {
  std::string xml = Write(testing::HandBuiltResults());
  EXPECT_TRUE(Contains(xml,
                       "<failure message=\"fixtures/public-images/tag-not-found-backs-off."
                       "yaml:27: pod default/web: events\" type=\"FAIL\">"));
  EXPECT_TRUE(Contains(xml,
                       "fixtures/public-images/tag-not-found-backs-off.yaml:33: pod "
                       "default/web: state\n  expected: Waiting ImagePullBackOff\n  actual:   "
                       "Waiting ErrImagePull"));
  EXPECT_TRUE(Contains(xml,
                       "<error message=\"fixtures/private-registry/typo.yaml:12:7: "
                       "nodes[0].kubelet.registryPullQps: unknown key (did you mean "
                       "&quot;registryPullQPS&quot;?)\" type=\"INVALID\">"));
  EXPECT_TRUE(Contains(xml, "(and 1 more)</error>"));
  EXPECT_TRUE(Contains(xml,
                       "<skipped message=\"expected to fail (xfail): nodes have one runtime "
                       "handler, #42\"/>"));
  EXPECT_TRUE(Contains(xml,
                       "type=\"XPASS\">fixtures/private-registry/"
                       "credential-helpers-ignored.yaml: passed, but is marked xfail"));
}

TEST(JunitReport, HostileTextIsEscapedAndForbiddenCharactersRemoved) {
  std::string xml = Write(testing::HandBuiltResults());
  EXPECT_FALSE(Contains(xml, "<script"));
  EXPECT_FALSE(Contains(xml, "<img"));
  EXPECT_TRUE(Contains(xml, "&lt;script&gt;document.title=&apos;pwned&apos;&lt;/script&gt;"));
  EXPECT_FALSE(Contains(xml, std::string_view("\0", 1)));
  EXPECT_FALSE(Contains(xml, "\x07"));
  EXPECT_FALSE(Contains(xml, "\xEF\xBF\xBE"));      // U+FFFE
  EXPECT_TRUE(Contains(xml, "\xC3\x9Cn\xC3\xAF"));  // non-ASCII kept
  EXPECT_TRUE(Contains(xml, "]]&gt;"));
}

// A real XML parser reads it and sees the counts CI systems show (python3's ElementTree).
TEST(JunitReport, ParsesAsXml) {
  if (std::system("python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 is not installed";
  }
  std::filesystem::path dir = std::filesystem::path(PULLSIM_BINARY_DIR) / "report-test";
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "hand-built-junit.xml";
  {
    std::ofstream out(file, std::ios::binary);
    WriteJunitReport(testing::HandBuiltResults(), out);
    ASSERT_TRUE(out.good());
  }
  std::string command =
      "python3 -c 'import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); "
      "cases = r.findall(\"testsuite/testcase\"); "
      "assert len(cases) == 6, len(cases); "
      "assert len(r.findall(\"testsuite/testcase/failure\")) == 3; "
      "assert len(r.findall(\"testsuite/testcase/error\")) == 1; "
      "assert len(r.findall(\"testsuite/testcase/skipped\")) == 1; "
      "assert cases[-1].get(\"name\").startswith(\"<script>\"), cases[-1].get(\"name\")' '" +
      file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(JunitReport, EmptyRunIsStillValid) {
  std::string xml = Write(scenario::RunResults{});
  EXPECT_TRUE(Contains(xml, "tests=\"0\""));
  EXPECT_TRUE(xml.ends_with("</testsuites>\n"));
}

}  // namespace
}  // namespace pullsim::report
