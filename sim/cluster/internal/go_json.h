#pragma once
// What Go's encoding/json says about a secret's Docker config when the API server checks it
// (CRED-15): json.Unmarshal(data, &map[string]interface{}{}). The syntax pass words errors as Go's
// scanner does (`invalid character 'n' looking for beginning of object key string`,
// `unexpected end of JSON input`); a valid document that is not an object (or null) gives
// `json: cannot unmarshal array into Go value of type map[string]interface {}`. The syntax check
// and its texts are sim/core/go_json.h's; this adds what decoding into that map rejects.

#include <optional>
#include <string>
#include <string_view>

namespace pullsim::cluster::internal {

// Go's error text for unmarshalling `data` into map[string]interface{}, or nullopt when Go
// accepts it (any JSON object, or the literal null).
[[nodiscard]] std::optional<std::string> GoUnmarshalObjectError(std::string_view data);

}  // namespace pullsim::cluster::internal
