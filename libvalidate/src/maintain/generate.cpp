// Realistic HOKS documents from a seed: Finnish names, workplaces and tasks, OIDs and Y-tunnukset
// with correct check digits, and dates that satisfy the eHOKS rules (ehoks-model.md §2.2) for a
// vocational study right. Each document also satisfies the hokskit warnings (legal minimum content,
// code lists, date order, unique period ids), so a valid document has no finding at all.
#include "hoks/maintain/generate.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "hoks/read/json.hpp"

namespace hoks {
namespace {

// splitmix64: small, fast and good enough for test data; one stream per document.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>((next() >> 32) * n >> 32); }
  // Uniform in [lo, hi].
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1))); }
  bool percent(int p) { return below(100) < static_cast<std::uint32_t>(p); }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  Rng r(a ^ (b * 0xD1B54A32D192ED03ULL));
  return r.next();
}

using Names = std::array<std::string_view, 24>;
constexpr Names first_names = {"Aino",  "Eino",   "Helmi", "Väinö", "Sofia",  "Leevi", "Aada",  "Onni",
                               "Ella",  "Eetu",   "Iida",  "Päivi", "Lotta", "Niilo", "Emma",  "Tuomas",
                               "Siiri", "Mikael", "Pihla", "Ilari", "Venla",  "Jyri",  "Hilla", "Ville"};
constexpr Names last_names = {"Virtanen",  "Korhonen",  "Mäkinen",   "Nieminen", "Mäkelä",   "Hämäläinen",
                              "Laine",     "Heikkinen", "Koskinen",  "Järvinen", "Lehtonen", "Lehtinen",
                              "Saarinen",  "Salminen",  "Heinonen",  "Niemi",    "Heikkilä", "Kinnunen",
                              "Salonen",   "Turunen",   "Salo",      "Laitinen", "Tuominen", "Rantanen"};
constexpr std::array<std::string_view, 16> places = {"Tampere", "Oulu",   "Turku",  "Jyväskylä", "Kuopio", "Lahti",
                                                     "Pori",    "Joensuu", "Vaasa", "Seinäjoki", "Kotka",  "Rovaniemi",
                                                     "Hämeenlinna", "Mikkeli", "Kajaani", "Espoo"};

// A field of vocational training: workplaces, tasks and demonstration work of that field.
struct Field {
  std::array<std::string_view, 4> workplaces;  // "{place}" is replaced by a town
  std::array<std::string_view, 8> tasks;
  std::array<std::string_view, 4> demonstrations;
  std::array<std::string_view, 3> local_units;
};

constexpr std::array<Field, 6> fields = {{
    {{"Kukkakauppa Orvokki {place} Oy", "Puutarha Vehreä Ky", "Hautakukka {place} Oy", "Viherpalvelu Lehto Oy"},
     {"Asiakaspalvelu", "Kimppujen sidonta", "Hautavihkojen valmistus", "Kasvien hoito", "Kassatyöt",
      "Tilausten vastaanotto", "Myymälän somistus", "Toimitusten pakkaaminen"},
     {"Juhlasidonnat asiakkaan toiveiden mukaan", "Myymälän päivittäiset työt", "Sesonkisomistus",
      "Kasvien myynti ja neuvonta"},
     {"Kukkasidonnan erikoistyöt", "Verkkokaupan perusteet", "Hautakukkien sidonta"}},
    {{"Rakennus Virtanen {place} Oy", "Kattotyö Salo Oy", "Remonttipalvelu Laine Ky", "{place}n Talokeskus Oy"},
     {"Muottityöt", "Raudoitus", "Betonointi", "Puurakenteiden asennus", "Purkutyöt", "Työmaan siivous",
      "Mittaukset ja merkinnät", "Laatoitus"},
     {"Omakotitalon runkotyöt", "Kylpyhuoneen vedeneristys ja laatoitus", "Ikkunoiden asennus",
      "Väliseinän rakentaminen"},
     {"Hirsirakentamisen perusteet", "Rakennustelineiden pystytys", "Korjausrakentaminen"}},
    {{"Ravintola Kultainen Kala {place}", "Lounaskahvila Kuppi Ky", "Hotelli {place} Oy", "Catering Maku Oy"},
     {"Kylmäkeittiön tehtävät", "Lounaan valmistus", "Leivonta", "Astiahuolto", "Salityöskentely",
      "Omavalvonta", "Raaka-aineiden vastaanotto", "Erityisruokavaliot"},
     {"Lounaan valmistus 80 hengelle", "Juhlatilaisuuden kattaus ja tarjoilu", "À la carte -annosten valmistus",
      "Aamiaisbuffetin järjestäminen"},
     {"Kasvisruoat", "Tapahtumaruokailu", "Kahvilatyö"}},
    {{"Autokorjaamo Mäkinen {place} Oy", "Rengasliike Pito Oy", "Huoltoasema Kiitävä Ky", "{place}n Autotalo Oy"},
     {"Määräaikaishuollot", "Renkaiden vaihto", "Jarrujen korjaus", "Vianmääritys", "Öljynvaihto",
      "Asiakkaan neuvonta", "Varaosien tilaus", "Ilmastointihuolto"},
     {"Henkilöauton määräaikaishuolto", "Jarrujärjestelmän korjaus", "Sähköisen vian paikantaminen",
      "Renkaiden ja vanteiden huolto"},
     {"Sähköautojen huolto", "Raskaan kaluston perusteet", "Korjaamon asiakaspalvelu"}},
    {{"Hoivakoti Kotipiha {place}", "Palvelutalo Ruska Oy", "Päiväkoti Tenava Ky", "Kotihoito Apu Oy"},
     {"Asiakkaan avustaminen päivittäisissä toimissa", "Lääkehoito", "Ulkoilu asiakkaiden kanssa",
      "Kirjaaminen", "Ruokailussa avustaminen", "Virikkeellinen toiminta", "Hygieniasta huolehtiminen",
      "Liikkumisen tukeminen"},
     {"Ikääntyneen asiakkaan kokonaisvaltainen hoito", "Lapsiryhmän päivän ohjaaminen",
      "Kotihoidon käynnit", "Kuntouttava arjen tuki"},
     {"Muistisairaan kohtaaminen", "Ensiavun jatkokurssi", "Saattohoidon perusteet"}},
    {{"Sähköasennus Heikkinen {place} Oy", "Kiinteistöhuolto Vahti Oy", "LVI-Laitinen Ky", "Konepaja {place} Oy"},
     {"Sähköasennukset", "Kaapelointi", "Valaistuksen asennus", "Kiinteistön huoltokierrokset",
      "Ilmanvaihdon huolto", "Hitsaus", "Koneistus", "Vikojen korjaus"},
     {"Omakotitalon sähköasennus", "Kiinteistön talotekniikan huolto", "Teräsrakenteen hitsaus",
      "Koneen osan valmistus piirustuksesta"},
     {"Aurinkosähköjärjestelmät", "Kiinteistöautomaation perusteet", "Työturvallisuuskortti"}},
}};

constexpr std::array<std::string_view, 6> roles = {"opettaja", "vastuuopettaja", "opinto-ohjaaja",
                                                   "työpaikkakoordinaattori", "erityisopettaja", "ryhmänohjaaja"};
constexpr std::array<std::string_view, 4> career_codes = {"urasuunnitelma_0001", "urasuunnitelma_0002",
                                                          "urasuunnitelma_0003", "urasuunnitelma_0005"};
constexpr std::array<std::string_view, 12> yto_areas = {"ytyk", "yttt", "ytou", "ytyy", "ytth", "ytkk",
                                                        "vvai", "vvtk", "vvvk", "vvtd", "mlma", "mlfk"};
constexpr std::array<std::string_view, 3> environments = {"oppimisymparistot_0001", "oppimisymparistot_0002",
                                                          "oppimisymparistot_0003"};

std::string ascii_lower(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {  // ä ö å Ä Ö Å
      const unsigned char d = static_cast<unsigned char>(s[++i]);
      out.push_back(d == 0xA4 || d == 0x84 || d == 0xA5 || d == 0x85 ? 'a' : 'o');
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
  }
  return out;
}

std::string replace_place(std::string_view pattern, std::string_view place) {
  std::string out(pattern);
  if (const auto at = out.find("{place}"); at != std::string::npos) out.replace(at, 7, place);
  return out;
}

std::string date_string(const Date& d) {
  char buf[11];
  format_date(d, buf);
  return std::string(buf, 10);
}

// Compact JSON output; keys and values in the order they are written.
class Json {
 public:
  explicit Json(std::string& out) : out_(out) {}
  Json& object() { return open('{'); }
  Json& array() { return open('['); }
  Json& end_object() { return close('}'); }
  Json& end_array() { return close(']'); }
  Json& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    detail::append_json_string(out_, k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }
  Json& str(std::string_view v) {
    prefix();
    detail::append_json_string(out_, v);
    return *this;
  }
  Json& num(long long v) {
    prefix();
    out_ += std::to_string(v);
    return *this;
  }
  Json& boolean(bool v) {
    prefix();
    out_ += v ? "true" : "false";
    return *this;
  }
  Json& date(const Date& d) { return str(date_string(d)); }
  // Convenience: key and value.
  Json& field(std::string_view k, std::string_view v) { return key(k).str(v); }
  Json& field(std::string_view k, const char* v) { return key(k).str(v); }
  Json& field(std::string_view k, long long v) { return key(k).num(v); }
  Json& field(std::string_view k, int v) { return key(k).num(v); }
  Json& field(std::string_view k, bool v) { return key(k).boolean(v); }
  Json& field(std::string_view k, const Date& v) { return key(k).date(v); }

 private:
  Json& open(char c) {
    prefix();
    out_.push_back(c);
    first_ = true;
    return *this;
  }
  Json& close(char c) {
    out_.push_back(c);
    first_ = false;
    return *this;
  }
  void prefix() {
    if (after_key_) after_key_ = false;
    else if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

// One document being written.
class Writer {
 public:
  Writer(const GeneratorOptions& o, std::uint64_t index, Defect defect, std::string& out)
      : o_(o), rng_(mix(o.seed, index)), defect_(defect), j_(out), index_(index) {
    field_ = &fields[rng_.below(fields.size())];
    place_ = rng_.pick(places);
    provider_ = make_oid("10", 1000000000ULL + rng_.below(900000000));
  }

  void hoks();

 private:
  struct Period {
    Date alku, loppu;
  };
  // In an early-stage plan, true with `pct` % probability (never in a finished one).
  bool early(int pct) { return o_.early && rng_.percent(pct); }
  std::string person() { return std::string(rng_.pick(first_names)) + " " + std::string(rng_.pick(last_names)); }
  std::string email(const std::string& name, std::string_view domain) {
    std::string e = ascii_lower(name);
    std::replace(e.begin(), e.end(), ' ', '.');
    return e + "@" + std::string(domain);
  }
  std::string phone() {
    static constexpr std::array<std::string_view, 5> prefixes = {"040 ", "050 ", "044 ", "+358 40 ", "045 "};
    std::string p(rng_.pick(prefixes));
    p += std::to_string(rng_.between(100, 999)) + " " + std::to_string(rng_.between(1000, 9999));
    return p;
  }
  std::string y_tunnus() {
    for (;;) {
      std::string y = make_y_tunnus(static_cast<std::uint32_t>(rng_.between(1000000, 3299999)));
      if (!y.empty()) return y;
    }
  }
  std::string uuid() {
    static const char hex[] = "0123456789abcdef";
    const std::uint64_t a = rng_.next(), b = rng_.next();
    std::string s;
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) s.push_back('-');
      int nibble = static_cast<int>(((i < 16 ? a : b) >> (4 * (i % 16))) & 15);
      if (i == 12) nibble = 4;
      if (i == 16) nibble = 8 | (nibble & 3);
      s.push_back(hex[nibble]);
    }
    return s;
  }
  // A period inside [from, to] of `min_days`..`max_days` days (shorter when the range is).
  Period period(Date from, Date to, int min_days, int max_days) {
    const long span = to.days() - from.days();
    const long length = std::min<long>(span, rng_.between(min_days, max_days));
    const Date alku = from.plus_days(rng_.below(static_cast<std::uint32_t>(span - length + 1)));
    return {alku, alku.plus_days(length)};
  }
  bool take(Defect d) {
    if (defect_ != d || defect_done_) return false;
    defect_done_ = true;
    return true;
  }
  std::string tunniste() { return "jakso-" + std::to_string(index_ % 100000) + "-" + std::to_string(++periods_); }

  void oht(bool workplace, const Period& p);
  void demonstration(const Period& p, bool with_areas);
  void hato(bool first);
  void hpto();
  void hyto();
  void ahato();
  void ahyto();
  void learning_support(bool remedial);

  const GeneratorOptions& o_;
  Rng rng_;
  Defect defect_;
  bool defect_done_ = false;
  Json j_;
  std::uint64_t index_;
  const Field* field_;
  std::string_view place_;
  std::string provider_;
  int periods_ = 0;
  Date approved_{};
};

void Writer::oht(bool workplace, const Period& p) {
  const bool apprenticeship = workplace && rng_.percent(25);
  j_.object();
  if (take(Defect::invalid_date)) j_.field("alku", "2024-02-30");
  else j_.field("alku", p.alku);
  if (take(Defect::oht_date_order)) j_.field("loppu", p.alku.plus_days(-rng_.between(1, 30)));
  else if (take(Defect::oht_after_end)) j_.field("loppu", o_.study_right_end.plus_days(rng_.between(1, 90)));
  else if (!take(Defect::missing_key)) j_.field("loppu", p.loppu);
  if (workplace && !take(Defect::oht_tunniste)) j_.field("yksiloiva-tunniste", rng_.percent(50) ? tunniste() : uuid());
  if (take(Defect::pattern_mismatch)) j_.field("osaamisen-hankkimistapa-koodi-uri", "koulutussopimus");
  else
    j_.field("osaamisen-hankkimistapa-koodi-uri", !workplace      ? "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus"
                                                  : apprenticeship ? "osaamisenhankkimistapa_oppisopimus"
                                                                   : "osaamisenhankkimistapa_koulutussopimus");
  j_.field("osaamisen-hankkimistapa-koodi-versio", 1);
  if (take(Defect::unknown_key)) j_.field("tyopaikkajakson-lisatieto", "Jakso sovittu puhelimessa");
  const std::string teacher = person();
  j_.key("jarjestajan-edustaja").object().field("nimi", teacher);
  if (rng_.percent(70)) j_.field("rooli", rng_.pick(roles));
  j_.field("oppilaitos-oid", provider_).end_object();
  if (workplace) {
    if (apprenticeship && rng_.percent(30)) {
      j_.key("hankkijan-edustaja").object().field("nimi", person()).field("rooli", "oppisopimusasiantuntija");
      j_.field("oppilaitos-oid", provider_).end_object();
    }
    const std::string workplace_name = replace_place(rng_.pick(field_->workplaces), place_);
    j_.key("tyopaikalla-jarjestettava-koulutus").object();
    const std::string instructor = person();
    j_.key("vastuullinen-tyopaikka-ohjaaja").object().field("nimi", instructor);
    j_.field("sahkoposti", email(instructor, "example.fi"));
    if (rng_.percent(80)) j_.field("puhelinnumero", phone());
    j_.end_object();
    j_.field("tyopaikan-nimi", workplace_name);
    std::string y = y_tunnus();
    if (take(Defect::y_tunnus_check_digit)) y.back() = static_cast<char>('0' + (y.back() - '0' + 1) % 10);
    j_.field("tyopaikan-y-tunnus", y);
    j_.key("keskeiset-tyotehtavat").array();
    const int tasks = rng_.between(2, 5);
    const std::uint32_t start = rng_.below(8);
    for (int k = 0; k < tasks; ++k) j_.str(field_->tasks[(start + static_cast<std::uint32_t>(k)) % 8]);
    j_.end_array().end_object();
    if (!take(Defect::oht_part_time)) j_.field("osa-aikaisuustieto", rng_.percent(70) ? 100 : rng_.between(4, 19) * 5);
    if (apprenticeship) {
      j_.field("oppisopimuksen-perusta-koodi-uri", rng_.percent(50) ? "oppisopimuksenperusta_01" : "oppisopimuksenperusta_02");
      j_.field("oppisopimuksen-perusta-koodi-versio", 1);
    }
    // Interruptions: none, one, or two apart from each other, inside the period.
    const long days = p.loppu.days() - p.alku.days();
    if (days > 60 && rng_.percent(15)) {
      j_.key("keskeytymisajanjaksot").array();
      const Date first = p.alku.plus_days(rng_.between(10, 20));
      j_.object().field("alku", first).field("loppu", first.plus_days(rng_.between(1, 7))).end_object();
      if (rng_.percent(40))
        j_.object().field("alku", first.plus_days(rng_.between(20, 35))).field("loppu", first.plus_days(40)).end_object();
      j_.end_array();
    }
  } else if (rng_.percent(20)) {
    j_.key("muut-oppimisymparistot").array().object();
    j_.field("oppimisymparisto-koodi-uri", early(50) ? "oppimisymparistot_0009" : rng_.pick(environments)).field("oppimisymparisto-koodi-versio", 1);
    const Period q = period(p.alku, p.loppu, 1, 20);
    j_.field("alku", q.alku).field("loppu", q.loppu).end_object().end_array();
  }
  j_.end_object();
}

void Writer::demonstration(const Period& p, bool with_areas) {
  j_.object();
  const std::string workplace_name = replace_place(rng_.pick(field_->workplaces), place_);
  const std::string y = y_tunnus();
  const Period d = period(p.loppu.plus_days(-std::min<long>(30, p.loppu.days() - p.alku.days())), p.loppu, 1, 14);
  j_.key("nayttoymparisto").object().field("nimi", workplace_name).field("y-tunnus", y);
  if (rng_.percent(60)) j_.field("kuvaus", std::string(field_->workplaces[0].substr(0, field_->workplaces[0].find(' '))));
  j_.end_object();
  j_.key("sisallon-kuvaus").array();
  const std::uint32_t first = rng_.below(4);
  j_.str(field_->demonstrations[first]);
  if (rng_.percent(60)) j_.str(field_->demonstrations[(first + 1) % 4]);
  j_.end_array();
  j_.field("alku", d.alku).field("loppu", d.loppu);
  if (with_areas) {
    j_.key("osa-alueet").array();
    j_.object().field("koodi-uri", "ammatillisenoppiaineet_" + std::string(rng_.pick(yto_areas)));
    j_.field("koodi-versio", 1).end_object().end_array();
  }
  const std::string teacher = person();
  j_.key("koulutuksen-jarjestaja-osaamisen-arvioijat").array().object().field("nimi", teacher);
  j_.key("organisaatio").object().field("oppilaitos-oid", provider_).end_object().end_object().end_array();
  j_.key("tyoelama-osaamisen-arvioijat").array().object().field("nimi", person());
  j_.key("organisaatio").object().field("nimi", workplace_name).field("y-tunnus", y).end_object();
  j_.end_object().end_array();
  if (rng_.percent(10)) {
    j_.key("yksilolliset-kriteerit").array().str("Työskentelee ohjatusti ja turvallisesti");
    j_.str("Käyttää apuvälineitä \"oikein\" ja tarkoituksenmukaisesti").end_array();
  }
  j_.end_object();
}

// Acquisition periods and a demonstration: what the law asks of each part to be acquired.
void Writer::hato(bool first) {
  j_.object();
  j_.field("tutkinnon-osa-koodi-uri", "tutkinnonosat_" + std::to_string(rng_.between(100000, 799999)));
  if (take(Defect::wrong_type)) j_.field("tutkinnon-osa-koodi-versio", "1");
  else j_.field("tutkinnon-osa-koodi-versio", 1);
  if (rng_.percent(60)) j_.field("tutkinnon-osan-perusteen-diaarinro", "OPH-" + std::to_string(rng_.between(1000, 5999)) + "-" + std::to_string(rng_.between(2017, 2024)));
  if (rng_.percent(8))
    j_.field("vaatimuksista-tai-tavoitteista-poikkeaminen",
             "Arviointikriteereitä mukautetaan.\nOpiskelija tarvitsee lisäaikaa kirjallisiin tehtäviin.");
  j_.field("koulutuksen-jarjestaja-oid", provider_);
  if (!early(60)) j_.field("opetus-ja-ohjaus-maara", rng_.between(2, 30) * 12);
  // Periods follow each other inside the study right.
  const int count = rng_.between(1, 3);
  const long span = o_.study_right_end.days() - o_.study_right_start.days();
  const long slice = span / count;
  Date cursor = o_.study_right_start.plus_days(rng_.below(static_cast<std::uint32_t>(std::max<long>(1, slice / 3))));
  Period last{cursor, cursor};
  j_.key("osaamisen-hankkimistavat").array();
  for (int k = 0; k < count; ++k) {
    const Date to = std::min(o_.study_right_end, cursor.plus_days(slice));
    const Period p = period(cursor, to, 14, 200);
    // The first period of the first unit is a workplace one, so every defect has a place to go.
    const bool workplace = (first && k == 0) || rng_.percent(55);
    oht(workplace, p);
    last = p;
    cursor = std::min(o_.study_right_end.plus_days(-1), p.loppu.plus_days(1));
  }
  j_.end_array();
  if (!early(70)) {
    j_.key("osaamisen-osoittaminen").array();
    demonstration(last, false);
    j_.end_array();
  }
  j_.end_object();
}

void Writer::hpto() {
  j_.object();
  const std::string_view name = rng_.pick(field_->local_units);
  j_.field("nimi", name);
  j_.field("laajuus", rng_.between(1, 3) * 5);
  j_.field("tavoitteet-ja-sisallot", "Opiskelija osaa toimia tehtävässä \"" + std::string(name) +
                                         "\" työpaikan ohjeiden mukaisesti ja arvioida omaa työtään.");
  j_.field("koulutuksen-jarjestaja-oid", provider_);
  if (!early(60)) j_.field("opetus-ja-ohjaus-maara", rng_.between(2, 12) * 6);
  const Period p = period(o_.study_right_start, o_.study_right_end, 20, 120);
  j_.key("osaamisen-hankkimistavat").array();
  oht(rng_.percent(40), p);
  j_.end_array();
  if (!early(70)) {
    j_.key("osaamisen-osoittaminen").array();
    demonstration(p, false);
    j_.end_array();
  }
  j_.end_object();
}

void Writer::hyto() {
  j_.object();
  j_.field("tutkinnon-osa-koodi-uri", "tutkinnonosat_" + std::to_string(rng_.between(106727, 106729)));
  j_.field("tutkinnon-osa-koodi-versio", 1);
  j_.field("koulutuksen-jarjestaja-oid", provider_);
  j_.key("osa-alueet").array();
  const int areas = rng_.between(1, 3);
  const std::uint32_t start = rng_.below(yto_areas.size());
  for (int k = 0; k < areas; ++k) {
    j_.object();
    j_.field("osa-alue-koodi-uri", "ammatillisenoppiaineet_" +
                                       std::string(yto_areas[(start + static_cast<std::uint32_t>(k)) % yto_areas.size()]));
    j_.field("osa-alue-koodi-versio", 1);
    const Period p = period(o_.study_right_start, o_.study_right_end, 14, 90);
    j_.key("osaamisen-hankkimistavat").array();
    oht(false, p);
    j_.end_array();
    if (!early(70)) {
      j_.key("osaamisen-osoittaminen").array();
      demonstration(p, rng_.percent(30));
      j_.end_array();
    }
    j_.field("koulutuksen-jarjestaja-oid", provider_);
    if (!early(60)) j_.field("opetus-ja-ohjaus-maara", rng_.between(1, 8) * 6);
    j_.end_object();
  }
  j_.end_array();
  j_.end_object();
}

void Writer::ahato() {
  j_.object();
  j_.field("tutkinnon-osa-koodi-uri", "tutkinnonosat_" + std::to_string(rng_.between(100000, 799999)));
  j_.field("tutkinnon-osa-koodi-versio", 1);
  j_.field("koulutuksen-jarjestaja-oid", provider_);
  const int process = rng_.between(1, 3);
  j_.field("valittu-todentamisen-prosessi-koodi-uri", "osaamisentodentamisenprosessi_000" + std::to_string(process));
  j_.field("valittu-todentamisen-prosessi-koodi-versio", 3);
  if (process == 2) {
    j_.key("tarkentavat-tiedot-osaamisen-arvioija").object();
    j_.field("lahetetty-arvioitavaksi", o_.study_right_start.plus_days(rng_.between(5, 40)));
    j_.key("aiemmin-hankitun-osaamisen-arvioijat").array().object().field("nimi", person());
    j_.key("organisaatio").object().field("oppilaitos-oid", provider_).end_object().end_object().end_array();
    j_.end_object();
  }
  j_.end_object();
}

void Writer::ahyto() {
  j_.object();
  j_.field("tutkinnon-osa-koodi-uri", "tutkinnonosat_" + std::to_string(rng_.between(106727, 106729)));
  j_.field("tutkinnon-osa-koodi-versio", 1);
  j_.field("koulutuksen-jarjestaja-oid", provider_);
  j_.key("osa-alueet").array();
  const int areas = rng_.between(1, 2);
  for (int k = 0; k < areas; ++k) {
    j_.object();
    j_.field("osa-alue-koodi-uri", "ammatillisenoppiaineet_" + std::string(rng_.pick(yto_areas)));
    j_.field("osa-alue-koodi-versio", 1);
    j_.field("valittu-todentamisen-prosessi-koodi-uri", "osaamisentodentamisenprosessi_0001");
    j_.field("valittu-todentamisen-prosessi-koodi-versio", 3);
    j_.end_object();
  }
  j_.end_array();
  j_.end_object();
}

void Writer::learning_support(bool remedial) {
  j_.object();
  if (remedial) {
    const Period p = period(o_.study_right_start, o_.study_right_end, 14, 120);
    j_.field("oppimisen-tuen-tyyppi-koodi-uri", "ammatillinenkoulutusoppimisentuentyyppi_01");
    j_.field("alku", p.alku).field("loppu", p.loppu);
    j_.field("tutkinnon-osan-tyyppi-koodi-uri", rng_.percent(50) ? "ammatillisentutkinnonosanryhma_1" : "ammatillisentutkinnonosanryhma_2");
  } else {
    j_.field("oppimisen-tuen-tyyppi-koodi-uri", rng_.percent(50) ? "ammatillinenkoulutusoppimisentuentyyppi_02" : "ammatillinenkoulutusoppimisentuentyyppi_03");
    if (take(Defect::learning_support_fields)) j_.field("alku", o_.study_right_start.plus_days(30));
  }
  j_.end_object();
}

void Writer::hoks() {
  const std::string student = person();
  approved_ = o_.study_right_start.plus_days(rng_.between(7, 60));
  j_.object();
  std::string learner = make_oid(rng_.percent(95) ? "24" : "98", 1000000000ULL + rng_.below(900000000) * 10ULL + rng_.below(10));
  if (take(Defect::oid_check_digit)) learner.back() = static_cast<char>('0' + (learner.back() - '0' + 3) % 10);
  j_.field("oppija-oid", learner);
  const std::string random_oid = make_oid("15", 1000000000ULL + rng_.below(900000000) * 10ULL + rng_.below(10));
  j_.field("opiskeluoikeus-oid", o_.study_right_oid.empty() ? random_oid : o_.study_right_oid);
  j_.field("ensikertainen-hyvaksyminen", approved_);
  j_.field("hyvaksytty", date_string(approved_) + "T" + std::to_string(rng_.between(10, 15)) + ":" +
                             std::to_string(rng_.between(10, 59)) + ":00.000Z");
  if (rng_.percent(60))
    j_.field("paivitetty", date_string(approved_.plus_days(rng_.between(1, 400))) + "T08:" + std::to_string(rng_.between(10, 59)) + ":12.345Z");
  j_.field("osaamisen-hankkimisen-tarve", true);
  j_.field("sahkoposti", email(student, rng_.percent(50) ? "example.fi" : "opiskelija.example.fi"));
  j_.field("puhelinnumero", phone());
  j_.field("urasuunnitelma-koodi-uri", early(50) ? "urasuunnitelma_0004" : rng_.pick(career_codes)).field("urasuunnitelma-koodi-versio", 1);
  j_.field("versio", rng_.between(1, 6));
  if (rng_.percent(15))
    j_.field("osaamisen-saavuttamisen-pvm", o_.study_right_start.plus_days(rng_.between(300, 600)));

  // Sizes vary like real plans: most have a few units, some many (median about 9 KB).
  const int roll = rng_.between(0, 99);
  const int units = roll < 50 ? rng_.between(1, 3) : roll < 90 ? rng_.between(3, 5) : rng_.between(6, 12);
  j_.key("hankittavat-ammat-tutkinnon-osat").array();
  for (int k = 0; k < units; ++k) hato(k == 0);
  j_.end_array();
  if (rng_.percent(60)) {
    j_.key("hankittavat-yhteiset-tutkinnon-osat").array();
    for (int k = rng_.between(1, 2); k > 0; --k) hyto();
    j_.end_array();
  }
  if (rng_.percent(25)) {
    j_.key("hankittavat-paikalliset-tutkinnon-osat").array();
    hpto();
    j_.end_array();
  }
  if (rng_.percent(45)) {
    j_.key("aiemmin-hankitut-ammat-tutkinnon-osat").array();
    for (int k = rng_.between(1, 3); k > 0; --k) ahato();
    j_.end_array();
  }
  if (rng_.percent(30)) {
    j_.key("aiemmin-hankitut-yhteiset-tutkinnon-osat").array();
    ahyto();
    j_.end_array();
  }
  const bool support_defect = defect_ == Defect::learning_support_fields;
  if (support_defect || rng_.percent(30)) {
    j_.key("oppimisen-tuki").array();
    if (rng_.percent(50)) learning_support(true);
    learning_support(false);
    j_.end_array();
  }
  j_.end_object();
}

}  // namespace

const std::vector<DefectInfo>& defect_kinds() {
  static const std::vector<DefectInfo> kinds = {
      {Defect::unknown_key, "unknown-key", "unknown-key", true, false},
      {Defect::oht_tunniste, "oht-tunniste", "oht-tunniste", false, false},
      {Defect::wrong_type, "wrong-type", "wrong-type", true, false},
      {Defect::oid_check_digit, "oid-check-digit", "oid-check-digit", false, false},
      {Defect::missing_key, "missing-key", "missing-key", true, false},
      {Defect::oht_date_order, "oht-date-order", "oht-date-order", false, false},
      {Defect::pattern_mismatch, "pattern-mismatch", "pattern-mismatch", true, false},
      {Defect::y_tunnus_check_digit, "y-tunnus-check-digit", "y-tunnus-check-digit", false, false},
      {Defect::invalid_date, "invalid-date", "invalid-date", true, false},
      {Defect::oht_part_time, "oht-part-time", "oht-part-time", false, true},
      {Defect::oht_after_end, "oht-after-study-right-end", "oht-after-study-right-end", false, true},
      {Defect::learning_support_fields, "learning-support-fields", "learning-support-fields", false, false},
  };
  return kinds;
}

const DefectInfo& defect_info(Defect defect) {
  static const DefectInfo none{Defect::none, "", "", false, false};
  for (const auto& k : defect_kinds())
    if (k.defect == defect) return k;
  return none;
}

HoksGenerator::HoksGenerator(const GeneratorOptions& options) : options_(options) {
  if (options.invalid > options.count) throw std::invalid_argument("more invalid documents than documents");
  if (options.study_right_end.days() - options.study_right_start.days() < 60)
    throw std::invalid_argument("the study right must last at least 60 days");
}

// The k-th of `invalid` defects lands somewhere in the k-th of `invalid` equal slices of the corpus.
Defect HoksGenerator::defect_of(std::uint64_t index) const {
  const std::uint64_t n = options_.count, k = options_.invalid;
  if (k == 0 || index >= n) return Defect::none;
  const std::uint64_t slice = index * k / n;  // the slice holding `index`
  const std::uint64_t begin = (slice * n + k - 1) / k, end = ((slice + 1) * n + k - 1) / k;
  const std::uint64_t chosen = begin + mix(options_.seed ^ 0xDEFEC7ULL, slice) % (end - begin);
  if (index != chosen) return Defect::none;
  const auto& kinds = defect_kinds();
  return kinds[slice % kinds.size()].defect;
}

void HoksGenerator::write(std::uint64_t index, std::string& out) const {
  Writer(options_, index, defect_of(index), out).hoks();
}

std::string HoksGenerator::document(std::uint64_t index) const {
  std::string out;
  write(index, out);
  return out;
}

std::string make_oid(std::string_view node, std::uint64_t payload10) {
  const std::string payload = std::to_string(payload10);
  return "1.2.246.562." + std::string(node) + "." + payload + std::to_string(oid_check_digit(node, payload));
}

std::string make_y_tunnus(std::uint32_t digits7) {
  char d[8];
  for (int k = 6; k >= 0; --k, digits7 /= 10) d[k] = static_cast<char>('0' + digits7 % 10);
  d[7] = 0;
  const int check = y_tunnus_check_digit(std::string_view(d, 7));
  if (check < 0) return {};
  return std::string(d, 7) + "-" + std::to_string(check);
}

}  // namespace hoks
