#include "project.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "anime2vec/catalogue.hpp"
#include "anime2vec/embeddings.hpp"
#include "anime2vec/pca.hpp"
#include "anime2vec/tsne.hpp"
#include "io.hpp"

namespace anime2vec::cli {
namespace {

// Iterations per step: a progress line every few hundred milliseconds on a large map.
constexpr int kStepIterations = 25;

struct ProjectArgs {
  std::string model;
  std::string method = "tsne";
  std::string items;
  std::string out;
  std::string metric = "cosine";
  std::string init = "pca";
  TsneOptions tsne;
  bool quiet = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A CSV field, quoted (with quotes doubled) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string coordinates_csv(const Embeddings& model, const Catalogue& catalogue,
                            const std::vector<double>& xy) {
  std::string text = "id,title,x,y\n";
  char number[64];
  for (std::size_t i = 0; i < model.size(); ++i) {
    text += csv_field(model.ids[i]);
    text += ',';
    text += csv_field(catalogue.title_or_id(model.ids[i]));
    std::snprintf(number, sizeof number, ",%.9g,%.9g\n", xy[2 * i], xy[2 * i + 1]);
    text += number;
  }
  return text;
}

// One line redrawn in place on a terminal; elsewhere a line at each tenth of the run.
class TsneProgressLine {
 public:
  explicit TsneProgressLine(bool quiet) : quiet_(quiet), terminal_(isatty(fileno(stderr)) != 0) {}

  void update(const TsneProgress& p, double seconds) {
    if (quiet_) return;
    const int tenth = static_cast<int>(p.fraction() * 10);
    if (!terminal_ && tenth == last_tenth_) return;
    last_tenth_ = tenth;
    std::fprintf(stderr, "%st-SNE %5.1f%%  iteration %d/%d%s  %.1f s%s", terminal_ ? "\r" : "",
                 p.fraction() * 100, p.iteration, p.iterations,
                 p.exaggerating ? "  (early exaggeration)" : "                    ", seconds,
                 terminal_ ? "" : "\n");
    std::fflush(stderr);
    drawn_ = true;
  }

  void finish() {
    if (terminal_ && drawn_) std::fputc('\n', stderr);
  }

 private:
  bool quiet_;
  bool terminal_;
  bool drawn_ = false;
  int last_tenth_ = -1;
};

void run_project(const ProjectArgs& a) {
  TsneOptions options = a.tsne;
  options.metric = parse_tsne_metric(a.metric);
  options.init = parse_tsne_init(a.init);
  if (a.method == "tsne") options.validate();

  Catalogue catalogue;
  if (!a.items.empty()) catalogue = load_catalogue(a.items);
  const Embeddings model = load_model(a.model);

  std::vector<double> xy;
  const auto start = std::chrono::steady_clock::now();
  // Processor time too: on a shared machine it says what the run itself cost.
  const std::clock_t cpu_start = std::clock();
  std::string summary;
  char line[512];
  if (a.method == "pca") {
    const PcaResult result = pca(model.vectors, 2);
    xy.resize(2 * model.size());
    for (std::size_t i = 0; i < model.size(); ++i) {
      xy[2 * i] = result.coordinates(static_cast<Eigen::Index>(i), 0);
      xy[2 * i + 1] = result.coordinates(static_cast<Eigen::Index>(i), 1);
    }
    std::snprintf(line, sizeof line,
                  "projected: %zu items, %zu dimensions, PCA, variance explained %.1f%% + "
                  "%.1f%%, %.2f s",
                  model.size(), model.dimension(), result.explained[0] * 100,
                  result.explained[1] * 100, seconds_since(start));
  } else {
    Tsne run(model.vectors, options);
    const double affinity_seconds = seconds_since(start);
    TsneProgressLine progress(a.quiet);
    while (!run.finished()) progress.update(run.step(kStepIterations), seconds_since(start));
    progress.finish();
    const double seconds = seconds_since(start);
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    xy = run.layout();
    std::snprintf(line, sizeof line,
                  "projected: %zu items, %zu dimensions, t-SNE (%s, perplexity %g, theta %g, "
                  "learning rate %g, init %s), %d iterations, %d threads, %.2f s (cpu %.2f s, "
                  "affinities %.2f s), KL %.4f",
                  model.size(), model.dimension(), tsne_metric_name(options.metric),
                  options.perplexity, options.theta, run.learning_rate(),
                  tsne_init_name(options.init), run.progress().iteration, options.threads, seconds,
                  cpu_seconds, affinity_seconds, run.kl_divergence());
  }

  const std::string text = coordinates_csv(model, catalogue, xy);
  if (a.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    save_text(a.out, text);
  }
  std::fprintf(stderr, "%s\n", line);
}

}  // namespace

void add_project_command(CLI::App& app) {
  auto args = std::make_shared<ProjectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "project", "Map every item to 2D by PCA or Barnes-Hut t-SNE; writes id,title,x,y as CSV");
  TsneOptions& t = args->tsne;
  cmd->add_option("--model", args->model, "Model file (word2vec text format)")->required();
  cmd->add_option("--method", args->method, "pca or tsne")
      ->check(CLI::IsMember({"pca", "tsne"}));
  cmd->add_option("--items", args->items, "Catalogue, for the title column (else the id)");
  cmd->add_option("--out", args->out, "CSV file to write (default: standard output)");
  cmd->add_option("--perplexity", t.perplexity,
                  "t-SNE: effective neighbours per item (above 1, below (items - 1) / 3)");
  cmd->add_option("--iterations", t.iterations, "t-SNE: iterations, early exaggeration included");
  cmd->add_option("--learning-rate", t.learning_rate,
                  "t-SNE: step size; 0 is automatic, max(items / exaggeration / 4, 50)");
  cmd->add_option("--early-exaggeration", t.early_exaggeration,
                  "t-SNE: factor on the affinities at first");
  cmd->add_option("--exaggeration-iterations", t.exaggeration_iterations,
                  "t-SNE: iterations with early exaggeration");
  cmd->add_option("--theta", t.theta, "t-SNE: Barnes-Hut accuracy, 0 (exact) to 1");
  cmd->add_option("--metric", args->metric, "t-SNE: input distances, cosine or euclidean")
      ->check(CLI::IsMember({"cosine", "euclidean"}));
  cmd->add_option("--init", args->init, "t-SNE: initial layout, pca or random")
      ->check(CLI::IsMember({"pca", "random"}));
  cmd->add_option("--seed", t.seed, "t-SNE: seed of the random initial layout");
  cmd->add_option("--threads", t.threads,
                  "t-SNE: threads for the gradient (the map is the same for any count)");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress lines (the summary stays)");
  cmd->callback([args] { run_project(*args); });
}

}  // namespace anime2vec::cli
