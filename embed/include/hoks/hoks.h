/* The C API of hokskit (libhoks.so): validate HOKS documents and convert them, from any language
 * that can call C. docs/embedding.md shows it used from C, Python, Java and C#.
 *
 * Handles are opaque. A validator or converter is made once and may then be used from many
 * threads at the same time (its functions take it const); options are copied when a validator is
 * made. No function throws or prints: each returns a hoks_status, and when that is not HOKS_OK,
 * hoks_last_error() says why (the message of the last failed call of the calling thread). Bytes
 * this library hands out are released with hoks_free(), handles with their own *_free(). */
#ifndef HOKS_H
#define HOKS_H

#include <stddef.h>

#include "hoks/version.h"

#if defined(__GNUC__)
#define HOKS_API __attribute__((visibility("default")))
#else
#define HOKS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hoks_status {
  HOKS_OK = 0,
  HOKS_INVALID_ARGUMENT = 1, /* a NULL handle or pointer, an unknown option, a value it does not take */
  HOKS_BAD_INPUT = 2,        /* a study right, profile or input that cannot be read (the message has its position) */
  HOKS_OUT_OF_MEMORY = 3,
  HOKS_INTERNAL = 4          /* a fault of the library (please report it) */
} hoks_status;

typedef struct hoks_options hoks_options;     /* settings for a validator or converter */
typedef struct hoks_validator hoks_validator; /* validates documents; thread-safe */
typedef struct hoks_converter hoks_converter; /* a conversion profile; thread-safe */
typedef struct hoks_output hoks_output;       /* the result of one conversion */

/* One input file of a conversion (a CSV table, an XML file); data need not end in NUL. */
typedef struct hoks_file {
  const char* name;
  const char* data;
  size_t size;
} hoks_file;

/* The library's version, e.g. "0.1.0" (HOKS_VERSION_STRING of the headers it was built with). */
HOKS_API const char* hoks_version(void);
/* The message of the last call on this thread that did not return HOKS_OK ("" if none). */
HOKS_API const char* hoks_last_error(void);
/* A short English name of a status ("ok", "invalid argument", ...). */
HOKS_API const char* hoks_status_name(hoks_status status);
/* Releases bytes returned by this library (NULL is fine). */
HOKS_API void hoks_free(void* bytes);

/* New options with the defaults: operation POST, language fi, today the current date (at each
 * validation), no study right, no redaction. */
HOKS_API hoks_status hoks_options_new(hoks_options** out);
/* Sets one option (value is UTF-8 text):
 *   "operation"    POST, PUT or PATCH (also create, replace, update)
 *   "lang"         fi, sv or en: the language of messages in reports
 *   "today"        YYYY-MM-DD, the date of date-relative rules; "" for the current date
 *   "study_right"  KOSKI study rights as JSON (one, an oppija response or NDJSON): each document is
 *                  checked with the one its opiskeluoikeus-oid names, as --opiskeluoikeus; "" for none
 *   "redact"       true or false: leave personal data out of reports
 *   "manual_entry" true or false: the virkailija routes (no oht-tunniste check) */
HOKS_API hoks_status hoks_options_set(hoks_options* options, const char* key, const char* value);
HOKS_API void hoks_options_free(hoks_options* options);

/* A validator with these options (NULL: the defaults). */
HOKS_API hoks_status hoks_validator_new(const hoks_options* options, hoks_validator** out);
HOKS_API void hoks_validator_free(hoks_validator* validator);
/* Validates UTF-8 bytes (one HOKS, a JSON array of them, or NDJSON) and returns the JSON report,
 * the same bytes as `hoks validate --format json` gives for a file of that name and content.
 * source names the input in the report (NULL: "-"). *report is NUL-terminated, *report_size its
 * length without the NUL (report_size may be NULL); release it with hoks_free. *valid (may be
 * NULL) is 1 when no document has an error, else 0. Findings are not failures: HOKS_OK. */
HOKS_API hoks_status hoks_validate(const hoks_validator* validator, const char* source, const char* data, size_t size,
                                   char** report, size_t* report_size, int* valid);

/* A converter of a canonical form: format is "xml" or "csv". options: lang of its findings (NULL: fi). */
HOKS_API hoks_status hoks_converter_new(const char* format, const hoks_options* options, hoks_converter** out);
/* A converter of a mapping profile (the YAML text of a profile, as in the folder schema/profiles);
 * source names the profile in messages. */
HOKS_API hoks_status hoks_converter_load(const char* profile_yaml, size_t size, const char* source,
                                         const hoks_options* options, hoks_converter** out);
HOKS_API void hoks_converter_free(hoks_converter* converter);
/* Canonical JSON (one document or an array) to the converter's format: one unnamed file for XML
 * or a vendor file, one file per table for CSV. */
HOKS_API hoks_status hoks_convert_from_json(const hoks_converter* converter, const char* source, const char* json,
                                            size_t size, hoks_output** out);
/* The converter's format to canonical JSON (one file, two-space indented): files are the input
 * (one XML file, or CSV tables, the main table first). */
HOKS_API hoks_status hoks_convert_to_json(const hoks_converter* converter, const hoks_file* files, size_t count,
                                          hoks_output** out);
/* Whether the conversion succeeded: 1 when it has files and its findings have no error. */
HOKS_API int hoks_output_ok(const hoks_output* output);
/* The number of files of the output (0 when the input could not be read at all). */
HOKS_API size_t hoks_output_count(const hoks_output* output);
/* File i of the output; name, data and size stay valid until hoks_output_free. */
HOKS_API hoks_status hoks_output_file(const hoks_output* output, size_t i, const char** name, const char** data,
                                      size_t* size);
/* The findings of the conversion as a JSON report (the format of `hoks validate --format json`),
 * NUL-terminated, valid until hoks_output_free; size may be NULL. */
HOKS_API const char* hoks_output_report(const hoks_output* output, size_t* size);
HOKS_API void hoks_output_free(hoks_output* output);

#ifdef __cplusplus
}
#endif

#endif
