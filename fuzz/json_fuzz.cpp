// Fuzzes the JSON reader: parse with default and tight limits, then every pointer and position.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "hoks/read/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  hoks::JsonDocument doc;
  hoks::LineIndex lines(text);
  if (!doc.parse(text)) {
    if (doc.error_offset() > text.size()) std::abort();
    lines.locate(doc.error_offset());
  } else {
    // Every value (not object keys) has a pointer, and that pointer finds the same value, unless a
    // repeated key shadows it or one of its containers (eHOKS reads the last one).
    const std::uint32_t count = doc.node_count();
    auto shadowed = [&](std::uint32_t i) {
      for (; i != 0; i = doc.node(i).parent) {
        const std::uint32_t parent = doc.node(i).parent;
        if (doc.node(parent).type != hoks::JsonType::object) continue;
        const hoks::detail::JsonNode& key = doc.node(i - 1);
        if (hoks::JsonValue(&doc, parent).get(std::string_view(key.data, key.size)).index() != i) return true;
      }
      return false;
    };
    std::vector<hoks::JsonValue> stack{doc.root()};
    for (std::uint32_t visited = 0; !stack.empty() && visited < 4096; ++visited) {
      const hoks::JsonValue v = stack.back();
      stack.pop_back();
      const hoks::detail::JsonNode& n = v.node();
      if (n.offset > text.size() || n.next > count || n.next <= v.index()) std::abort();
      lines.locate(n.offset);
      const std::string pointer = doc.pointer(v.index());
      if (doc.find(pointer) != v.index() && !shadowed(v.index())) std::abort();
      if (v.is_object() || v.is_array())
        for (auto& m : v) stack.push_back(m.value());
    }
    std::string out;
    hoks::detail::append_json_string(out, doc.root().str());
  }
  hoks::JsonLimits tight;
  tight.max_depth = 4;
  tight.max_string_bytes = 8;
  tight.max_document_bytes = 64;
  hoks::JsonDocument small;
  if (small.parse(text, tight) && size > 64) std::abort();
  return 0;
}
