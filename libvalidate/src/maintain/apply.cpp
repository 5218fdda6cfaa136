#include "hoks/maintain/apply.hpp"

#include <stdexcept>

#include "maintain/apply_tree.hpp"

namespace hoks {

bool put_clears_when_omitted(std::string_view key) {
  static const char* const keys[] = {"versio",
                                     "sahkoposti",
                                     "urasuunnitelma-koodi-uri",
                                     "urasuunnitelma-koodi-versio",
                                     "osaamisen-hankkimisen-tarve",
                                     "hyvaksytty",
                                     "osaamisen-saavuttamisen-pvm",
                                     "paivitetty"};
  for (const char* k : keys)
    if (key == k) return true;
  return false;
}

bool put_keeps_when_omitted(std::string_view key) {
  return !put_clears_when_omitted(key) && !detail::is_part_array(key);
}

std::string apply_update(std::string_view base_json, std::string_view body_json, Operation op, const Model& model) {
  if (op != Operation::update && op != Operation::replace)
    throw std::invalid_argument("apply: the operation must be update (PATCH) or replace (PUT)");
  return detail::apply_tree(detail::parse_tree(base_json, "base"), detail::parse_tree(body_json, "body"), op, model)
             .dump(2) +
         "\n";
}

detail::Tree detail::apply_tree(Tree base, Tree body, Operation op, const Model& model) {
  if (op != Operation::update && op != Operation::replace)
    throw std::invalid_argument("apply: the operation must be update (PATCH) or replace (PUT)");
  if (!base.is_object()) throw std::invalid_argument("base: a HOKS must be a JSON object");
  if (!body.is_object()) throw std::invalid_argument("body: a HOKS must be a JSON object");
  detail::normalize(base, model.root_type(), model);
  detail::normalize(body, model.root_type(), model);
  if (base.contains("id") && body.contains("id") && base["id"] != body["id"])
    throw std::invalid_argument("body id " + body["id"].dump() + " differs from the stored HOKS id " +
                                base["id"].dump() + ": eHOKS would write that other HOKS (ehoks-model.md §4.4)");

  Tree out = Tree::object();
  if (op == Operation::update) {
    for (auto& [key, value] : body.items())
      if (detail::is_part_array(key) || key == "eid" || key == "manuaalisyotto")
        throw std::invalid_argument("body: PATCH cannot carry `" + key + "` (ehoks-model.md §4.3)");
    out = std::move(base);
    for (auto& [key, value] : body.items()) out[key] = std::move(value);
  } else {
    for (auto& [key, value] : base.items()) {
      if (detail::is_part_array(key)) continue;
      if (body.contains(key)) out[key] = std::move(body[key]);
      else if (!put_clears_when_omitted(key)) out[key] = std::move(value);
    }
    for (auto& [key, value] : body.items()) {
      if (out.contains(key) || detail::is_part_array(key)) continue;
      out[key] = std::move(value);
    }
    for (const char* key : detail::part_arrays) {
      Tree parts = body.contains(key) ? std::move(body[key]) : Tree::array();
      detail::strip_ids(parts);  // recreated: new internal ids and module-ids
      out[key] = std::move(parts);
    }
  }
  // GET always shows the nine arrays.
  for (const char* key : detail::part_arrays)
    if (!out.contains(key)) out[key] = Tree::array();
  return out;
}

}  // namespace hoks
