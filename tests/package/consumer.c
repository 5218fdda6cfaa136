/* Validates one document through the installed C API; exit 0 when it is valid. */
#include <hoks/hoks.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  const char* doc = "{\"oppija-oid\": \"1.2.246.562.24.12312312319\", \"opiskeluoikeus-oid\": \"1.2.246.562.15.10000000009\","
                    " \"ensikertainen-hyvaksyminen\": \"2024-01-15\", \"osaamisen-hankkimisen-tarve\": false}";
  hoks_validator* validator = NULL;
  char* report = NULL;
  int valid = 0;
  if (hoks_validator_new(NULL, &validator) != HOKS_OK ||
      hoks_validate(validator, "inline.json", doc, strlen(doc), &report, NULL, &valid) != HOKS_OK) {
    fprintf(stderr, "%s\n", hoks_last_error());
    return 2;
  }
  printf("libhoks %s (header %s): valid %d\n", hoks_version(), HOKS_VERSION_STRING, valid);
  hoks_free(report);
  hoks_validator_free(validator);
  return valid && strcmp(hoks_version(), HOKS_VERSION_STRING) == 0 ? 0 : 1;
}
