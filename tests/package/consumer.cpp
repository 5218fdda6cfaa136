// Validates one document through the installed C++ library; exit 0 when it has no errors.
#include <hoks/hoks.hpp>

#include <iostream>

int main() {
  hoks::ValidationOptions options;  // today: the current date
  std::vector<hoks::DocumentReport> reports;
  hoks::validate_text(hoks::Validator(), "inline.json",
                      R"({"oppija-oid": "1.2.246.562.24.12312312319", "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
                          "ensikertainen-hyvaksyminen": "2024-01-15", "osaamisen-hankkimisen-tarve": false})",
                      options, reports);
  std::cout << "hokskit " << HOKS_VERSION_STRING << ": " << reports.size() << " document, valid: " << reports[0].valid() << "\n";
  for (const auto& f : reports[0].findings) std::cout << f.rule << ": " << hoks::render_finding(f, hoks::Lang::en).message << "\n";
  return reports.size() == 1 && reports[0].valid() && options.today == hoks::Date::today() ? 0 : 1;
}
