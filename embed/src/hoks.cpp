// The C API (hoks/hoks.h) over the C++ library: every entry point catches everything, so no
// exception crosses the boundary; a validation runs the library's path of `hoks validate`.
#include "hoks/hoks.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/batch/engine.hpp"
#include "hoks/batch/report_sink.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/convert/convert.hpp"
#include "hoks/convert/mapping.hpp"
#include "hoks/report/report.hpp"

struct hoks_options {
  hoks::Operation operation = hoks::Operation::create;
  hoks::Lang lang = hoks::Lang::fi;
  std::optional<hoks::Date> today;  // none: the current date at each validation
  std::optional<hoks::StudyRights> study_rights;
  bool redact = false;
  bool manual_entry = false;
};

struct hoks_validator {
  hoks_options options;
  hoks::Validator validator;
};

struct hoks_converter {
  hoks::Profile profile;
  hoks::Lang lang;
};

struct hoks_output {
  std::vector<hoks::NamedFile> files;
  std::string report;
  bool ok = false;
};

namespace {

thread_local std::string last_error;

// A failure with its status, thrown inside the library's side of the boundary only.
struct Failure {
  hoks_status status;
  std::string message;
};

hoks_status fail(hoks_status status, const char* message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // no memory for the message: the status says it
  }
  return status;
}

// Runs f, turning every exception into a status and a message.
template <class F>
hoks_status guard(F&& f) noexcept {
  try {
    f();
    return HOKS_OK;
  } catch (const Failure& e) {
    return fail(e.status, e.message.c_str());
  } catch (const std::bad_alloc&) {
    return fail(HOKS_OUT_OF_MEMORY, "out of memory");
  } catch (const hoks::ProfileError& e) {
    return fail(HOKS_BAD_INPUT, e.what());
  } catch (const std::exception& e) {
    return fail(HOKS_INTERNAL, e.what());
  } catch (...) {
    return fail(HOKS_INTERNAL, "unknown exception");
  }
}

void require(bool ok, const char* what) {
  if (!ok) throw Failure{HOKS_INVALID_ARGUMENT, std::string(what) + " is NULL"};
}

bool parse_bool(const std::string& key, std::string_view value) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  throw Failure{HOKS_INVALID_ARGUMENT, key + " must be true or false, not '" + std::string(value) + "'"};
}

// The eHOKS method of an operation (POST, PUT, PATCH) or its name (create, replace, update).
std::optional<hoks::Operation> parse_method(std::string_view s) {
  if (s == "POST") return hoks::Operation::create;
  if (s == "PUT") return hoks::Operation::replace;
  if (s == "PATCH") return hoks::Operation::update;
  const auto op = hoks::parse_operation(s);
  if (op && *op != hoks::Operation::read) return op;
  return std::nullopt;
}

// Copies text into malloc'd, NUL-terminated bytes for hoks_free.
char* copy_out(const std::string& text) {
  char* bytes = static_cast<char*>(std::malloc(text.size() + 1));
  if (!bytes) throw std::bad_alloc();
  std::memcpy(bytes, text.data(), text.size() + 1);
  return bytes;
}

hoks::ReportOptions report_options(hoks::Lang lang, bool redact) {
  hoks::ReportOptions report;
  report.lang = lang;
  report.redact = redact;
  report.tool_version = HOKS_VERSION_STRING;
  report.ruleset = hoks::Catalog::builtin().version();
  return report;
}

// The JSON report of a conversion's findings.
std::string conversion_report(std::string_view source, std::vector<hoks::Finding> findings, hoks::Lang lang) {
  std::vector<hoks::DocumentReport> reports(1);
  reports[0].source = source;
  reports[0].findings = std::move(findings);
  hoks::sort_findings(reports[0].findings);
  return hoks::render_json(reports, hoks::Catalog::builtin(), report_options(lang, false));
}

hoks::Lang lang_of(const hoks_options* options) { return options ? options->lang : hoks::Lang::fi; }

}  // namespace

extern "C" {

const char* hoks_version(void) { return HOKS_VERSION_STRING; }

const char* hoks_last_error(void) { return last_error.c_str(); }

const char* hoks_status_name(hoks_status status) {
  switch (status) {
    case HOKS_OK: return "ok";
    case HOKS_INVALID_ARGUMENT: return "invalid argument";
    case HOKS_BAD_INPUT: return "bad input";
    case HOKS_OUT_OF_MEMORY: return "out of memory";
    case HOKS_INTERNAL: return "internal error";
  }
  return "unknown status";
}

void hoks_free(void* bytes) { std::free(bytes); }

hoks_status hoks_options_new(hoks_options** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new hoks_options();
  });
}

hoks_status hoks_options_set(hoks_options* options, const char* key, const char* value) {
  return guard([&] {
    require(options, "options");
    require(key, "key");
    require(value, "value");
    const std::string k = key;
    const std::string_view v = value;
    if (k == "operation") {
      const auto op = parse_method(v);
      if (!op) throw Failure{HOKS_INVALID_ARGUMENT, "operation must be POST, PUT or PATCH, not '" + std::string(v) + "'"};
      options->operation = *op;
    } else if (k == "lang") {
      const auto lang = hoks::parse_lang(v);
      if (!lang) throw Failure{HOKS_INVALID_ARGUMENT, "lang must be fi, sv or en, not '" + std::string(v) + "'"};
      options->lang = *lang;
    } else if (k == "today") {
      if (v.empty()) {
        options->today.reset();
      } else {
        const auto d = hoks::parse_date(v);
        if (!d) throw Failure{HOKS_INVALID_ARGUMENT, "today must be a date YYYY-MM-DD, not '" + std::string(v) + "'"};
        options->today = *d;
      }
    } else if (k == "study_right") {
      if (v.empty()) {
        options->study_rights.reset();
      } else {
        hoks::StudyRights rights;
        try {
          rights.add(v, "study_right");
        } catch (const hoks::StudyRightError& e) {
          throw Failure{HOKS_BAD_INPUT, e.what()};
        }
        options->study_rights = std::move(rights);
      }
    } else if (k == "redact") {
      options->redact = parse_bool(k, v);
    } else if (k == "manual_entry") {
      options->manual_entry = parse_bool(k, v);
    } else {
      throw Failure{HOKS_INVALID_ARGUMENT,
                    "unknown option '" + k + "' (operation, lang, today, study_right, redact, manual_entry)"};
    }
  });
}

void hoks_options_free(hoks_options* options) { delete options; }

hoks_status hoks_validator_new(const hoks_options* options, hoks_validator** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new hoks_validator{options ? *options : hoks_options{}, hoks::Validator()};
  });
}

void hoks_validator_free(hoks_validator* validator) { delete validator; }

hoks_status hoks_validate(const hoks_validator* validator, const char* source, const char* data, size_t size,
                          char** report, size_t* report_size, int* valid) {
  return guard([&] {
    require(report, "report");
    *report = nullptr;
    if (report_size) *report_size = 0;
    require(validator, "validator");
    require(data || size == 0, "data");
    const hoks_options& o = validator->options;
    const std::string_view name = source ? source : "-";
    const std::string_view text(data ? data : "", size);

    hoks::ValidationOptions options;
    options.operation = o.operation;
    options.manual_entry = o.manual_entry;
    if (o.today) options.today = *o.today;
    if (o.study_rights) options.study_rights = &*o.study_rights;
    const hoks::RuleConfig config;
    options.config = &config;
    std::ostringstream out;
    hoks::ReportWriter writer(hoks::ReportFormat::json, out, validator->validator.catalog(),
                              report_options(o.lang, o.redact));
    hoks::ReportSink sink(writer, validator->validator.model(), validator->validator.catalog(), {});
    hoks::BatchOptions batch;  // as `hoks validate` reads one input: NDJSON, an array or a document
    batch.validation = options;
    batch.jobs = 1;  // the caller's thread; callers run many validations at once
    hoks::run_batch(validator->validator, {hoks::BatchSource::bytes(std::string(name), std::string(text))}, batch, sink);
    writer.finish();
    const std::string text_out = std::move(out).str();
    *report = copy_out(text_out);
    if (report_size) *report_size = text_out.size();
    if (valid) *valid = writer.summary().errors == 0;
  });
}

hoks_status hoks_converter_new(const char* format, const hoks_options* options, hoks_converter** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(format, "format");
    const std::string_view f = format;
    if (f != "xml" && f != "csv") throw Failure{HOKS_INVALID_ARGUMENT, "format must be xml or csv, not '" + std::string(f) + "'"};
    *out = new hoks_converter{f == "xml" ? hoks::Profile::canonical_xml() : hoks::Profile::canonical_csv(), lang_of(options)};
  });
}

hoks_status hoks_converter_load(const char* profile_yaml, size_t size, const char* source, const hoks_options* options,
                                hoks_converter** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(profile_yaml || size == 0, "profile_yaml");
    *out = new hoks_converter{hoks::Profile::load(std::string_view(profile_yaml ? profile_yaml : "", size),
                                                  source ? source : "profile"),
                              lang_of(options)};
  });
}

void hoks_converter_free(hoks_converter* converter) { delete converter; }

hoks_status hoks_convert_from_json(const hoks_converter* converter, const char* source, const char* json, size_t size,
                                   hoks_output** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(converter, "converter");
    require(json || size == 0, "json");
    const std::string_view name = source ? source : "-";
    auto result = std::make_unique<hoks_output>();
    hoks::Conversion c;
    hoks::JsonDocument doc;
    std::vector<hoks::Finding> findings;
    if (hoks::parse_json(std::string_view(json ? json : "", size), name, doc, c)) {
      hoks::Output o = converter->profile.write(doc.root());
      result->files = std::move(o.files);
      result->ok = !o.has_errors();
      findings = std::move(o.findings);
    }
    findings.insert(findings.begin(), c.findings.begin(), c.findings.end());
    result->report = conversion_report(name, std::move(findings), converter->lang);
    *out = result.release();
  });
}

hoks_status hoks_convert_to_json(const hoks_converter* converter, const hoks_file* files, size_t count,
                                 hoks_output** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(converter, "converter");
    require(files || count == 0, "files");
    if (count == 0) throw Failure{HOKS_INVALID_ARGUMENT, "no input files"};
    std::vector<hoks::FileView> input;
    for (size_t i = 0; i < count; ++i) {
      require(files[i].data || files[i].size == 0, "files[i].data");
      input.push_back({files[i].name ? files[i].name : "-", std::string_view(files[i].data ? files[i].data : "", files[i].size)});
    }
    auto result = std::make_unique<hoks_output>();
    hoks::JsonTextWriter json(true);
    hoks::Conversion c = converter->profile.read(input, json);
    if (!c.fatal) {
      json.text().push_back('\n');
      result->files.push_back({"", std::move(json.text())});
    }
    result->ok = !c.fatal && !c.has_errors();
    result->report = conversion_report(input[0].name, std::move(c.findings), converter->lang);
    *out = result.release();
  });
}

int hoks_output_ok(const hoks_output* output) { return output && output->ok && !output->files.empty(); }

size_t hoks_output_count(const hoks_output* output) { return output ? output->files.size() : 0; }

hoks_status hoks_output_file(const hoks_output* output, size_t i, const char** name, const char** data, size_t* size) {
  return guard([&] {
    require(output, "output");
    if (i >= output->files.size())
      throw Failure{HOKS_INVALID_ARGUMENT, "file " + std::to_string(i) + " of " + std::to_string(output->files.size())};
    const hoks::NamedFile& f = output->files[i];
    if (name) *name = f.name.c_str();
    if (data) *data = f.bytes.c_str();
    if (size) *size = f.bytes.size();
  });
}

const char* hoks_output_report(const hoks_output* output, size_t* size) {
  if (size) *size = output ? output->report.size() : 0;
  return output ? output->report.c_str() : "";
}

void hoks_output_free(hoks_output* output) { delete output; }

}  // extern "C"
