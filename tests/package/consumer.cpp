// Validates one document through the installed library; exit 0 when it has no errors.
#include <hoks/batch/batch.hpp>

#include <iostream>

int main() {
  hoks::ValidationOptions options;
  options.today = {2026, 11, 28};
  std::vector<hoks::DocumentReport> reports;
  hoks::validate_text(hoks::Validator(), "inline.json",
                      R"({"oppija-oid": "1.2.246.562.24.12312312319", "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
                          "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": false})",
                      options, reports);
  std::cout << reports.size() << " document, valid: " << reports[0].valid() << "\n";
  return reports.size() == 1 && reports[0].valid() ? 0 : 1;
}
