// The floor of the benchmark: a bare simdjson DOM parse of every line of an NDJSON corpus, no
// checks. Prints the 1-based numbers of the documents it cannot parse, one per line, and a summary
// (documents, unparsable, seconds of the parse loop) on standard error.
//
//   simdjson_floor CORPUS.ndjson
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: simdjson_floor CORPUS.ndjson\n");
    return 2;
  }
  simdjson::padded_string corpus;
  if (simdjson::padded_string::load(argv[1]).get(corpus)) {
    std::fprintf(stderr, "simdjson_floor: cannot read %s\n", argv[1]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  simdjson::dom::parser parser;
  const char* p = corpus.data();
  const char* const end = p + corpus.size();
  long long documents = 0, bad = 0;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', std::size_t(end - p)));
    const char* line_end = nl ? nl : end;
    if (line_end > p) {
      ++documents;
      simdjson::dom::element doc;
      // Each line is parsed from the corpus buffer; its padding is the rest of the corpus.
      if (parser.parse(p, std::size_t(line_end - p), false).get(doc)) {
        ++bad;
        std::printf("%lld\n", documents);
      }
    }
    p = line_end + 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "documents %lld, unparsable %lld, %.3f s\n", documents, bad, seconds);
  return 0;
}
