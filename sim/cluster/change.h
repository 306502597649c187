#pragma once
// What one step of the API server's write path changed on an object (defaulting, an admission
// plugin, a controller), so a later tool can explain why a field holds its value.

#include <string>

namespace pullsim::cluster {

// Step names used in Change::plugin.
inline constexpr const char* kDefaultingStep = "Defaulting";
inline constexpr const char* kServiceAccountPlugin = "ServiceAccount";
inline constexpr const char* kAlwaysPullImagesPlugin = "AlwaysPullImages";
inline constexpr const char* kServiceAccountController = "ServiceAccountController";

struct Change {
  std::string plugin;     // kDefaultingStep, kServiceAccountPlugin, ...
  std::string path;       // "spec.containers[0].imagePullPolicy"
  std::string old_value;  // "" when the field was unset
  std::string new_value;
  friend bool operator==(const Change&, const Change&) = default;
};

}  // namespace pullsim::cluster
