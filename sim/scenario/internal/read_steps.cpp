// Steps: apply and delete objects, advance the clock, change registries and nodes, expect.
#include <algorithm>
#include <array>

#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::array<std::string_view, 10> kActions = {
    "apply",  "delete",         "advance",     "push",     "deleteImage",
    "revoke", "rotatePassword", "removeImage", "editFile", "expect"};
// Keys that may sit beside an action, by action.
constexpr std::array<std::string_view, 2> kApplyModifiers = {"refused", "warnings"};

// The registry `host` names, reported when unknown.
Registry* RequireRegistry(LoadState& state, const Field& field, const std::string& host) {
  if (Registry* registry = state.FindRegistry(host)) return registry;
  std::vector<std::string_view> hosts;
  for (const Registry& registry : state.scenario.registries) hosts.push_back(registry.host);
  state.context.UnknownWord(field, host, hosts, "registry");
  return nullptr;
}

bool RequireUser(LoadState& state, const Field& field, const Registry& registry,
                 const std::string& user) {
  std::vector<std::string_view> names;
  for (const registry::User& known : registry.config.options.auth.users) {
    if (known.name == user) return true;
    names.push_back(known.name);
  }
  state.context.UnknownWord(field, user, names, "user of " + registry.host);
  return false;
}

bool RequireNode(LoadState& state, const Field& field, const std::string& name) {
  if (state.HasNode(name)) return true;
  std::vector<std::string_view> names;
  for (const Node& node : state.scenario.nodes) names.push_back(node.name);
  state.context.UnknownWord(field, name, names, "node");
  return false;
}

std::optional<ApplyStep> ReadApply(LoadState& state, const MapView& step) {
  Context& context = state.context;
  std::size_t before = context.errors();
  ApplyStep apply;
  apply.objects = ReadManifests(state, *step.Get("apply"));
  if (auto refused = step.Get("refused")) {
    if (auto text = context.NonEmptyString(*refused)) {
      apply.refused = Located<std::string>{*text, context.Location(*refused)};
    }
    if (apply.objects.size() > 1) {
      context.Error(refused->key.Mark(), refused->path,
                    "refused expects one object to be refused; apply the others in their own step");
    }
  }
  if (auto warnings = step.Get("warnings")) {
    if (auto list = context.StringList(*warnings)) {
      apply.warnings = Located<std::vector<std::string>>{*list, context.Location(*warnings)};
    }
  }
  if (context.errors() != before) return std::nullopt;
  return apply;
}

std::optional<DeleteStep> ReadDelete(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"kind", "namespace", "name"}, {"kind", "name"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  DeleteStep step;
  if (auto kind = map->Get("kind")) {
    step.kind = context.Word(*kind, ObjectKindNames(), "kind").value_or(ObjectKind::kPod);
  }
  if (auto name = map->Get("name")) step.name = ReadObjectName(context, *name).value_or("");
  if (auto ns = map->Get("namespace")) {
    step.namespace_name = ReadObjectName(context, *ns).value_or("");
    if (step.kind == ObjectKind::kNamespace) {
      context.Error(ns->key.Mark(), ns->path, "a Namespace is not in a namespace");
    }
  } else if (step.kind != ObjectKind::kNamespace) {
    step.namespace_name = "default";
  }
  if (context.errors() != before) return std::nullopt;
  return step;
}

std::optional<DeleteImageStep> ReadDeleteImage(LoadState& state, const Field& field) {
  auto ref = ReadReference(state.context, field, true);
  if (!ref) return std::nullopt;
  if (!RequireRegistry(state, field, ref->domain)) return std::nullopt;
  DeleteImageStep step{ref->domain, ref->path, ref->digest.empty() ? ref->tag : "", ref->digest};
  return step;
}

std::optional<PushStep> ReadPush(LoadState& state, const Field& field) {
  Context& context = state.context;
  std::size_t before = context.errors();
  PushStep push;
  std::optional<Field> host_field;
  if (field.value.IsMap()) {
    for (const auto& entry : field.value) {
      if (entry.first.IsScalar() && entry.first.Scalar() == "registry") {
        host_field = Field{entry.first, entry.second, JoinPath(field.path, "registry")};
      }
    }
    if (!host_field) {
      context.Error(field, "missing required field \"registry\" (the host to push to)");
    }
  }
  if (host_field) {
    if (auto host = context.NonEmptyString(*host_field)) {
      if (RequireRegistry(state, *host_field, *host)) push.host = *host;
    }
  }
  auto image = ReadImage(state, field, push.host, {"registry"});
  if (!image || context.errors() != before) return std::nullopt;
  push.image = std::move(*image);
  return push;
}

std::optional<RevokeStep> ReadRevoke(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"registry", "user", "repositories"}, {"registry", "user"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  RevokeStep step;
  Registry* registry = nullptr;
  if (auto host = map->Get("registry")) {
    if (auto text = context.NonEmptyString(*host)) {
      step.registry = *text;
      registry = RequireRegistry(state, *host, *text);
    }
  }
  if (auto user = map->Get("user")) {
    if (auto text = context.NonEmptyString(*user)) {
      step.user = *text;
      if (registry != nullptr) RequireUser(state, *user, *registry, *text);
    }
  }
  if (auto repositories = map->Get("repositories")) {
    step.repositories = ReadRepositoryGlob(context, *repositories).value_or("");
  }
  if (context.errors() != before) return std::nullopt;
  return step;
}

std::optional<RotatePasswordStep> ReadRotatePassword(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"registry", "user", "password"}, {"registry", "user", "password"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  RotatePasswordStep step;
  Registry* registry = nullptr;
  if (auto host = map->Get("registry")) {
    if (auto text = context.NonEmptyString(*host)) {
      step.registry = *text;
      registry = RequireRegistry(state, *host, *text);
    }
  }
  if (auto user = map->Get("user")) {
    if (auto text = context.NonEmptyString(*user)) {
      step.user = *text;
      if (registry != nullptr) RequireUser(state, *user, *registry, *text);
    }
  }
  if (auto password = map->Get("password")) step.password = context.String(*password).value_or("");
  if (context.errors() != before) return std::nullopt;
  return step;
}

std::optional<RemoveImageStep> ReadRemoveImage(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"node", "image"}, {"node", "image"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  RemoveImageStep step;
  if (auto node = map->Get("node")) {
    if (auto name = context.NonEmptyString(*node)) {
      step.node = *name;
      RequireNode(state, *node, *name);
    }
  }
  if (auto image = map->Get("image")) {
    if (ReadReference(context, *image, true)) step.image = image->value.Scalar();
  }
  if (context.errors() != before) return std::nullopt;
  return step;
}

std::optional<EditFileStep> ReadEditFile(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map =
      context.Map(field, {"node", "path", "json", "text", "delete", "readable"}, {"node", "path"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  EditFileStep step;
  if (auto node = map->Get("node")) {
    if (auto name = context.NonEmptyString(*node)) {
      step.node = *name;
      RequireNode(state, *node, *name);
    }
  }
  if (auto path = map->Get("path")) {
    auto text = context.NonEmptyString(*path);
    if (text && !text->starts_with("/")) {
      context.Error(*path, "expected an absolute path, got \"" + *text + "\"");
    } else if (text) {
      step.path = *text;
    }
  }
  auto json = map->Get("json");
  auto text = map->Get("text");
  auto remove = map->Get("delete");
  int given = (json ? 1 : 0) + (text ? 1 : 0) + (remove ? 1 : 0);
  if (given != 1) {
    context.Error(map->self().value.Mark(), field.path,
                  "give exactly one of json (new content as YAML), text (new content) or "
                  "delete: true");
  } else if (json) {
    if (auto value = ReadJson(context, *json)) step.content = value->dump(2) + "\n";
  } else if (text) {
    step.content = context.String(*text).value_or("");
  } else if (auto yes = context.Bool(*remove); yes && !*yes) {
    context.Error(*remove, "delete: false does nothing; give json or text to write the file");
  }
  if (auto readable = map->Get("readable")) step.readable = context.Bool(*readable).value_or(true);
  if (context.errors() != before) return std::nullopt;
  return step;
}

}  // namespace

void ReadSteps(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto items = context.List(field);
  if (!items) return;
  if (items->empty()) context.Error(field, "list at least one step");
  for (const Field& item : *items) {
    auto map = context.FreeMap(item);
    if (!map) continue;
    std::vector<const Field*> actions;
    for (const Field& entry : map->entries()) {
      if (std::find(kActions.begin(), kActions.end(), entry.key.Scalar()) != kActions.end()) {
        actions.push_back(&entry);
      }
    }
    if (actions.size() != 1) {
      std::string message =
          actions.empty()
              ? "a step needs one of apply, delete, advance, push, deleteImage, revoke, "
                "rotatePassword, removeImage, editFile or expect"
              : "a step does one thing; it has both \"" + actions[0]->key.Scalar() + "\" and \"" +
                    actions[1]->key.Scalar() + "\"";
      if (actions.empty() && !map->entries().empty()) {
        const Field& first = map->entries().front();
        std::string_view suggestion = Suggest(first.key.Scalar(), kActions);
        if (!suggestion.empty()) {
          message = "unknown step \"" + first.key.Scalar() + "\"; did you mean \"" +
                    std::string(suggestion) + "\"?";
          context.Error(first.key.Mark(), first.path, std::move(message));
          continue;
        }
      }
      context.Error(item.value.Mark(), item.path, std::move(message));
      continue;
    }
    const Field& action = *actions.front();
    const std::string& kind = action.key.Scalar();
    bool modifiers_ok = true;
    for (const Field& entry : map->entries()) {
      if (&entry == &action) continue;
      bool allowed = kind == "apply" && std::find(kApplyModifiers.begin(), kApplyModifiers.end(),
                                                  entry.key.Scalar()) != kApplyModifiers.end();
      if (!allowed) {
        std::string message = "unknown key \"" + entry.key.Scalar() + "\" beside " + kind;
        if (kind == "apply") {
          std::string_view suggestion = Suggest(entry.key.Scalar(), kApplyModifiers);
          if (!suggestion.empty()) message += "; did you mean \"" + std::string(suggestion) + "\"?";
        }
        context.Error(entry.key.Mark(), entry.path, std::move(message));
        modifiers_ok = false;
      }
    }
    if (!modifiers_ok) continue;
    Step step;
    step.location = context.Location(action.key.Mark());
    bool ok = false;
    if (kind == "apply") {
      if (auto apply = ReadApply(state, *map)) step.action = std::move(*apply), ok = true;
    } else if (kind == "delete") {
      if (auto remove = ReadDelete(state, action)) step.action = *remove, ok = true;
    } else if (kind == "advance") {
      if (auto duration = context.DurationValue(action)) {
        if (duration->count() == 0) {
          context.Error(action, "advance by more than 0s");
        } else {
          step.action = AdvanceStep{*duration}, ok = true;
        }
      }
    } else if (kind == "push") {
      if (auto push = ReadPush(state, action)) step.action = std::move(*push), ok = true;
    } else if (kind == "deleteImage") {
      if (auto remove = ReadDeleteImage(state, action)) step.action = *remove, ok = true;
    } else if (kind == "revoke") {
      if (auto revoke = ReadRevoke(state, action)) step.action = *revoke, ok = true;
    } else if (kind == "rotatePassword") {
      if (auto rotate = ReadRotatePassword(state, action)) step.action = *rotate, ok = true;
    } else if (kind == "removeImage") {
      if (auto remove = ReadRemoveImage(state, action)) step.action = *remove, ok = true;
    } else if (kind == "editFile") {
      if (auto edit = ReadEditFile(state, action)) step.action = std::move(*edit), ok = true;
    } else if (kind == "expect") {
      if (auto expectation = ReadExpectation(state, action)) {
        step.action = std::move(*expectation), ok = true;
      }
    }
    if (ok) state.scenario.steps.push_back(std::move(step));
  }
}

}  // namespace pullsim::scenario::internal
