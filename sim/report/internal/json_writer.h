#pragma once
// A streaming JSON writer into a std::string: the report writers emit large documents (10,000
// scenarios) without building a DOM first. Keys and strings go through AppendJsonString.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pullsim::report::internal {

class JsonWriter {
 public:
  // `indent` > 0 pretty-prints with that many spaces a level; 0 writes one line.
  JsonWriter(std::string& out, bool html_safe, int indent);

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);  // inside an object, before each value

  void String(std::string_view value);
  void Int(std::int64_t value);
  void Uint(std::uint64_t value);
  void Bool(bool value);
  void Null();
  void Milliseconds(std::chrono::nanoseconds value);  // an exact decimal number of ms

  // Key then value, for brevity.
  void Field(std::string_view key, std::string_view value) { Key(key), String(value); }
  void Field(std::string_view key, const char* value) { Key(key), String(value); }
  void Field(std::string_view key, const std::string& value) { Key(key), String(value); }
  void Field(std::string_view key, std::int64_t value) { Key(key), Int(value); }
  void Field(std::string_view key, int value) { Key(key), Int(value); }
  void Field(std::string_view key, std::uint64_t value) { Key(key), Uint(value); }
  void Field(std::string_view key, bool value) { Key(key), Bool(value); }
  void StringArray(std::string_view key, const std::vector<std::string>& values);

  // Changes the indent from the next value on and returns the old one: objects written with
  // indent 0 inside a pretty document stay on one line (rows of a log, say).
  int SetIndent(int indent) {
    int old = indent_;
    indent_ = indent;
    return old;
  }

 private:
  void BeforeValue();
  void NewLine();

  std::string& out_;
  bool html_safe_;
  int indent_;
  // Per open container: whether it already holds a value.
  std::vector<bool> has_value_;
  bool after_key_ = false;
};

}  // namespace pullsim::report::internal
