#include "sim/cluster/internal/meta_validation.h"

#include <string>

#include "sim/cluster/internal/names.h"

namespace pullsim::cluster::internal {
namespace {

constexpr size_t kTotalAnnotationSizeLimit = 256 * 1024;

std::vector<std::string> CheckName(NameRule rule, std::string_view value, bool prefix) {
  return rule == NameRule::kDNSLabel ? NameIsDNSLabel(value, prefix)
                                     : NameIsDNSSubdomain(value, prefix);
}

bool IsSpaceRune(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// The rune that starts at `text[i]` (i is a lead byte), or U+FFFD for a bad sequence.
char32_t RuneAt(std::string_view text, size_t i, size_t& length) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  length = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 1;
  if (length == 1) return b0 < 0x80 ? b0 : 0xFFFD;
  if (i + length > text.size()) {
    length = 1;
    return 0xFFFD;
  }
  char32_t rune = b0 & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) rune = (rune << 6) | (byte(i + k) & 0x3F);
  return rune;
}

}  // namespace

bool HasSurroundingSpace(std::string_view text) {
  if (text.empty()) return false;
  size_t length = 0;
  if (IsSpaceRune(RuneAt(text, 0, length))) return true;
  // The last rune: step back over continuation bytes (at most three).
  size_t start = text.size() - 1;
  while (start > 0 && text.size() - start < 4 &&
         (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return IsSpaceRune(RuneAt(text, start, length));
}

void ValidateLabelsAndAnnotations(const ObjectMeta& meta, std::string_view path,
                                  ErrorList& errors) {
  const std::string base(path);
  for (const auto& [key, value] : meta.labels) {
    for (std::string& message : IsQualifiedName(key)) {
      errors.push_back(InvalidField(base + ".labels", key, std::move(message)));
    }
    for (std::string& message : IsValidLabelValue(value)) {
      errors.push_back(InvalidField(base + ".labels", value, std::move(message)));
    }
  }
  size_t total = 0;
  for (const auto& [key, value] : meta.annotations) {
    std::string lowered = key;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (std::string& message : IsQualifiedName(lowered)) {
      errors.push_back(InvalidField(base + ".annotations", key, std::move(message)));
    }
    total += key.size() + value.size();
  }
  if (total > kTotalAnnotationSizeLimit) {
    errors.push_back(TooLongField(base + ".annotations", kTotalAnnotationSizeLimit));
  }
}

void ValidateObjectMeta(const ObjectMeta& meta, bool namespaced, NameRule rule,
                        std::string_view path, ErrorList& errors) {
  const std::string base(path);
  if (!meta.generate_name.empty()) {
    for (std::string& message : CheckName(rule, meta.generate_name, true)) {
      errors.push_back(InvalidField(base + ".generateName", meta.generate_name, message));
    }
  }
  if (meta.name.empty()) {
    errors.push_back(RequiredField(base + ".name", "name or generateName is required"));
  } else {
    for (std::string& message : CheckName(rule, meta.name, false)) {
      errors.push_back(InvalidField(base + ".name", meta.name, message));
    }
  }
  if (namespaced) {
    if (meta.namespace_name.empty()) {
      errors.push_back(RequiredField(base + ".namespace"));
    } else {
      for (std::string& message : NameIsDNSLabel(meta.namespace_name, false)) {
        errors.push_back(InvalidField(base + ".namespace", meta.namespace_name, message));
      }
    }
  } else if (!meta.namespace_name.empty()) {
    errors.push_back(ForbiddenField(base + ".namespace", "not allowed on this type"));
  }
  ValidateLabelsAndAnnotations(meta, path, errors);
}

void ValidateObjectMetaUpdate(const ObjectMeta& new_meta, const ObjectMeta& old_meta,
                              ErrorList& errors) {
  if (new_meta.name != old_meta.name) {
    errors.push_back(InvalidField("metadata.name", new_meta.name, "field is immutable"));
  }
  if (new_meta.namespace_name != old_meta.namespace_name) {
    errors.push_back(
        InvalidField("metadata.namespace", new_meta.namespace_name, "field is immutable"));
  }
  if (new_meta.uid != old_meta.uid) {
    errors.push_back(InvalidField("metadata.uid", new_meta.uid, "field is immutable"));
  }
}

}  // namespace pullsim::cluster::internal
