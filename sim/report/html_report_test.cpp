#include "sim/report/html_report.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/report/internal/deflate.h"
#include "sim/report/sample_results.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::report {
namespace {

std::string Write(const scenario::RunResults& results) {
  std::ostringstream out;
  WriteHtmlReport(results, pullsim::testing::Catalogue(), out);
  return out.str();
}

std::size_t Count(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(HtmlReport, IsOneSelfContainedPage) {
  std::string html = Write(testing::HandBuiltResults());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
  EXPECT_TRUE(Contains(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(Contains(html, "default-src 'none'"));  // the browser may fetch nothing
  EXPECT_FALSE(Contains(html, "<link"));
  EXPECT_FALSE(Contains(html, "src=\"http"));
  EXPECT_FALSE(Contains(html, "href=\"http"));
  EXPECT_FALSE(Contains(html, "@import"));
  EXPECT_FALSE(Contains(html, "url(http"));
}

TEST(HtmlReport, SummaryCountsScenariosAndRules) {
  std::string html = Write(testing::HandBuiltResults());
  EXPECT_TRUE(Contains(html, "<li class=\"st-PASS\">passed <b>1</b></li>"));
  EXPECT_TRUE(Contains(html, "<li class=\"st-FAIL\">failed <b>2</b></li>"));
  EXPECT_TRUE(Contains(html, "<li class=\"st-INVALID\">invalid <b>1</b></li>"));
  EXPECT_TRUE(Contains(html, "<dd id=\"run-version\">0.1.0-test</dd>"));
  EXPECT_TRUE(Contains(html, "<dd id=\"run-seed\">42</dd>"));
  EXPECT_TRUE(Contains(html, "<dd id=\"run-time\">2.345s</dd>"));
  EXPECT_TRUE(Contains(html, "2 failed, 1 invalid, 1 passed unexpectedly"));
}

TEST(HtmlReport, VerdictCountsFailedTests) {
  scenario::RunResults results = testing::HandBuiltResults();
  results.scenarios = {results.scenarios[testing::kPassing]};
  const std::string html = Write(results);
  const std::size_t verdict = html.find("id=\"verdict\"");
  ASSERT_NE(verdict, std::string::npos);
  EXPECT_NE(html.find("1 test failed", verdict), std::string::npos);
  for (scenario::TestResult& test : results.tests) test.status = scenario::TestStatus::kPass;
  EXPECT_FALSE(Contains(Write(results), "test failed"));
}

TEST(HtmlReport, RuleTableHasEveryRuleWithItsWorstStatus) {
  std::string html = Write(testing::HandBuiltResults());
  for (const Rule& rule : pullsim::testing::Catalogue().rules()) {
    EXPECT_TRUE(Contains(html, "id=\"r-" + rule.id + "\"")) << rule.id;
  }
  // KEP2535-03: one passing scenario, linked.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-PASS\" id=\"r-KEP2535-03\""));
  EXPECT_TRUE(Contains(html,
                       "<a href=\"#s-0\" title=\"PASS fixtures/multi-tenant/"
                       "other-tenants-image-denied.yaml\">other-tenants-image-denied</a>"));
  // KUB-08: a passing and a failing scenario: FAIL.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-FAIL bad\" id=\"r-KUB-08\""));
  // ARCH-04: only a failing test.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-FAIL bad\" id=\"r-ARCH-04\""));
  EXPECT_TRUE(Contains(html, "Platform.ARCH_04_Fallback"));
  // REF-01: only a passing test counts as covered.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-PASS\" id=\"r-REF-01\""));
  // ADM-04: only an XFAIL scenario.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-XFAIL\" id=\"r-ADM-04\""));
  // KUB-13 is not simulated: its reason is shown.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-NOTSIM\" id=\"r-KUB-13\""));
  EXPECT_TRUE(Contains(html, "Not simulated: the simulated nodes have one runtime handler"));
  // Nothing checks REF-02.
  EXPECT_TRUE(Contains(html, "<tr class=\"rule rs-UNTESTED bad\" id=\"r-REF-02\""));
  // The docs section comes from the catalogue.
  EXPECT_TRUE(Contains(html, "<td class=\"docs\">Ensure image pull credential verification</td>"));
}

TEST(HtmlReport, FailuresShowExpectedBesideActual) {
  std::string html = Write(testing::HandBuiltResults());
  EXPECT_TRUE(Contains(html,
                       "<code>fixtures/public-images/tag-not-found-backs-off.yaml:27</code> "
                       "pod default/web &middot; <b>events</b>"));
  // Lines only expected are marked removed, lines only found are marked added.
  EXPECT_TRUE(Contains(html,
                       "<span class=\"del\">Normal BackOff Back-off pulling image "
                       "&quot;nginx:1.99&quot;</span>"));
  EXPECT_TRUE(Contains(html,
                       "<span class=\"ins\">Warning Failed Failed to pull image "
                       "&quot;nginx:1.99&quot;: manifest unknown</span>"));
  EXPECT_TRUE(Contains(html, "\nWarning Failed Error: ErrImagePull\n"));  // common: unmarked
  EXPECT_TRUE(Contains(html,
                       "<code>fixtures/private-registry/typo.yaml:12:7</code> "
                       "<code>nodes[0].kubelet.registryPullQps</code>: unknown key"));
}

TEST(HtmlReport, HostileTextNeverBecomesMarkup) {
  std::string html = Write(testing::HandBuiltResults());
  // Only the report's own two script elements.
  EXPECT_EQ(Count(html, "<script"), 2u);
  EXPECT_EQ(Count(html, "</script"), 2u);
  EXPECT_FALSE(Contains(html, "<img"));
  EXPECT_FALSE(Contains(html, "onerror=\""));
  EXPECT_FALSE(Contains(html, "onmouseover=\""));
  EXPECT_FALSE(Contains(html, "<b>evil"));
  EXPECT_FALSE(Contains(html, std::string_view("\0", 1)));
  EXPECT_TRUE(Contains(html, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
  EXPECT_TRUE(Contains(html, "data-area=\"x&quot; onmouseover=&quot;document.title=&#39;pwned"));
  // The unknown, hostile rule id gets its own escaped row.
  EXPECT_TRUE(Contains(html, "id=\"r-KUB-99&quot;&gt;&lt;script&gt;"));
  EXPECT_TRUE(Contains(html, "\xC3\x9Cn\xC3\xAF\x63\xC3\xB8\x64\xC3\xA9"));  // non-ASCII as is
}

TEST(HtmlReport, EmbeddedDetailsParseAndKeepTheText) {
  std::string html = Write(testing::HandBuiltResults());
  std::string open = "<script type=\"application/json\" id=\"pullsim-data\">";
  std::size_t begin = html.find(open);
  ASSERT_NE(begin, std::string::npos);
  begin += open.size();
  std::size_t end = html.find("</script>", begin);
  ASSERT_NE(end, std::string::npos);
  nlohmann::json chunks = nlohmann::json::parse(html.substr(begin, end - begin), nullptr, false);
  ASSERT_FALSE(chunks.is_discarded());
  ASSERT_EQ(chunks.size(), 6u);
  nlohmann::json data = nlohmann::json::array();
  for (const nlohmann::json& chunk : chunks) {
    bool ok = false;
    std::string text = internal::InflateBase64(chunk.get<std::string>(), ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(text.find_first_of("<>&"), std::string::npos);  // html-safe JSON inside
    data.push_back(nlohmann::json::parse(text, nullptr, false));
    ASSERT_FALSE(data.back().is_discarded());
  }
  EXPECT_EQ(data[testing::kPassing]["pods"][1]["timeline"][2]["kind"], "backoff");
  EXPECT_EQ(data[testing::kHostile]["pods"][0]["name"],
            "</script><script>document.title='pwned'</script>");
  EXPECT_EQ(data[testing::kPassing]["requests"].size(), 8u);
}

TEST(HtmlReport, SameResultsSameBytes) {
  EXPECT_EQ(Write(testing::HandBuiltResults()), Write(testing::HandBuiltResults()));
}

TEST(HtmlReport, EmptyRun) {
  std::string html = Write(scenario::RunResults{});
  EXPECT_TRUE(Contains(html, "<div id=\"list\">\n</div>"));
  EXPECT_TRUE(Contains(html, "id=\"pullsim-data\">[]</script>"));
}

TEST(Deflate, RoundTripsAndRejectsGarbage) {
  for (std::string_view text :
       {std::string_view(""), std::string_view("a"), std::string_view("ab"),
        std::string_view("abc"), std::string_view("{\"pods\":[]} {\"pods\":[]} {\"pods\":[]}")}) {
    bool ok = false;
    EXPECT_EQ(internal::InflateBase64(internal::DeflateBase64(text), ok), text);
    EXPECT_TRUE(ok);
  }
  bool ok = true;
  EXPECT_EQ(internal::InflateBase64("not base64!", ok), "");
  EXPECT_FALSE(ok);
  EXPECT_EQ(internal::InflateBase64("AAAA", ok), "");
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace pullsim::report
