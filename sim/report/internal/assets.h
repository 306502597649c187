#pragma once
// The report page's stylesheet and script (sim/report/assets/), compiled in by
// embed_assets.cmake so a report needs no file beside it.

#include <string_view>

namespace pullsim::report::internal {

extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace pullsim::report::internal
