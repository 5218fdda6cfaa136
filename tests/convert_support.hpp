// Shared by the conversion tests: documents to convert (corpus, fixtures, generated ones).
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "hoks/convert/convert.hpp"
#include "test_util.hpp"

namespace hoks::test {

// Every JSON document of the demo corpus and of fixtures/ (recursively) that is well-formed JSON.
inline std::vector<std::filesystem::path> json_documents() {
  std::vector<std::filesystem::path> out;
  for (const auto& root : {shared_dir() / "corpus" / "ehoks-demo", source_dir() / "fixtures"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A random document built from the model: every field type, sometimes absent, sometimes of the
// wrong type, with unknown keys, empty values and awkward strings (deterministic per seed).
class RandomDocuments {
 public:
  explicit RandomDocuments(unsigned seed) : rng_(seed) {}

  Json document() { return entity(Model::builtin().root_type().entity, 0); }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }

  std::string text() {
    static const char* samples[] = {"Kukkakauppa Esimerkki Oy", "", " leading and trailing ", "  ", "rivi 1\nrivi 2",
                                    "crlf\r\nline", "tab\there", "<tag> & \"quotes\" 'apos'", "=SUM(A1)", "-5", "+358 40",
                                    "@home", "'quoted", "''", "ääkköset ÅÖ €", "\x01\x02 control", "nul\x00byte",
                                    "\xEF\xBF\xBE nonchar", "a;b,c|d", "1.2.246.562.10.12944436167", "🙂 emoji"};
    const int i = pick(static_cast<int>(std::size(samples)));
    if (i == 16) return std::string("nul\0byte", 8);
    return samples[i];
  }

  Json random_scalar() {
    switch (pick(6)) {
      case 0: return Json::string(text());
      case 1: return Json::number(number());
      case 2: return Json::boolean_value(chance(50));
      case 3: return Json::null_value();
      case 4: {
        Json a = Json::array();
        for (int k = pick(3); k > 0; --k) a.items.push_back(Json::string(text()));
        return a;
      }
      default: {
        Json o = Json::object();
        for (int k = pick(3); k > 0; --k) o.members.emplace_back(key(), Json::number(number()));
        return o;
      }
    }
  }

  std::string number() {
    static const char* samples[] = {"0", "1", "-7", "40", "37.5", "1e3", "-0.25E-2", "100", "1.0", "12345678901234567890"};
    return samples[pick(static_cast<int>(std::size(samples)))];
  }

  std::string key() {
    static const char* samples[] = {"lisatieto", "", "1abc", "a b", "xml-key", "x/y~z", "_", "item", "type", "käyttäjä",
                                    "key\nwith newline", "id"};
    return samples[pick(static_cast<int>(std::size(samples)))];
  }

  Json value(const ValueType* t, int depth) {
    if (chance(4) || depth > 6) return random_scalar();
    switch (t->base) {
      case BaseType::object: return entity(t->entity, depth + 1);
      case BaseType::array: {
        Json a = Json::array();
        for (int k = pick(4); k > 0; --k) a.items.push_back(value(t->item, depth + 1));
        return a;
      }
      case BaseType::integer: return Json::number(chance(80) ? std::to_string(pick(1000)) : number());
      case BaseType::number: return Json::number(number());
      case BaseType::boolean: return Json::boolean_value(chance(50));
      case BaseType::date: return Json::string(chance(90) ? "2024-0" + std::to_string(1 + pick(9)) + "-1" + std::to_string(pick(10)) : text());
      default: return Json::string(text());
    }
  }

  Json entity(int index, int depth) {
    const Entity& e = Model::builtin().entity(index);
    Json o = Json::object();
    for (const Field& f : e.fields)
      if (chance(depth == 0 ? 70 : 50)) o.members.emplace_back(f.key, value(f.type, depth));
    std::shuffle(o.members.begin(), o.members.end(), rng_);
    if (chance(10)) o.members.emplace_back(key(), random_scalar());
    if (chance(3) && !o.members.empty()) o.members.push_back(o.members.front());  // a repeated key
    return o;
  }

  std::mt19937 rng_;
};

}  // namespace hoks::test
