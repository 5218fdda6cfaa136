// Internal: scans of text for a few special bytes, sixteen bytes at a time (SSE2) where it can,
// shared by the JSON and XML writers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hoks::detail {

// True when s has no control character (below 0x20) and none of the bytes Specials: sixteen bytes
// at a time (SSE2; the last sixteen overlapping), else eight, else one.
template <char... Specials>
bool no_control_nor(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i controls = _mm_set1_epi8(0x1F);
    const auto hit = [&](std::size_t i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      __m128i special = _mm_cmpeq_epi8(_mm_min_epu8(v, controls), v);
      ((special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(Specials)))), ...);
      return _mm_movemask_epi8(special) != 0;
    };
    for (std::size_t i = 0; i + 16 <= n; i += 16)
      if (hit(i)) return false;
    return !hit(n - 16);
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto word_hit = [&](std::size_t i) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    return ((zero_byte(w ^ (ones * static_cast<unsigned char>(Specials))) | ...) | ((w - ones * 0x20) & ~w & highs)) != 0;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (word_hit(i)) return false;
    return !word_hit(n - 8);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || ((c == static_cast<unsigned char>(Specials)) || ...)) return false;
  }
  return true;
}

}  // namespace hoks::detail
