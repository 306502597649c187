#include "sim/report/internal/json_writer.h"

#include "sim/report/internal/text.h"

namespace pullsim::report::internal {

JsonWriter::JsonWriter(std::string& out, bool html_safe, int indent)
    : out_(out), html_safe_(html_safe), indent_(indent) {}

void JsonWriter::NewLine() {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(has_value_.size() * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_value_.empty()) return;
  if (has_value_.back()) out_ += ',';
  has_value_.back() = true;
  NewLine();
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_value_.push_back(false);
}

void JsonWriter::EndObject() {
  bool had = has_value_.back();
  has_value_.pop_back();
  if (had) NewLine();
  out_ += '}';
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_value_.push_back(false);
}

void JsonWriter::EndArray() {
  bool had = has_value_.back();
  has_value_.pop_back();
  if (had) NewLine();
  out_ += ']';
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key, html_safe_);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value, html_safe_);
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
}

void JsonWriter::Uint(std::uint64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

void JsonWriter::Milliseconds(std::chrono::nanoseconds value) {
  BeforeValue();
  out_ += FormatMilliseconds(value);
}

void JsonWriter::StringArray(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  BeginArray();
  // Short arrays of strings stay on one line even when pretty-printing.
  int saved = indent_;
  indent_ = 0;
  for (const std::string& value : values) String(value);
  indent_ = saved;
  has_value_.back() = false;  // no line break before the closing bracket
  out_ += ']';
  has_value_.pop_back();
}

}  // namespace pullsim::report::internal
