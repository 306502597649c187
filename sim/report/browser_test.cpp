// The HTML report in a real browser: Debian's headless Chromium renders a report of hand-built
// results, --dump-dom shows what the page became after its script ran, and a screenshot is saved
// under the build folder (report-test/browser/*.png) for a person to look at.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "sim/report/html_report.h"
#include "sim/report/sample_results.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::report {
namespace {

namespace fs = std::filesystem;

std::string Chromium() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(candidate)) return candidate;
  }
  return "";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class ReportInBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = Chromium();
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
    dir_ = fs::path(PULLSIM_BINARY_DIR) / "report-test" / "browser";
    fs::create_directories(dir_);
    report_ = dir_ / "report.html";
    std::ofstream out(report_, std::ios::binary);
    WriteHtmlReport(testing::HandBuiltResults(), pullsim::testing::Catalogue(), out);
    ASSERT_TRUE(out.good());
  }

  // Runs headless Chromium on the report (with `fragment`, "#s-1" say) and `mode`, a flag such
  // as --dump-dom; returns its standard output. A fresh profile each time: nothing is shared
  // with a person's browser, and the network-using services are off.
  std::string Run(std::string_view fragment, const std::string& mode, const std::string& name) {
    fs::path profile = dir_ / ("profile-" + name);
    fs::remove_all(profile);
    fs::path out = dir_ / (name + ".out");
    fs::path err = dir_ / (name + ".err");
    std::string url = "file://" + fs::absolute(report_).string() + std::string(fragment);
    std::string command = "timeout 120 '" + chromium_ +
                          "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                          "--disable-background-networking --disable-component-update "
                          "--disable-sync --disable-dev-shm-usage --hide-scrollbars "
                          "--virtual-time-budget=5000 --user-data-dir='" +
                          profile.string() + "' " + mode + " '" + url + "' >'" + out.string() +
                          "' 2>'" + err.string() + "'";
    int status = std::system(command.c_str());
    fs::remove_all(profile);
    EXPECT_EQ(status, 0) << command << "\n" << ReadFile(err);
    return ReadFile(out);
  }

  std::string chromium_;
  fs::path dir_;
  fs::path report_;
};

TEST_F(ReportInBrowser, RendersSummaryRulesAndTheFailingDiff) {
  // Opening #s-5 (the hostile scenario) makes the script draw its details as well.
  std::string dom = Run("#s-" + std::to_string(testing::kHostile), "--dump-dom", "dom");
  ASSERT_FALSE(dom.empty());
  // The script ran: the filter counter is filled in.
  EXPECT_TRUE(Contains(dom, "showing 6 of 6 scenarios")) << dom.substr(0, 2000);
  // Nothing hostile ran: the title is the report's own.
  EXPECT_TRUE(Contains(dom, "<title>pullsim conformance report</title>"));
  EXPECT_FALSE(Contains(dom, std::string(testing::kPwned) + "</title>"));
  EXPECT_FALSE(Contains(dom, "<img"));
  // The summary.
  EXPECT_TRUE(Contains(dom, "<li class=\"st-FAIL\">failed <b>2</b></li>"));
  EXPECT_TRUE(Contains(dom, "<dd id=\"run-seed\">42</dd>"));
  EXPECT_TRUE(Contains(dom, "<dd id=\"run-version\">0.1.0-test</dd>"));
  // The rule table.
  EXPECT_TRUE(Contains(dom, "<tr class=\"rule rs-PASS\" id=\"r-KEP2535-03\""));
  EXPECT_TRUE(Contains(dom, "<tr class=\"rule rs-FAIL bad\" id=\"r-KUB-08\""));
  // The failing scenario's diff.
  EXPECT_TRUE(Contains(dom,
                       "<span class=\"del\">Normal BackOff Back-off pulling image "
                       "\"nginx:1.99\"</span>"));
  EXPECT_TRUE(Contains(dom,
                       "<span class=\"ins\">Warning Failed Failed to pull image "
                       "\"nginx:1.99\": manifest unknown</span>"));
  // The hostile scenario's details were drawn, as text.
  EXPECT_TRUE(Contains(dom, "<svg class=\"timeline\""));
  EXPECT_TRUE(Contains(dom,
                       "Pod ns/&lt;/script&gt;&lt;script&gt;document.title='pwned'"
                       "&lt;/script&gt;"));
  EXPECT_TRUE(Contains(dom, "&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_TRUE(Contains(dom, "\xC3\x9Cn\xC3\xAF\x63\xC3\xB8\x64\xC3\xA9"));
}

// Two screenshots: the top of the full report, and a short report of two scenarios with the
// first one's details open (headless Chromium's screenshot of a scrolled page comes out blank,
// so that page is kept short enough to need no scrolling).
TEST_F(ReportInBrowser, SavesScreenshots) {
  fs::path top = dir_ / "report-top.png";
  fs::path scenario_shot = dir_ / "report-scenario.png";
  fs::remove(top);
  fs::remove(scenario_shot);
  Run("", "--window-size=1280,1700 --screenshot='" + top.string() + "'", "shot-top");

  // Only the rules the two scenarios name, from the real catalogue.
  scenario::RunResults results = testing::HandBuiltResults();
  results.scenarios = {results.scenarios[testing::kPassing], results.scenarios[testing::kFailing]};
  results.tests.clear();
  fs::path rules = dir_ / "rules.yaml";
  {
    std::ofstream out(rules, std::ios::binary);
    for (const Rule& rule : pullsim::testing::Catalogue().rules()) {
      bool named = false;
      for (const scenario::ScenarioResult& s : results.scenarios) {
        for (const std::string& id : s.rules) named = named || id == rule.id;
      }
      if (!named) continue;
      out << "- {id: " << rule.id << ", spec: \"" << rule.spec << "\", docs: \"" << rule.docs
          << "\", rule: \"" << rule.rule << "\"}\n";
    }
  }
  Result<RuleCatalogue> catalogue = RuleCatalogue::Load(rules);
  ASSERT_TRUE(catalogue.has_value()) << catalogue.error().ToString();
  report_ = dir_ / "report-short.html";
  {
    std::ofstream out(report_, std::ios::binary);
    WriteHtmlReport(results, *catalogue, out);
  }
  // Filter to the first scenario and open it: a fragment naming an element would make the
  // browser scroll to it.
  Run("#filter:name=other-tenants-image-denied&open",
      "--window-size=1280,2600 --screenshot='" + scenario_shot.string() + "'", "shot-scenario");

  ASSERT_TRUE(fs::exists(top));
  ASSERT_TRUE(fs::exists(scenario_shot));
  // A blank page compresses to about 10 kB; a rendered report is several times that.
  EXPECT_GT(fs::file_size(top), 40000u);
  EXPECT_GT(fs::file_size(scenario_shot), 40000u);
  std::string png = ReadFile(top);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  std::cout << "screenshots: " << top << " " << scenario_shot << "\n";
}

// 10,000 scenarios stay usable: the page loads, and filtering (here to the failed ones, from the
// URL) restyles and lays out the list quickly. The page measures itself (data-filter-ms on the
// counter, data-ready-ms on <body>).
TEST_F(ReportInBrowser, TenThousandScenariosFilterQuickly) {
  report_ = dir_ / "report-10000.html";
  {
    std::ofstream out(report_, std::ios::binary);
    WriteHtmlReport(testing::SyntheticResults(10000), pullsim::testing::Catalogue(), out);
    ASSERT_TRUE(out.good());
  }
  std::string dom = Run("#filter:failed", "--dump-dom", "dom-10000");
  // Every tenth fails and every fiftieth is invalid: 1,000 + 200 - 200 overlapping = 1,000... see
  // SyntheticResults: i % 50 == 49 is invalid, else i % 10 == 9 fails.
  EXPECT_TRUE(Contains(dom, "showing 1000 of 10000 scenarios")) << dom.substr(0, 1000);
  auto number_after = [&](std::string_view key) -> long {
    std::size_t at = dom.find(key);
    if (at == std::string::npos) return -1;
    return std::strtol(dom.c_str() + at + key.size(), nullptr, 10);
  };
  long filter_ms = number_after("data-filter-ms=\"");
  long ready_ms = number_after("data-ready-ms=\"");
  std::cout << "10,000 scenarios: " << fs::file_size(report_) / 1000000 << " MB, ready in "
            << ready_ms << " ms, filter applied and laid out in " << filter_ms << " ms\n";
  ASSERT_GE(filter_ms, 0);
  EXPECT_LT(filter_ms, 1000);  // a person notices a second; this is usually tens of ms
  EXPECT_LT(ready_ms, 30000);
}

}  // namespace
}  // namespace pullsim::report
