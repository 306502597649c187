#include "sim/reference/reference.h"

#include <optional>
#include <string>
#include <utility>

#include "sim/core/go_quote.h"
#include "sim/reference/internal/grammar.h"

namespace pullsim::reference {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr std::string_view kLocalhost = "localhost";
constexpr std::string_view kDefaultTag = "latest";
// REF-04 (v0.6.0): the limit applies to the path alone; the domain does not count.
constexpr std::size_t kMaxPathLength = 255;

// Upstream's error texts (distribution/reference errors, go-digest errors), word for word (REF-03).
constexpr std::string_view kErrInvalidFormat = "invalid reference format";
constexpr std::string_view kErrNameContainsUppercase = "repository name must be lowercase";
constexpr std::string_view kErrNameEmpty = "repository name must have at least one component";
constexpr std::string_view kErrNameTooLong = "repository name must not be more than 255 characters";
constexpr std::string_view kErrNameNotCanonical = "repository name must be canonical";
constexpr std::string_view kErrDigestInvalidFormat = "invalid checksum digest format";
constexpr std::string_view kErrDigestInvalidLength = "invalid checksum digest length";
constexpr std::string_view kErrDigestUnsupported = "unsupported digest algorithm";

std::unexpected<Error> Invalid(std::string_view message) {
  return Fail(ErrorCode::kInvalidArgument, std::string(message));
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// REF-05: go-digest's Digest.Validate on a digest the grammar has accepted (algorithm ":" 32+ hex
// digits). Returns the error text, or nullopt when valid. sha256, sha384 and sha512 are all
// available: the kubelet links crypto/sha256 and crypto/sha512, and the latter registers SHA-384.
std::optional<std::string_view> DigestError(std::string_view digest) {
  const std::size_t colon = digest.find(':');
  const std::string_view algorithm = digest.substr(0, colon);
  const std::string_view encoded = digest.substr(colon + 1);
  std::size_t hex_length = 0;
  if (algorithm == "sha256") {
    hex_length = 64;
  } else if (algorithm == "sha384") {
    hex_length = 96;
  } else if (algorithm == "sha512") {
    hex_length = 128;
  } else {
    // Unknown algorithm: go-digest checks the generic digest form first, which (unlike the
    // reference grammar) does not allow upper case in the algorithm.
    for (char c : algorithm) {
      if (c >= 'A' && c <= 'Z') return kErrDigestInvalidFormat;
    }
    return kErrDigestUnsupported;
  }
  // Length first, then the character set.
  if (encoded.size() != hex_length) return kErrDigestInvalidLength;
  if (!IsLowerHex(encoded)) return kErrDigestInvalidFormat;
  return std::nullopt;
}

// REF-02 step 2: distribution/reference's splitDockerDomain.
struct DomainSplit {
  std::string_view domain;
  std::string_view remainder;
  bool add_library_prefix = false;
};

DomainSplit SplitDockerDomain(std::string_view name) {
  DomainSplit split{kDefaultDomain, name};
  // Loops rather than find()/find_first_of(): these run on every parse, on short strings.
  std::size_t slash = 0;
  bool has_dot_or_colon = false;
  for (; slash < name.size() && name[slash] != '/'; ++slash) {
    has_dot_or_colon = has_dot_or_colon || name[slash] == '.' || name[slash] == ':';
  }
  if (slash < name.size()) {
    const std::string_view candidate = name.substr(0, slash);
    // A host has a '.' or a ':' (port), is "localhost", or has a capital letter (a path cannot).
    if (has_dot_or_colon || candidate == kLocalhost || internal::GoToLowerChanges(candidate)) {
      split.domain = candidate;
      split.remainder = name.substr(slash + 1);
    }
  }
  if (split.domain == kLegacyDefaultDomain) split.domain = kDefaultDomain;
  // Official images live under library/ on Docker Hub.
  split.add_library_prefix =
      split.domain == kDefaultDomain && split.remainder.find('/') == std::string_view::npos;
  return split;
}

}  // namespace

std::string Reference::Name() const {
  if (domain.empty()) return path;
  std::string name;
  name.reserve(domain.size() + 1 + path.size());
  name.append(domain).append("/").append(path);
  return name;
}

std::string Reference::String() const {
  std::string text = Name();
  if (!tag.empty()) text.append(":").append(tag);
  if (!digest.empty()) text.append("@").append(digest);
  return text;
}

// REF-08: drop docker.io, then "library/" when what remains is a single component.
std::string Reference::FamiliarName() const {
  if (domain != kDefaultDomain) return Name();
  const std::string_view view = path;
  if (view.starts_with(kOfficialRepoPrefix)) {
    const std::string_view rest = view.substr(kOfficialRepoPrefix.size());
    if (rest.find('/') == std::string_view::npos) return std::string(rest);
  }
  return path;
}

std::string Reference::FamiliarString() const {
  std::string text = FamiliarName();
  if (!tag.empty()) text.append(":").append(tag);
  if (!digest.empty()) text.append("@").append(digest);
  return text;
}

// REF-01, REF-03, REF-04, REF-05, REF-07: distribution/reference's Parse.
Result<Reference> Parse(std::string_view text) {
  const std::optional<internal::ReferenceMatch> match = internal::MatchReference(text);
  if (!match) {
    if (text.empty()) return Invalid(kErrNameEmpty);
    // REF-03: a string the grammar would take once lower-cased gets the more helpful message.
    if (internal::GoToLowerForGrammarChanges(text) &&
        internal::MatchReference(internal::GoToLowerForGrammar(text))) {
      return Invalid(kErrNameContainsUppercase);
    }
    return Invalid(kErrInvalidFormat);
  }
  if (match->path.size() > kMaxPathLength) return Invalid(kErrNameTooLong);  // REF-04
  if (!match->digest.empty()) {
    if (const auto error = DigestError(match->digest)) return Invalid(*error);  // REF-05
  }
  return Reference{std::string(match->domain), std::string(match->path), std::string(match->tag),
                   std::string(match->digest)};
}

// REF-02, REF-03, REF-06: distribution/reference's ParseNormalizedNamed.
Result<Reference> ParseNormalizedNamed(std::string_view text) {
  // REF-06: a bare image ID is refused before anything else.
  if (internal::IsIdentifier(text)) {
    std::string message = "invalid repository name (";
    message.append(text).append("), cannot specify 64-byte hexadecimal strings");
    return Invalid(message);
  }
  const DomainSplit split = SplitDockerDomain(text);
  // REF-03: the repository part (up to the first ':', library/ included) must be lower case.
  const std::string_view remote_rest = split.remainder.substr(0, split.remainder.find(':'));
  if (internal::GoToLowerChanges(remote_rest)) {
    std::string message = "invalid reference format: repository name (";
    if (split.add_library_prefix) message.append(kOfficialRepoPrefix);
    message.append(remote_rest).append(") must be lowercase");
    return Invalid(message);
  }
  // Then the raw grammar on the normalised string; its errors pass through unchanged. Parse may
  // still choose another domain than the split did ("a_b.c/x" has none), as upstream's does.
  // One small buffer per thread, reused: the normalised string lives only until Parse has copied
  // out the parts (saves an allocation per call, a fifth of the cost of a short reference). A
  // long input gets its own string, so the buffer never keeps megabytes alive.
  constexpr std::size_t kReusedBufferSize = 1024;
  const std::size_t size = split.domain.size() + 1 +
                           (split.add_library_prefix ? kOfficialRepoPrefix.size() : 0) +
                           split.remainder.size();
  thread_local std::string reused;
  std::string long_input;
  std::string& normalized = size <= kReusedBufferSize ? reused : long_input;
  normalized.clear();
  normalized.reserve(size);
  normalized.append(split.domain).append("/");
  if (split.add_library_prefix) normalized.append(kOfficialRepoPrefix);
  normalized.append(split.remainder);
  return Parse(normalized);
}

// REF-07: canonical input only.
Result<Reference> ParseNamed(std::string_view text) {
  Result<Reference> named = ParseNormalizedNamed(text);
  if (!named) return named;
  if (named->String() != text) return Invalid(kErrNameNotCanonical);
  return named;
}

// REF-09: containerd's ParseDockerRef.
Result<Reference> ParseDockerRef(std::string_view text) {
  Result<Reference> named = ParseNormalizedNamed(text);
  if (!named) return named;
  if (!named->digest.empty()) {
    named->tag.clear();  // the digest decides; a tag beside it is dropped
  } else if (named->tag.empty()) {
    named->tag = kDefaultTag;
  }
  return named;
}

// REF-10: the kubelet's parsers.ParseImageName.
Result<ImageName> ParseImageName(std::string_view image) {
  Result<Reference> named = ParseNormalizedNamed(image);
  if (!named) {
    std::string message = "couldn't parse image name ";
    message.append(GoQuote(image)).append(": ").append(named.error().message);
    return Invalid(message);
  }
  ImageName result{named->Name(), std::move(named->tag), std::move(named->digest)};
  if (result.tag.empty() && result.digest.empty()) result.tag = kDefaultTag;
  return result;
}

// REF-11: the kubelet's applyDefaultImageTag; the string stays as written, not normalised.
Result<std::string> ApplyDefaultImageTag(std::string_view image) {
  Result<ImageName> parsed = ParseImageName(image);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  std::string result(image);
  if (parsed->digest.empty() && !parsed->tag.empty()) {
    const std::size_t suffix_size = parsed->tag.size() + 1;
    const bool has_tag_suffix = image.size() >= suffix_size &&
                                image[image.size() - suffix_size] == ':' &&
                                image.ends_with(parsed->tag);
    if (!has_tag_suffix) result.append(":").append(parsed->tag);
  }
  return result;
}

}  // namespace pullsim::reference
