#pragma once
// JSON as Go's encoding/json reads it: the same syntax check with the same error texts
// ("invalid character 'n' looking for beginning of object key string"), the same 10000-level
// nesting limit, and the same lenient string decoding (invalid UTF-8 and lone surrogates become
// U+FFFD). The kubelet (KUB-14) and the API server (CRED-15) report these texts verbatim, so they
// are part of the behaviour.
// Everything here is iterative: hostile nesting cannot exhaust the stack.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pullsim {

// Go's scanner limit (encoding/json maxNestingDepth).
inline constexpr std::size_t kMaxJsonNesting = 10000;

struct JsonSyntaxError {
  std::string message;  // Go's SyntaxError text
  std::size_t offset;   // index of the offending byte; the input size for a premature end
};

// Go's checkValid: nullopt when `text` holds exactly one JSON value (spaces around allowed).
[[nodiscard]] std::optional<JsonSyntaxError> CheckJsonSyntax(std::string_view text);

enum class JsonKind { kNull, kBool, kNumber, kString, kArray, kObject };

// The word Go's UnmarshalTypeError uses for a JSON value of this kind ("number", "object"...).
[[nodiscard]] std::string_view GoValueWord(JsonKind kind);

// 1-based line and column of byte `offset` in `text`, for messages.
struct TextPosition {
  std::size_t line;
  std::size_t column;
};
[[nodiscard]] TextPosition PositionOf(std::string_view text, std::size_t offset);

// encoding/json's string encoding (json.Marshal): `text` in double quotes; \" \\ \b \f \n \r \t;
// other bytes below 0x20 as \u00XX; each invalid UTF-8 byte as \ufffd; U+2028 and U+2029 as
// \u2028 and \u2029; with `escape_html` (Marshal's default; Encoder.SetEscapeHTML(false) turns it
// off) also < > & as \u003c \u003e \u0026. The kubelet writes its record files this way.
void AppendGoJsonString(std::string& out, std::string_view text, bool escape_html = true);

// Walks text that CheckJsonSyntax accepted. Calling it on other text is a bug (asserted).
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  // Kind of the next value (leading spaces skipped).
  [[nodiscard]] JsonKind Peek();
  // Byte offset of the next value (after Peek) or of the last token read.
  [[nodiscard]] std::size_t offset() const { return pos_; }

  // Reads a string value, decoded as Go decodes it.
  [[nodiscard]] std::string ReadString();
  // Skips one value of any kind, without recursion.
  void SkipValue();

  // Objects: EnterObject() consumes '{'; NextMember() then yields each key (consuming the ':'),
  // and returns false after consuming the closing '}'. The value must be read or skipped before
  // the next call.
  void EnterObject();
  [[nodiscard]] bool NextMember(std::string& key);

 private:
  void SkipSpace();

  std::string_view text_;
  std::size_t pos_ = 0;
};

// A Go decoding error: either a type mismatch (rendered the way UnmarshalTypeError renders
// itself, struct context included) or a plain error text from a custom decoder.
struct GoDecodeError {
  std::string value;        // "number", "string", ... for a type error; empty otherwise
  std::string struct_name;  // "DockerConfigJSON"; empty when the error has no struct context
  std::string field;        // "auths.username"
  std::string type;         // Go type, e.g. "credentialprovider.DockerConfig"
  std::string plain;        // the whole text of a non-type error
  std::size_t offset = 0;   // where in the input
  std::string json_path;    // our own locator: auths["r.example"].auth

  [[nodiscard]] bool is_type_error() const { return !value.empty(); }
  // Go's Error() text.
  [[nodiscard]] std::string Message() const;
};

}  // namespace pullsim
