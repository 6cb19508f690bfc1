#pragma once
// The evaluate and tune subcommands (EVAL.md's protocol).

#include <CLI/CLI.hpp>

namespace anime2vec::cli {

/// Adds `evaluate`: popularity, item-kNN and skip-gram on the leave-last-out split.
void add_evaluate_command(CLI::App& app);

/// Adds `tune`: a search over training settings on the validation split.
void add_tune_command(CLI::App& app);

}  // namespace anime2vec::cli
