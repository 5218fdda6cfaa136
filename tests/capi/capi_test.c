/* The C API from C (built as C99, run by ctest): a demo document validated, the validator reused
 * from several threads, conversions, and the error paths.
 * Usage: capi_test DEMO.json STUDY_RIGHT.json VENDOR_PROFILE.yaml */
#include <hoks/hoks.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                          \
    }                                                                      \
  } while (0)

static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot read\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* bytes = malloc((size_t)n + 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) exit(2);
  bytes[n] = '\0';
  fclose(f);
  *size = (size_t)n;
  return bytes;
}

static char* validate(const hoks_validator* v, const char* source, const char* data, size_t size, int* valid) {
  char* report = NULL;
  size_t report_size = 0;
  hoks_status s = hoks_validate(v, source, data, size, &report, &report_size, valid);
  CHECK(s == HOKS_OK);
  CHECK(report != NULL && strlen(report) == report_size);
  return report;
}

struct job {
  const hoks_validator* validator;
  const char* data;
  size_t size;
  const char* expected;
  int mismatches;
};

static void* run_job(void* arg) {
  struct job* j = arg;
  for (int i = 0; i < 25; ++i) {
    int valid = -1;
    char* report = NULL;
    if (hoks_validate(j->validator, "demo.json", j->data, j->size, &report, NULL, &valid) != HOKS_OK ||
        strcmp(report, j->expected) != 0)
      ++j->mismatches;
    hoks_free(report);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: capi_test DEMO.json STUDY_RIGHT.json VENDOR_PROFILE.yaml\n");
    return 2;
  }
  size_t demo_size, study_right_size, profile_size;
  char* demo = read_file(argv[1], &demo_size);
  char* study_right = read_file(argv[2], &study_right_size);
  char* profile = read_file(argv[3], &profile_size);

  /* Version: the header's and the library's agree. */
  CHECK(strcmp(hoks_version(), HOKS_VERSION_STRING) == 0);
  char expected_version[32];
  snprintf(expected_version, sizeof expected_version, "%d.%d.%d", HOKS_VERSION_MAJOR, HOKS_VERSION_MINOR,
           HOKS_VERSION_PATCH);
  CHECK(strcmp(hoks_version(), expected_version) == 0);

  /* Options: every key, and what each refuses. */
  hoks_options* options = NULL;
  CHECK(hoks_options_new(&options) == HOKS_OK && options != NULL);
  CHECK(hoks_options_set(options, "operation", "PUT") == HOKS_OK);
  CHECK(hoks_options_set(options, "operation", "POST") == HOKS_OK);
  CHECK(hoks_options_set(options, "lang", "en") == HOKS_OK);
  CHECK(hoks_options_set(options, "today", "2026-11-28") == HOKS_OK);
  CHECK(hoks_options_set(options, "redact", "false") == HOKS_OK);
  CHECK(hoks_options_set(options, "manual_entry", "false") == HOKS_OK);
  CHECK(hoks_options_set(options, "operation", "DELETE") == HOKS_INVALID_ARGUMENT);
  CHECK(strstr(hoks_last_error(), "DELETE") != NULL);
  CHECK(hoks_options_set(options, "colour", "red") == HOKS_INVALID_ARGUMENT);
  CHECK(strstr(hoks_last_error(), "colour") != NULL);
  CHECK(hoks_options_set(options, "today", "2026-02-30") == HOKS_INVALID_ARGUMENT);
  CHECK(strstr(hoks_last_error(), "2026-02-30") != NULL);
  CHECK(hoks_options_set(options, "lang", "de") == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_options_set(options, "redact", "maybe") == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_options_set(options, "study_right", "{\"tyyppi\": ") == HOKS_BAD_INPUT);
  CHECK(strncmp(hoks_last_error(), "study_right:1:", 14) == 0); /* with its position */
  CHECK(hoks_options_set(NULL, "lang", "fi") == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_options_set(options, NULL, "fi") == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_options_set(options, "lang", NULL) == HOKS_INVALID_ARGUMENT);
  CHECK(strcmp(hoks_status_name(HOKS_BAD_INPUT), "bad input") == 0);

  /* A demo document: valid, and its report names it and says so. */
  hoks_validator* validator = NULL;
  CHECK(hoks_validator_new(options, &validator) == HOKS_OK && validator != NULL);
  int valid = -1;
  char* report = validate(validator, "demo.json", demo, demo_size, &valid);
  CHECK(valid == 1);
  CHECK(strstr(report, "\"source\": \"demo.json\"") != NULL);
  CHECK(strstr(report, "\"valid\": 1") != NULL || strstr(report, "\"valid\": true") != NULL);

  /* Not well-formed input: a syntax finding at its position, not a failure of the call. */
  char* broken = validate(validator, "broken.json", "{\"oppija-oid\": ", 15, &valid);
  CHECK(valid == 0);
  CHECK(strstr(broken, "\"rule\": \"syntax\"") != NULL);
  CHECK(strstr(broken, "\"line\": 1") != NULL);
  hoks_free(broken);
  /* Empty input and a NULL source ("-"). */
  char* empty = validate(validator, NULL, NULL, 0, &valid);
  CHECK(valid == 0);
  CHECK(strstr(empty, "\"source\": \"-\"") != NULL);
  hoks_free(empty);
  /* The Swedish report differs from the English one in its messages only. */
  hoks_options* sv = NULL;
  hoks_validator* sv_validator = NULL;
  CHECK(hoks_options_new(&sv) == HOKS_OK && hoks_options_set(sv, "lang", "sv") == HOKS_OK);
  CHECK(hoks_validator_new(sv, &sv_validator) == HOKS_OK);
  char* en_syntax = validate(validator, "x.json", "[", 1, &valid);
  char* sv_syntax = validate(sv_validator, "x.json", "[", 1, &valid);
  CHECK(strcmp(en_syntax, sv_syntax) != 0);
  hoks_free(en_syntax);
  hoks_free(sv_syntax);
  hoks_validator_free(sv_validator);
  hoks_options_free(sv);

  /* The study right enables the context rules: the report changes. */
  hoks_options* with_context = NULL;
  hoks_validator* context_validator = NULL;
  CHECK(hoks_options_new(&with_context) == HOKS_OK);
  CHECK(hoks_options_set(with_context, "today", "2026-11-28") == HOKS_OK);
  CHECK(hoks_options_set(with_context, "study_right", study_right) == HOKS_OK);
  CHECK(hoks_validator_new(with_context, &context_validator) == HOKS_OK);
  hoks_options_free(with_context); /* the validator keeps its own copy */
  char* context_report = validate(context_validator, "demo.json", demo, demo_size, NULL);
  CHECK(strcmp(context_report, report) != 0);
  hoks_free(context_report);
  hoks_validator_free(context_validator);

  /* Bad calls. */
  char* none = (char*)1;
  CHECK(hoks_validate(NULL, "a", "{}", 2, &none, NULL, NULL) == HOKS_INVALID_ARGUMENT && none == NULL);
  CHECK(strstr(hoks_last_error(), "validator") != NULL);
  CHECK(hoks_validate(validator, "a", NULL, 5, &none, NULL, NULL) == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_validate(validator, "a", "{}", 2, NULL, NULL, NULL) == HOKS_INVALID_ARGUMENT);
  CHECK(hoks_validator_new(NULL, NULL) == HOKS_INVALID_ARGUMENT);
  hoks_validator_free(NULL);
  hoks_options_free(NULL);
  hoks_free(NULL);

  /* One validator, many threads: each report is the one of a single thread. */
  enum { threads = 6 };
  pthread_t ids[threads];
  struct job jobs[threads];
  for (int i = 0; i < threads; ++i) {
    jobs[i] = (struct job){validator, demo, demo_size, report, 0};
    CHECK(pthread_create(&ids[i], NULL, run_job, &jobs[i]) == 0);
  }
  for (int i = 0; i < threads; ++i) {
    pthread_join(ids[i], NULL);
    CHECK(jobs[i].mismatches == 0);
  }
  hoks_free(report);
  hoks_validator_free(validator);

  /* Canonical XML there and back: the XML of the JSON read back is the same XML. */
  hoks_converter* xml = NULL;
  CHECK(hoks_converter_new("xml", options, &xml) == HOKS_OK);
  hoks_output* out = NULL;
  CHECK(hoks_convert_from_json(xml, "demo.json", demo, demo_size, &out) == HOKS_OK);
  CHECK(hoks_output_ok(out) && hoks_output_count(out) == 1);
  const char *name, *data;
  size_t size;
  CHECK(hoks_output_file(out, 0, &name, &data, &size) == HOKS_OK);
  CHECK(strncmp(data, "<?xml", 5) == 0 && strlen(data) == size);
  hoks_file file = {"demo.xml", data, size};
  hoks_output* back = NULL;
  CHECK(hoks_convert_to_json(xml, &file, 1, &back) == HOKS_OK && hoks_output_ok(back));
  const char* json;
  size_t json_size;
  CHECK(hoks_output_file(back, 0, NULL, &json, &json_size) == HOKS_OK && json[0] == '{');
  hoks_output* again = NULL;
  CHECK(hoks_convert_from_json(xml, "back.json", json, json_size, &again) == HOKS_OK);
  const char* xml_again;
  CHECK(hoks_output_file(again, 0, NULL, &xml_again, NULL) == HOKS_OK && strcmp(xml_again, data) == 0);
  CHECK(hoks_output_file(again, 1, NULL, NULL, NULL) == HOKS_INVALID_ARGUMENT);
  hoks_output_free(again);
  hoks_output_free(back);
  hoks_output_free(out);
  /* Broken XML: no file, and the report holds the finding with its position. */
  hoks_file bad_xml = {"bad.xml", "<hoks><oppija-oid>", 18};
  CHECK(hoks_convert_to_json(xml, &bad_xml, 1, &out) == HOKS_OK);
  CHECK(!hoks_output_ok(out) && hoks_output_count(out) == 0);
  CHECK(strstr(hoks_output_report(out, NULL), "\"source\": \"bad.xml\"") != NULL);
  CHECK(strstr(hoks_output_report(out, NULL), "\"line\": 1") != NULL);
  hoks_output_free(out);
  CHECK(hoks_convert_to_json(xml, NULL, 0, &out) == HOKS_INVALID_ARGUMENT && out == NULL);
  hoks_converter_free(xml);

  /* Canonical CSV: one table per entity. */
  hoks_converter* csv = NULL;
  CHECK(hoks_converter_new("csv", NULL, &csv) == HOKS_OK);
  CHECK(hoks_convert_from_json(csv, "demo.json", demo, demo_size, &out) == HOKS_OK && hoks_output_ok(out));
  CHECK(hoks_output_count(out) > 1);
  CHECK(hoks_output_file(out, 0, &name, NULL, NULL) == HOKS_OK && strcmp(name, "HOKS.csv") == 0);
  hoks_output_free(out);
  hoks_converter_free(csv);
  CHECK(hoks_converter_new("yaml", NULL, &csv) == HOKS_INVALID_ARGUMENT && csv == NULL);

  /* A vendor mapping profile, and a profile that is not one. */
  hoks_converter* vendor = NULL;
  CHECK(hoks_converter_load(profile, profile_size, "vendor.yaml", NULL, &vendor) == HOKS_OK);
  CHECK(hoks_convert_from_json(vendor, "demo.json", demo, demo_size, &out) == HOKS_OK);
  CHECK(hoks_output_count(out) >= 1);
  hoks_output_free(out);
  hoks_converter_free(vendor);
  CHECK(hoks_converter_load("format: [", 9, "bad.yaml", NULL, &vendor) == HOKS_BAD_INPUT && vendor == NULL);
  CHECK(strstr(hoks_last_error(), "bad.yaml") != NULL);

  hoks_options_free(options);
  free(demo);
  free(study_right);
  free(profile);
  if (failures == 0) printf("capi_test: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
