#include "sim/scenario/runner.h"

#include <memory>
#include <utility>
#include <variant>

#include "sim/scenario/expectations.h"
#include "sim/scenario/run_summary.h"
#include "sim/scenario/simulation.h"

namespace pullsim::scenario {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) {
    if (!text.empty()) text += "\n";
    text += part;
  }
  return text.empty() ? "none" : text;
}

// Runs the steps of one scenario against its world.
class StepRunner {
 public:
  StepRunner(const Scenario& scenario, Simulation& world, ScenarioResult& result)
      : scenario_(scenario), world_(world), result_(result) {}

  // False when the step could not be carried out: the scenario stops there.
  bool Run(const Step& step) {
    return std::visit([&](const auto& action) { return Do(action, step.location); }, step.action);
  }

  // The `objects` of the scenario, like a first apply step.
  bool ApplyObjects() {
    for (const Manifest& manifest : scenario_.objects) {
      Result<std::vector<std::string>> applied = world_.Apply(manifest);
      if (!applied) {
        Fail(manifest.location, manifest.Describe(), "apply", "the API server accepts it",
             "refused: " + applied.error().message);
        return false;
      }
      objects_.push_back(SummarizeObject(manifest, world_.cluster()));
    }
    world_.Settle();
    return true;
  }

  std::vector<ObjectSummary> TakeObjects() { return std::move(objects_); }

 private:
  void Fail(const SourceLocation& where, std::string subject, std::string check,
            std::string expected, std::string actual) {
    result_.failures.push_back(FailedExpectation{where, std::move(subject), std::move(check),
                                                 std::move(expected), std::move(actual)});
  }
  // A step whose action was refused.
  bool Refused(const SourceLocation& where, std::string_view kind, const Error& error) {
    Fail(where, std::string(kind), std::string(kind), "the step is carried out",
         error.where.empty() ? error.message : error.where + ": " + error.message);
    return false;
  }

  bool Do(const ApplyStep& step, const SourceLocation&) {
    std::vector<std::string> warnings;
    for (const Manifest& manifest : step.objects) {
      Result<std::vector<std::string>> applied = world_.Apply(manifest);
      if (step.refused) {
        const std::string& expected = step.refused->value;
        if (applied) {
          Fail(step.refused->location, manifest.Describe(), "refused", "refused: " + expected,
               "accepted");
          return false;
        }
        if (applied.error().message != expected) {
          Fail(step.refused->location, manifest.Describe(), "refused", "refused: " + expected,
               "refused: " + applied.error().message);
        }
        continue;
      }
      if (!applied) {
        Fail(manifest.location, manifest.Describe(), "apply", "the API server accepts it",
             "refused: " + applied.error().message);
        return false;
      }
      objects_.push_back(SummarizeObject(manifest, world_.cluster()));
      warnings.insert(warnings.end(), applied->begin(), applied->end());
    }
    if (step.warnings && step.warnings->value != warnings) {
      Fail(step.warnings->location, "apply", "warnings", Join(step.warnings->value),
           Join(warnings));
    }
    world_.Settle();
    return true;
  }

  bool Do(const DeleteStep& step, const SourceLocation& where) {
    if (Result<void> deleted = world_.Delete(step); !deleted) {
      return Refused(where, "delete", deleted.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const AdvanceStep& step, const SourceLocation&) {
    world_.AdvanceTo(world_.now() + step.duration);
    return true;
  }

  bool Do(const PushStep& step, const SourceLocation& where) {
    if (Result<void> pushed = world_.registries().Push(step); !pushed) {
      return Refused(where, "push", pushed.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const DeleteImageStep& step, const SourceLocation& where) {
    if (Result<void> deleted = world_.registries().DeleteImage(step); !deleted) {
      return Refused(where, "deleteImage", deleted.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const RevokeStep& step, const SourceLocation& where) {
    if (Result<void> revoked = world_.registries().Revoke(step); !revoked) {
      return Refused(where, "revoke", revoked.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const RotatePasswordStep& step, const SourceLocation& where) {
    if (Result<void> rotated = world_.registries().RotatePassword(step); !rotated) {
      return Refused(where, "rotatePassword", rotated.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const RemoveImageStep& step, const SourceLocation& where) {
    NodeAgent* agent = world_.FindNode(step.node);
    if (agent == nullptr) {
      return Refused(where, "removeImage", Error{ErrorCode::kNotFound, "no node " + step.node, ""});
    }
    if (Result<void> removed = agent->RemoveImage(step.image); !removed) {
      return Refused(where, "removeImage", removed.error());
    }
    world_.Settle();
    return true;
  }

  bool Do(const EditFileStep& step, const SourceLocation& where) {
    NodeAgent* agent = world_.FindNode(step.node);
    if (agent == nullptr) {
      return Refused(where, "editFile", Error{ErrorCode::kNotFound, "no node " + step.node, ""});
    }
    if (Result<void> edited = agent->EditFile(step); !edited) {
      return Refused(where, "editFile", edited.error());
    }
    world_.Settle();
    return true;
  }

  // `within`: the checks may hold at any moment up to the deadline (the clock stops at the first
  // such moment); `never`: they must not all hold at any moment up to it.
  bool Do(const Expectation& expectation, const SourceLocation& where) {
    const Timestamp deadline = world_.now() + expectation.within.value_or(Duration::zero());
    const std::string within =
        expectation.within ? " (within " + FormatDuration(*expectation.within) + ")" : "";
    for (;;) {
      std::vector<FailedExpectation> failures = CheckExpectation(expectation, world_, where);
      if (expectation.never && failures.empty()) {
        Fail(where, SubjectOf(expectation), "never", "these checks never all hold" + within,
             "all held at " + FormatDuration(world_.elapsed()));
        return true;
      }
      if (!expectation.never && failures.empty()) return true;
      const std::optional<Timestamp> next = world_.NextWakeUp();
      if (world_.now() >= deadline) {
        if (!expectation.never) {
          for (FailedExpectation& failure : failures) {
            failure.expected += within;
            result_.failures.push_back(std::move(failure));
          }
        }
        return true;
      }
      world_.AdvanceTo(next && *next > world_.now() && *next < deadline ? *next : deadline);
    }
  }

  const Scenario& scenario_;
  Simulation& world_;
  ScenarioResult& result_;
  std::vector<ObjectSummary> objects_;
};

ScenarioResult Header(const Scenario& scenario) {
  ScenarioResult result;
  result.file = scenario.file.generic_string();
  result.name = scenario.name;
  result.description = scenario.description;
  result.area = AreaOf(result.file);
  for (const Located<std::string>& rule : scenario.rules) result.rules.push_back(rule.value);
  if (scenario.xfail) result.xfail = scenario.xfail->value;
  result.seed = scenario.seed;
  return result;
}

void SetStatus(ScenarioResult& result, bool passed) {
  if (result.xfail.empty()) {
    result.status = passed ? ScenarioStatus::kPass : ScenarioStatus::kFail;
  } else {
    result.status = passed ? ScenarioStatus::kXpass : ScenarioStatus::kXfail;
  }
}

// Errors building the world that point at the scenario's own text (an invalid kubelet setting,
// an image a registry cannot build), as opposed to the machine (a port that cannot be bound).
bool IsMistakeInTheFile(ErrorCode code) {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kNotFound ||
         code == ErrorCode::kFailedPrecondition;
}

// The inverse of Diagnostic::ToError: `where` is "file:line:col field" (either part may lack).
Diagnostic DiagnosticOf(const Error& error, const std::string& file) {
  Diagnostic diagnostic;
  diagnostic.code = error.code;
  diagnostic.message = error.message;
  diagnostic.location.file = file;
  std::string position = error.where;
  if (const std::size_t space = position.find(' '); space != std::string::npos) {
    diagnostic.field = position.substr(space + 1);
    position.resize(space);
  }
  // "file:line:col": the last two colon-separated parts are numbers.
  const std::size_t last = position.rfind(':');
  const std::size_t before =
      last == std::string::npos || last == 0 ? std::string::npos : position.rfind(':', last - 1);
  auto number = [](std::string_view text) {
    int value = 0;
    if (text.empty() || text.size() > 9) return -1;
    for (char c : text) {
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  if (before != std::string::npos) {
    const int line = number(std::string_view(position).substr(before + 1, last - before - 1));
    const int column = number(std::string_view(position).substr(last + 1));
    if (line > 0 && column > 0) {
      diagnostic.location = SourceLocation{position.substr(0, before), line, column};
    }
  } else if (!position.empty() && error.where.find(' ') == std::string::npos &&
             diagnostic.field.empty()) {
    diagnostic.field = position;
  }
  return diagnostic;
}

std::string Indent(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += "      ";
  }
  return out;
}

}  // namespace

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  return RunScenarioKeepingWorld(scenario, options).result;
}

KeptRun RunScenarioKeepingWorld(const Scenario& scenario, const RunOptions& options) {
  KeptRun kept{Header(scenario), nullptr};
  ScenarioResult& result = kept.result;
  Result<std::unique_ptr<Simulation>> created = Simulation::Create(scenario);
  if (!created) {
    const Error& error = created.error();
    if (IsMistakeInTheFile(error.code)) {
      // A value the kubelet or a registry refuses: a mistake in the file, like a load error.
      result.status = ScenarioStatus::kInvalid;
      result.diagnostics.push_back(DiagnosticOf(error, result.file));
      return kept;
    }
    result.error = (error.where.empty() ? result.file : error.where) + ": " + error.message;
    SetStatus(result, false);
    return kept;
  }
  kept.world = *std::move(created);
  Simulation& world = *kept.world;
  StepRunner runner(scenario, world, result);
  if (runner.ApplyObjects()) {
    for (const Step& step : scenario.steps) {
      if (!runner.Run(step)) break;
    }
  }
  result.virtual_time = world.elapsed();
  result.world = SummarizeWorld(scenario, world, runner.TakeObjects());
  result.pods = SummarizePods(world);
  SummarizeRequests(world, options.max_requests, result);
  SetStatus(result, result.failures.empty() && result.error.empty());
  return kept;
}

ScenarioResult RunScenarioFile(const std::filesystem::path& file, const RunOptions& options) {
  LoadResult<Scenario> loaded = LoadScenarioFile(file, options.load);
  if (!loaded) {
    ScenarioResult result;
    result.file = file.generic_string();
    result.name = file.stem().string();
    result.area = AreaOf(result.file);
    result.status = ScenarioStatus::kInvalid;
    result.diagnostics = loaded.error().diagnostics;
    result.diagnostics_omitted = loaded.error().omitted;
    return result;
  }
  return RunScenario(*loaded, options);
}

std::string DescribeResult(const ScenarioResult& result) {
  std::string text = std::string(StatusName(result.status)) + " " + result.file;
  if (!result.xfail.empty()) text += "  (xfail: " + result.xfail + ")";
  for (const Diagnostic& diagnostic : result.diagnostics) text += "\n  " + diagnostic.ToString();
  if (result.diagnostics_omitted > 0) {
    text += "\n  " + std::to_string(result.diagnostics_omitted) + " more errors not shown";
  }
  if (!result.error.empty()) text += "\n  " + result.error;
  for (const FailedExpectation& failure : result.failures) {
    text += "\n  " + failure.location.ToString() + ": " + failure.subject + ": " + failure.check;
    text += "\n    expected: " + Indent(failure.expected);
    text += "\n    actual:   " + Indent(failure.actual);
  }
  return text;
}

}  // namespace pullsim::scenario
