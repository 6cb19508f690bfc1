#include "anime2vec/sample.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "anime2vec/rng.hpp"

namespace anime2vec {

namespace {

// Genres users have tastes for, with how often a title or a taste draws each.
const char* const taste_genres[] = {"Action",  "Adventure", "Comedy",  "Drama",
                                    "Fantasy", "Mecha",     "Mystery", "Romance",
                                    "Sci-Fi",  "Slice of Life", "Sports", "Supernatural"};
const int taste_weights[] = {10, 6, 12, 8, 7, 3, 4, 6, 5, 5, 3, 5};
constexpr int taste_count = 12;

// Extra genres that only decorate the genre column.
const char* const extra_genres[] = {"School", "Shounen", "Seinen",     "Shoujo",
                                    "Music",  "Historical", "Military", "Parody"};

const char* const types[] = {"TV", "Movie", "OVA", "Special", "ONA"};
enum Type { tv, movie, ova, special, ona };

const char* const adjectives[] = {
    "Starfall", "Crimson", "Silent",  "Iron",    "Velvet", "Hidden",  "Eternal", "Paper",
    "Glass",    "Midnight", "Golden", "Neon",    "Frozen", "Wandering", "Scarlet", "Azure",
    "Hollow",   "Burning", "Lunar",   "Solar",   "Broken", "Gentle",  "Wild",    "Last",
    "Secret",   "Electric", "Phantom", "Little", "Brave",  "Endless"};
const char* const nouns[] = {
    "Academy", "Blade",    "Garden",   "Chronicle", "Frontier", "Requiem", "Knights", "Diary",
    "Orchestra", "Horizon", "Circuit", "Kingdom",   "Witch",    "Railway", "Festival", "Detective",
    "Pilot",   "Bakery",   "Shrine",   "Symphony",  "Tower",    "Voyage",  "Legion",  "Club",
    "Rhapsody", "Saga",    "Alchemist", "Archive",  "Harbor",   "Express"};
const char* const syllables[] = {"ka", "ki", "ku", "ko", "sa", "shi", "su", "so", "ta", "chi",
                                 "tsu", "to", "na", "ni", "ha", "hi", "fu", "ho", "ma", "mi",
                                 "mu", "mo", "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro",
                                 "wa", "ga", "ji", "zu", "da", "be", "po", "n"};

template <typename T, std::size_t N>
const T& pick(Rng& rng, const T (&list)[N]) {
  return list[rng.below(static_cast<std::uint32_t>(N))];
}

int weighted(Rng& rng, const int* weights, int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) total += weights[i];
  int r = static_cast<int>(rng.below(static_cast<std::uint32_t>(total)));
  for (int i = 0; i < n; ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return n - 1;
}

std::string japanese_word(Rng& rng) {
  const int length = 2 + static_cast<int>(rng.below(3));
  std::string word;
  for (int i = 0; i < length; ++i) {
    std::string syllable = pick(rng, syllables);
    if (i == 0 && syllable == "n") syllable = "na";
    word += syllable;
  }
  word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

// Every draw is a statement of its own: the operands of + are evaluated in an unspecified
// order, which GCC and Clang choose differently, and the bytes must not depend on the compiler.
std::string adjective_noun(Rng& rng) {
  const std::string adjective = pick(rng, adjectives);
  return adjective + " " + pick(rng, nouns);
}

// Titles as anime.csv writes them: '&', apostrophes and some quotes as HTML entities.
std::string base_title(Rng& rng) {
  const std::uint32_t r = rng.below(100);
  if (r < 40) return adjective_noun(rng);
  if (r < 60) {
    const std::string first = japanese_word(rng);
    return first + " no " + japanese_word(rng);
  }
  if (r < 72) {
    const std::string first = japanese_word(rng);
    return first + " " + pick(rng, nouns);
  }
  if (r < 80) {
    const std::string first = adjective_noun(rng);
    return first + ": " + japanese_word(rng);
  }
  if (r < 86) {
    const std::string first = pick(rng, nouns);
    return first + " &amp; " + pick(rng, nouns);
  }
  if (r < 92) {
    const std::string first = japanese_word(rng);
    return first + "&#039;s " + pick(rng, nouns);
  }
  if (r < 97) {
    const std::string first = adjective_noun(rng);
    return first + ", " + adjective_noun(rng);
  }
  const std::string quote = rng.below(2) ? "\"" : "&quot;";
  const std::string noun = pick(rng, nouns);
  return "The " + quote + noun + quote + " of " + japanese_word(rng);
}

std::string ordinal(int n) {
  const char* suffix = n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

int episodes_for(Rng& rng, int type) {
  static const int tv_lengths[] = {12, 13, 24, 25, 26, 10, 11, 50};
  switch (type) {
    case tv: return rng.below(40) == 0 ? 0 : pick(rng, tv_lengths);
    case movie: return 1;
    case ova: return 1 + static_cast<int>(rng.below(6));
    case special: return 1 + static_cast<int>(rng.below(8));
    default: return 1 + static_cast<int>(rng.below(15));
  }
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Item {
  std::string title;
  int type = tv;
  int episodes = 0;  // 0 is written "Unknown"
  int quality = 0;   // tenths of a rating point: what a neutral viewer gives
  long long id = 0;
  std::vector<std::string> genre_names;
  // Filled while users are generated.
  long long rating_sum = 0;
  long long rating_count = 0;
  long long watchers = 0;
};

// A franchise or a stand-alone title: the thing users choose, with its genres and popularity.
struct Unit {
  std::vector<std::size_t> items;  // watching order
  std::vector<int> genres;         // indices into taste_genres
};

std::vector<int> draw_genres(Rng& rng) {
  static const int count_weights[] = {40, 40, 20};
  const int count = 1 + weighted(rng, count_weights, 3);
  std::vector<int> genres;
  while (static_cast<int>(genres.size()) < count) {
    const int g = weighted(rng, taste_weights, taste_count);
    if (std::find(genres.begin(), genres.end(), g) == genres.end()) genres.push_back(g);
  }
  return genres;
}

std::vector<std::string> genre_names(Rng& rng, const std::vector<int>& genres) {
  std::vector<std::string> names;
  for (int g : genres) names.push_back(taste_genres[g]);
  if (rng.below(3) == 0) names.push_back(pick(rng, extra_genres));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

class Generator {
 public:
  explicit Generator(const SampleOptions& options) : options_(options), rng_(options.seed) {}

  Sample run() {
    make_franchises();
    make_standalone();
    assign_ids();
    assign_popularity();

    Sample sample;
    sample.ratings_csv = make_users();
    sample.anime_csv = write_catalogue();
    for (std::size_t f = 0; f < options_.franchises; ++f) {
      std::vector<std::string> ids;
      for (std::size_t i : units_[f].items) ids.push_back(std::to_string(items_[i].id));
      sample.franchises.push_back(std::move(ids));
    }
    return sample;
  }

 private:
  std::string unique_title(std::string title) {
    if (titles_.insert(title).second) return title;
    for (int n = 2;; ++n) {
      const std::string numbered = title + " " + std::to_string(n);
      if (titles_.insert(numbered).second) return numbered;
    }
  }

  std::string fresh_base_title() {
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::string title = base_title(rng_);
      if (!titles_.count(title)) return title;
    }
    return base_title(rng_);
  }

  std::size_t add_item(const std::string& title, int type, int quality,
                       const std::vector<std::string>& genres) {
    Item item;
    item.title = unique_title(title);
    item.type = type;
    item.episodes = episodes_for(rng_, type);
    item.quality = std::clamp(quality, 20, 95);
    item.genre_names = genres;
    items_.push_back(std::move(item));
    return items_.size() - 1;
  }

  void make_franchises() {
    for (std::size_t f = 0; f < options_.franchises; ++f) {
      Unit unit;
      unit.genres = draw_genres(rng_);
      const std::vector<std::string> names = genre_names(rng_, unit.genres);
      const std::string base = fresh_base_title();
      const int quality = 55 + static_cast<int>(rng_.below(36));
      const int common = 2 + static_cast<int>(rng_.below(4));
      const int size = common + (rng_.below(3) == 0 ? static_cast<int>(rng_.below(4)) : 0);

      unit.items.push_back(add_item(base, tv, quality, names));
      int seasons = 1, movies = 0, ovas = 0, specials = 0;
      for (int e = 1; e < size; ++e) {
        const std::uint32_t r = rng_.below(100);
        const int q = quality + static_cast<int>(rng_.below(11)) - 5;
        if (r < 50) {
          ++seasons;
          unit.items.push_back(add_item(base + " " + ordinal(seasons) + " Season", tv, q, names));
        } else if (r < 70) {
          ++movies;
          const std::string title = movies == 1 ? base + ": The Movie"
                                                : base + " Movie " + std::to_string(movies) +
                                                      ": " + adjective_noun(rng_);
          unit.items.push_back(add_item(title, movie, q, names));
        } else if (r < 88) {
          ++ovas;
          const std::string title =
              ovas == 1 ? base + " OVA" : base + " OVA " + std::to_string(ovas);
          unit.items.push_back(add_item(title, ova, q, names));
        } else {
          ++specials;
          const std::string title =
              specials == 1 ? base + " Specials" : base + " Specials " + std::to_string(specials);
          unit.items.push_back(add_item(title, special, q, names));
        }
      }
      units_.push_back(std::move(unit));
    }
  }

  void make_standalone() {
    static const int type_weights[] = {55, 20, 12, 6, 7};
    for (std::size_t s = 0; s < options_.standalone; ++s) {
      Unit unit;
      unit.genres = draw_genres(rng_);
      const int type = weighted(rng_, type_weights, 5);
      const int quality = 45 + static_cast<int>(rng_.below(46));
      const std::string title = fresh_base_title();
      const std::vector<std::string> names = genre_names(rng_, unit.genres);
      unit.items.push_back(add_item(title, type, quality, names));
      units_.push_back(std::move(unit));
    }
  }

  // Sparse ids in a shuffled order, as on MyAnimeList; within a franchise a later entry always
  // has the larger id, since sequels are added to the site later.
  void assign_ids() {
    std::vector<std::size_t> order(items_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    shuffle(order);
    long long next = 1 + rng_.below(20);
    for (std::size_t i : order) {
      items_[i].id = next;
      next += 1 + rng_.below(rng_.below(4) == 0 ? 400 : 30);
    }
    for (const Unit& unit : units_) {
      std::vector<long long> ids;
      for (std::size_t i : unit.items) ids.push_back(items_[i].id);
      std::sort(ids.begin(), ids.end());
      for (std::size_t e = 0; e < unit.items.size(); ++e) items_[unit.items[e]].id = ids[e];
    }
  }

  // Zipf-like with exponent 1.5: the unit of popularity rank r (from 1) weighs (r + 2)^-1.5,
  // written with sqrt, which (unlike pow) rounds the same in every libm.
  void assign_popularity() {
    std::vector<std::size_t> order(units_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    shuffle(order);
    weight_.assign(units_.size(), 0.0);
    for (std::size_t r = 0; r < order.size(); ++r) {
      const double shifted = static_cast<double>(r) + 3.0;
      weight_[order[r]] = 1.0 / (shifted * std::sqrt(shifted));
    }

    by_genre_.assign(taste_count + 1, {});
    cumulative_.assign(taste_count + 1, {});
    for (std::size_t u = 0; u < units_.size(); ++u) {
      for (int g : units_[u].genres) by_genre_[g].push_back(u);
      by_genre_[taste_count].push_back(u);
    }
    for (std::size_t g = 0; g < by_genre_.size(); ++g) {
      double total = 0;
      for (std::size_t u : by_genre_[g]) cumulative_[g].push_back(total += weight_[u]);
    }
  }

  std::size_t draw_unit(std::size_t genre) {
    if (by_genre_[genre].empty()) genre = taste_count;
    const std::vector<double>& cumulative = cumulative_[genre];
    const double target = rng_.uniform() * cumulative.back();
    const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), target);
    const std::size_t k = std::min<std::size_t>(at - cumulative.begin(), cumulative.size() - 1);
    return by_genre_[genre][k];
  }

  void shuffle(std::vector<std::size_t>& values) {
    for (std::size_t i = values.size(); i > 1; --i) {
      std::swap(values[i - 1], values[rng_.below(static_cast<std::uint32_t>(i))]);
    }
  }

  // Long-tailed history length: 5 + 30 (1/sqrt(u) - 1) with u uniform in (0, 1], a Pareto
  // tail of index 2 (median 17, mean 35), capped at 400 and at two thirds of the titles.
  std::size_t history_length() {
    const double u = 1.0 - rng_.uniform();
    const double length = 5.0 + 30.0 * (1.0 / std::sqrt(u) - 1.0);
    const double cap = std::min(400.0, static_cast<double>(items_.size()) * 2.0 / 3.0);
    return static_cast<std::size_t>(std::max(1.0, std::min(length, cap)));
  }

  std::string make_users() {
    std::string out = "user_id,anime_id,rating\n";
    out.reserve(options_.users * 40 * 16);
    std::vector<std::size_t> seen_by(items_.size(), 0);  // 1 + last user who saw the item
    std::vector<std::size_t> history;

    for (std::size_t user = 0; user < options_.users; ++user) {
      const std::vector<int> tastes = draw_genres(rng_);
      const std::size_t length = history_length();
      const int bias = static_cast<int>(rng_.below(21)) - 10;
      const bool rates_nothing = rng_.below(20) == 0;

      history.clear();
      const auto watch = [&](std::size_t item) {
        if (seen_by[item] == user + 1) return;
        seen_by[item] = user + 1;
        history.push_back(item);
      };
      for (std::size_t attempt = 0; history.size() < length && attempt < 8 * length + 50;
           ++attempt) {
        const std::size_t genre = rng_.below(100) < 80
                                      ? static_cast<std::size_t>(tastes[rng_.below(
                                            static_cast<std::uint32_t>(tastes.size()))])
                                      : taste_count;
        const Unit& unit = units_[draw_unit(genre)];
        // A viewer usually starts a franchise at its first entry and goes on in order,
        // dropping out after each entry with probability 1/4.
        std::size_t e = unit.items.size() > 1 && rng_.below(10) == 0
                            ? rng_.below(static_cast<std::uint32_t>(unit.items.size()))
                            : 0;
        for (; e < unit.items.size(); ++e) {
          watch(unit.items[e]);
          if (rng_.below(4) == 0) break;
        }
      }

      std::sort(history.begin(), history.end(),
                [&](std::size_t a, std::size_t b) { return items_[a].id < items_[b].id; });
      const std::string prefix = std::to_string(user + 1) + ",";
      for (std::size_t i : history) {
        Item& item = items_[i];
        ++item.watchers;
        int rating = -1;
        if (!rates_nothing && rng_.below(100) >= 14) {
          bool liked = false;
          for (int g : tastes) {
            for (const std::string& name : item.genre_names) liked |= name == taste_genres[g];
          }
          const int tenths = item.quality + (liked ? 8 : -12) + bias +
                             static_cast<int>(rng_.below(31)) - 15;
          rating = std::clamp((tenths + 5) / 10, 1, 10);
          item.rating_sum += rating;
          ++item.rating_count;
        }
        out += prefix;
        out += std::to_string(item.id);
        out += ',';
        out += std::to_string(rating);
        out += '\n';
      }
    }
    return out;
  }

  // anime.csv in the Kaggle order: average rating descending (unrated titles last), with
  // CRLF line ends like the real file.
  std::string write_catalogue() {
    std::vector<long long> average(items_.size(), -1);  // hundredths, rounded half up
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const Item& item = items_[i];
      if (item.rating_count) {
        average[i] = (item.rating_sum * 200 + item.rating_count) / (2 * item.rating_count);
      }
    }
    std::vector<std::size_t> order(items_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (average[a] != average[b]) return average[a] > average[b];
      return items_[a].id < items_[b].id;
    });

    std::string out = "anime_id,name,genre,type,episodes,rating,members\r\n";
    for (std::size_t i : order) {
      const Item& item = items_[i];
      std::string genres;
      for (const std::string& name : item.genre_names) {
        if (!genres.empty()) genres += ", ";
        genres += name;
      }
      // Members: about 25 community members per watcher in the sample, with some spread.
      const long long per_watcher = 18 + rng_.below(15);
      const long long members = item.watchers * per_watcher + 5 + rng_.below(150);
      std::string rating;
      if (average[i] >= 0) {
        const long long hundredths = average[i] % 100;
        rating = std::to_string(average[i] / 100) + (hundredths < 10 ? ".0" : ".") +
                 std::to_string(hundredths);
      }
      out += std::to_string(item.id) + "," + csv_field(item.title) + "," + csv_field(genres) +
             "," + types[item.type] + "," +
             (item.episodes ? std::to_string(item.episodes) : std::string("Unknown")) + "," +
             rating + "," + std::to_string(members) + "\r\n";
    }
    return out;
  }

  const SampleOptions& options_;
  Rng rng_;
  std::vector<Item> items_;
  std::vector<Unit> units_;  // franchises first, then stand-alone titles
  std::unordered_set<std::string> titles_;
  std::vector<double> weight_;
  std::vector<std::vector<std::size_t>> by_genre_;  // per taste genre, plus all units last
  std::vector<std::vector<double>> cumulative_;
};

void check_range(const char* field, std::size_t value, std::size_t low, std::size_t high) {
  if (value < low || value > high) {
    throw std::invalid_argument("SampleOptions." + std::string(field) + " must be " +
                                std::to_string(low) + " to " + std::to_string(high) + ", got " +
                                std::to_string(value));
  }
}

}  // namespace

void SampleOptions::validate() const {
  check_range("users", users, 1, 1000000);
  check_range("franchises", franchises, 1, 10000);
  check_range("standalone", standalone, 0, 100000);
}

Sample generate_sample(const SampleOptions& options) {
  options.validate();
  return Generator(options).run();
}

}  // namespace anime2vec
