#pragma once
// The project subcommand: a 2D map of every item by PCA or Barnes-Hut t-SNE, as CSV.

#include <CLI/CLI.hpp>

namespace anime2vec::cli {

/// Adds `project`: writes id,title,x,y for every item of a model.
void add_project_command(CLI::App& app);

}  // namespace anime2vec::cli
